/** Exit codes are part of the command's contract with scripts: README.md documents them. */
export const EXIT = {
  ok: 0,
  /** Something this program did not expect; the message says what. */
  failure: 1,
  /** The server could not be reached or answered with an error. */
  unavailable: 2,
  /** The bot handed the conversation over to a person: a script cannot go on alone. */
  handover: 3,
  /** BSD's EX_USAGE: the command line or the environment is wrong. */
  usage: 64,
} as const;
