// Realistic deletion requests for the pure-core tests.
import type { DeletionRequest, State } from '../../src/deletion/request.js';

export const T0 = Date.parse('2026-11-28T10:00:00Z');
export const TTL = 30 * 60_000;

export function aRequest(overrides: Partial<DeletionRequest> = {}): DeletionRequest {
  return {
    id: '0d9c1f52-8b0e-4a3e-9f57-2f4b9b8c7a11',
    action: 'delete',
    restoreOf: null,
    threadTs: null,
    teamId: 'T024BE7LD',
    enterpriseId: null,
    channelId: 'C024BE91L',
    channelPrivate: false,
    messageTs: '1764324000.000100',
    sandbox: 'prod',
    offer: {
      id: 'dps:personalized-offer:1a4c514f745dbd7c',
      name: 'Winter sale 20% off',
      status: 'approved',
      modified: '2026-11-20T09:12:44.000Z',
      lastModifiedBy: 'marketer@example.com',
      etag: '7',
      json: '{"id":"dps:personalized-offer:1a4c514f745dbd7c"}',
    },
    requesterId: 'U024BE7LH',
    reason: 'campaign ended',
    state: 'pending' as State,
    createdAt: T0,
    expiresAt: T0 + TTL,
    updatedAt: T0,
    requiredApprovals: 1,
    approvals: [],
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    outcome: null,
    ...overrides,
  };
}
