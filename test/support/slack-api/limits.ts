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
  /** Modals and the Home tab. */
  viewBlocks: 100,
  viewButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  /** An element's placeholder; a select menu's options, each option's text and value. */
  placeholder: 150,
  menuOptions: 100,
  optionText: 75,
  optionValue: 150,
  /** views.push adds to a stack of at most this many views. */
  viewStack: 3,
  /** A response_url takes this many posts, within RESPONSE_URL_TTL_MS. */
  responseUrlUses: 5,
} as const;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
/** A trigger_id opens one view, within this long of the interaction that issued it. */
export const TRIGGER_TTL_MS = 3000;
/** A default external_select asks for options once this many characters are typed. */
export const MIN_QUERY_LENGTH = 3;
