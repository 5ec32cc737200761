import { useRef, useState } from 'react'
// Registers <webchat-agent>; the class's type comes with it.
import 'webchat-agent'
import type { WebChatAgent } from 'webchat-agent'
// Types only: <webchat-agent> in JSX, its attributes and its onwebchat-* event props.
import type {} from 'webchat-agent/react'

// The reference server of the repository (`npm start` there); `?base-url=` points elsewhere.
const baseUrl = new URLSearchParams(location.search).get('base-url') ?? 'http://127.0.0.1:8787'

export default function App() {
  const chat = useRef<WebChatAgent>(null)
  const [lastSender, setLastSender] = useState('nobody yet')
  const [received, setReceived] = useState(0)

  return (
    <main>
      <h1>webchat-agent in React</h1>
      <p>
        <button type="button" onClick={() => chat.current?.show()}>
          Open the help chat
        </button>{' '}
        <button type="button" onClick={() => void chat.current?.send('How do I connect to the VPN?')}>
          Ask about the VPN
        </button>
      </p>
      <p role="status" aria-label="Messages">
        {received} messages, the last from {lastSender}
      </p>
      <webchat-agent
        ref={chat}
        chatbot-id="demo"
        base-url={baseUrl}
        persist="session"
        onwebchat-message={(event) => {
          setLastSender(event.detail.message.sender)
          setReceived((count) => count + 1)
        }}
      />
    </main>
  )
}
