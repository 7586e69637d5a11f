// The in-process stand-in for Slack's Web API (and response URLs) that refuses what Slack refuses; its parts are in slack-api/.
export { blockProblems, optionsProblems, viewProblems } from './slack-api/block-kit.js';
export type { Fault, FaultResponse } from './slack-api/faults.js';
export { LIMITS, MIN_QUERY_LENGTH, RESPONSE_URL_TTL_MS, TRIGGER_TTL_MS } from './slack-api/limits.js';
export { startSlackApi } from './slack-api/server.js';
export {
  ANOTHER_APP,
  type AnotherAppMessage,
  type ApiCall,
  type EphemeralMessage,
  type JsonObject,
  type MessageUpdate,
  type OpenedView,
  type PostedMessage,
  type ResponseUrlContext,
  type ResponseUrlPost,
  type SlackApi,
  type SlackApiOptions,
  type SlackUserFacts,
  type SocketModeLink,
} from './slack-api/types.js';
