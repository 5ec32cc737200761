/** Recognises a visitor asking for a human: the client's default phrase and its obvious variants. */
import { DEFAULT_HUMAN_REQUEST } from '../src/core/protocol.ts';

const someone = String.raw`(?:a |an |the |some |real |live |actual )*(?:human|person|agent|operator|someone|somebody|people|representative|colleague|staff|support (?:agent|person))`;

const patterns: RegExp[] = [
  new RegExp(String.raw`\b(?:talk|speak|chat)(?:ing)? (?:to|with) ${someone}\b`),
  new RegExp(String.raw`\b(?:connect|transfer|put) me (?:to|with|through to) ${someone}\b`),
  // "I need someone to fix my laptop" is not a request for live chat: only explicit nouns here.
  /\b(?:want|need|would like|d like) (?:a |an |to )?(?:real |live )?(?:human|person|agent|operator|representative)\b/,
  /\b(?:real|live|actual) (?:human|person|agent)\b/,
  /\bhuman (?:please|agent|support)\b/,
  /^(?:a |an )?(?:human|agent|operator|person)(?: please)?$/,
];

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const defaultPhrase = normalise(DEFAULT_HUMAN_REQUEST);

export function isHumanRequest(text: string): boolean {
  const words = normalise(text);
  return words === defaultPhrase || patterns.some((pattern) => pattern.test(words));
}
