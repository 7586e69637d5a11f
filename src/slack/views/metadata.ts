// The metadata every message about a request carries: what crash recovery and other tools read back.
import type { types } from '@slack/bolt';
import type { DeletionRequest } from '../../deletion/request.js';

export const requestMetadata = (request: DeletionRequest, eventType: string, extra: Record<string, string | number | boolean> = {}): types.MessageMetadata => ({
  event_type: eventType,
  event_payload: {
    request_id: request.id,
    offer_id: request.offer.id,
    offer_name: request.offer.name,
    sandbox: request.sandbox,
    requester: request.requesterId,
    ...extra,
  },
});
