// Mistakes the package's React typings must catch: `npm run check:type-errors` fails on
// each line marked below. (TypeScript never checks hyphenated JSX attribute names against
// the element's type, so a misspelt `chatbot-idd` passes in any TSX; a misspelt
// camel-case one does not.)
import { useRef } from 'react'
import type { WebChatAgent } from 'webchat-agent'
import type {} from 'webchat-agent/react'

export function Mistakes() {
  const chat = useRef<WebChatAgent>(null)
  return (
    <>
      {/* misspelt attribute: */}
      <webchat-agent chatbot-id="demo" layuot="inline" />
      {/* wrong-typed attribute: */}
      <webchat-agent chatbot-id="demo" persist={42} />
      {/* a value outside the attribute's union: */}
      <webchat-agent chatbot-id="demo" layout="sidebar" />
      {/* misspelt method through the ref: */}
      <button type="button" onClick={() => chat.current?.shwo()}>Open</button>
    </>
  )
}
