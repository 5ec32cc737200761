import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
// Registers <webchat-agent>. Its types come with it: `#chat` is a WebChatAgent in the
// template (HTMLElementTagNameMap), and `$event` of `(webchat-message)` is its
// CustomEvent (HTMLElementEventMap), both checked by strictTemplates.
import 'webchat-agent';

@Component({
  selector: 'app-root',
  // Lets the template use <webchat-agent>, which is no Angular component.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <main>
      <h1>webchat-agent in Angular</h1>
      <p>
        <button type="button" (click)="chat.show()">Open the help chat</button>
        <button type="button" (click)="chat.send('How do I connect to the VPN?')">Ask about the VPN</button>
      </p>
      <p role="status" aria-label="Messages">{{ received() }} messages, the last from {{ lastSender() }}</p>
      <webchat-agent
        #chat
        chatbot-id="demo"
        [baseUrl]="baseUrl"
        persist="session"
        (webchat-message)="onMessage($event)"
      ></webchat-agent>
    </main>
  `,
})
export class App {
  // The reference server of the repository (`npm start` there); `?base-url=` points elsewhere.
  protected readonly baseUrl = new URLSearchParams(location.search).get('base-url') ?? 'http://127.0.0.1:8787';
  protected readonly lastSender = signal('nobody yet');
  protected readonly received = signal(0);

  protected onMessage(event: HTMLElementEventMap['webchat-message']): void {
    this.lastSender.set(event.detail.message.sender);
    this.received.update((count) => count + 1);
  }
}
