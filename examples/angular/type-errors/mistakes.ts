// Mistakes the package's DOM typings must catch in an Angular template: `npm run
// check:type-errors` fails on each. (CUSTOM_ELEMENTS_SCHEMA lets any attribute or property
// binding onto a custom element unchecked, so `chatbot-idd="demo"` or `[persist]="42"`
// pass whatever the typings say; what strictTemplates checks is the element's class
// through a template reference, and the type of `$event`.)
import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'webchat-agent';

@Component({
  selector: 'app-mistakes',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <webchat-agent #chat chatbot-id="demo" (webchat-message)="onSender($event.detail.message.sender)"></webchat-agent>
    <!-- misspelt property: -->
    <button type="button" (click)="chat.chatbotIdd = 'demo'">Set</button>
    <!-- wrong-typed property: -->
    <button type="button" (click)="chat.persist = 42">Set</button>
    <!-- a misspelt field of an event's detail: -->
    <webchat-agent chatbot-id="demo" (webchat-message)="onSender($event.detail.mesage.sender)"></webchat-agent>
  `,
})
export class Mistakes {
  protected onSender(sender: string): void {
    console.log(sender);
  }
}
