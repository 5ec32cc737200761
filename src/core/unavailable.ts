/** What a visitor reads when the chat can't work here (set up wrong, or its code unreachable). */
export const UNAVAILABLE = 'This chat is not available at the moment. Please try again later.';
