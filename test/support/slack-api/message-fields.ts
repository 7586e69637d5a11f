// A message's fields as Slack checks them: ids, text, blocks and metadata, refused the way Slack refuses them.
import { blockProblems, normalizeBlocks } from './block-kit.js';
import { decodeJsonField, Refusal } from './http.js';
import { LIMITS } from './limits.js';
import { isObject, type JsonObject, type PostedMessage } from './types.js';

export const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;
export const USER_ID = /^[UW][A-Z0-9]{2,}$/;
export const TS = /^\d{10}\.\d{6}$/;

/** The blocks as Slack stores them (ids filled in), or a refusal with Slack's `[ERROR]` lines. */
export function readBlocks(args: JsonObject): JsonObject[] | undefined {
  if (args.blocks === undefined || args.blocks === '') return undefined;
  const decoded = decodeJsonField(args.blocks);
  if (!decoded.ok || !Array.isArray(decoded.value)) throw new Refusal('invalid_blocks_format');
  const problems = blockProblems(decoded.value);
  if (problems.length > 0) throw new Refusal('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
  return normalizeBlocks(decoded.value as JsonObject[]);
}

export function readMetadata(args: JsonObject): PostedMessage['metadata'] | undefined {
  if (args.metadata === undefined || args.metadata === '') return undefined;
  const decoded = decodeJsonField(args.metadata);
  if (!decoded.ok || !isObject(decoded.value)) throw new Refusal('invalid_metadata_format');
  const { event_type: eventType, event_payload: eventPayload } = decoded.value;
  if (typeof eventType !== 'string' || eventType.length === 0 || !isObject(eventPayload)) throw new Refusal('invalid_metadata_schema');
  return { event_type: eventType, event_payload: eventPayload };
}

/** The text, which may be missing only when blocks or attachments carry the message. */
export function readText(args: JsonObject, blocks: JsonObject[] | undefined): string | undefined {
  const text = args.text === undefined ? undefined : String(args.text);
  const attachments = args.attachments === undefined || args.attachments === '' ? undefined : decodeJsonField(args.attachments);
  if (attachments && (!attachments.ok || !Array.isArray(attachments.value))) throw new Refusal('invalid_attachments');
  const hasContent = (text !== undefined && text.trim() !== '') || (blocks?.length ?? 0) > 0 || attachments !== undefined;
  if (!hasContent) throw new Refusal('no_text');
  if (text !== undefined && text.length > LIMITS.messageText) throw new Refusal('msg_too_long');
  return text;
}
