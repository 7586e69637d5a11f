// Slack's documented limits on messages, blocks and response URLs, as the stand-in enforces them.

/** Slack's documented limits, checked on every message the app sends. */
export const LIMITS = {
  blocksPerMessage: 50,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  altText: 2000,
  markdownText: 12_000,
  /** A response_url takes this many posts, within RESPONSE_URL_TTL_MS. */
  responseUrlUses: 5,
} as const;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
