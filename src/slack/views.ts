// Block Kit views: pure functions from a deletion request to the messages Slack shows.
import type { types } from '@slack/bolt';
import type { PolicyRefusal, RequestRefusal } from '../deletion/approval-policy.js';
import type { Refusal } from '../deletion/lifecycle.js';
import type { DeletionRequest } from '../deletion/request.js';
import { ACTION, EVENT_TYPE, OFFER_COMMAND } from './constants.js';

type KnownBlock = types.KnownBlock;
type MrkdwnElement = types.MrkdwnElement;
type MessageMetadata = types.MessageMetadata;

export interface MessageView {
  text: string;
  blocks: KnownBlock[];
  metadata?: MessageMetadata;
}

const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;

/** Escapes what Adobe or a user wrote, so it cannot become a mention (`<!channel>`) or a link. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A mrkdwn text object for text that carries what people or Adobe wrote. `verbatim` keeps Slack from turning bare
 * URLs, #channel names and @mentions in it into links and mentions (escapeText keeps `<`, `>` and `&` inert); the
 * mentions, channels and dates offer-bot writes itself in `<…>` form still render.
 */
const verbatim = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true });

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const code = (text: string) => `\`${escapeText(text).replace(/`/g, "'")}\``;
const user = (id: string) => (id === 'system' ? 'offer-bot' : `<@${id}>`);

/** A time in each reader's own time zone, with an ISO fallback. */
export function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time}|${new Date(ms).toISOString()}>`;
}

function offerFields(request: DeletionRequest): KnownBlock {
  const { offer } = request;
  const modified = offer.modified
    ? `${Number.isNaN(Date.parse(offer.modified)) ? escapeText(offer.modified) : slackDate(Date.parse(offer.modified))}${
        offer.lastModifiedBy ? ` by ${escapeText(offer.lastModifiedBy)}` : ''
      }`
    : 'unknown';
  const fields = [
    `*Offer id*\n${code(offer.id)}`,
    `*Status*\n${escapeText(offer.status)}`,
    `*Sandbox*\n${code(request.sandbox)}`,
    `*Last modified*\n${modified}`,
    `*Requested by*\n${user(request.requesterId)}`,
    `*Reason*\n${request.reason ? escapeText(request.reason) : '_none given_'}`,
  ];
  return { type: 'section', fields: fields.map((text) => verbatim(clip(text, MAX_FIELD_TEXT))) };
}

const title = (request: DeletionRequest, prefix: string) => clip(`${prefix} *${escapeText(request.offer.name)}*`, MAX_SECTION_TEXT);

const requestMetadata = (request: DeletionRequest, eventType: string, extra: Record<string, string | number | boolean> = {}): MessageMetadata => ({
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

/** The confirmation posted in the channel while the request waits for a decision. */
export function confirmationMessage(request: DeletionRequest): MessageView {
  return {
    text: `${user(request.requesterId)} asks to delete personalized offer ${escapeText(request.offer.name)} (${request.offer.id}) in sandbox ${request.sandbox}.`,
    blocks: [
      { type: 'section', text: verbatim(title(request, ':warning: Delete personalized offer')) },
      offerFields(request),
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Needs approval by someone other than the requester. Expires ${slackDate(request.expiresAt)}.` }],
      },
      {
        type: 'actions',
        block_id: 'offer_deletion_decision',
        elements: [
          {
            type: 'button',
            action_id: ACTION.approve,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'danger',
            value: request.id,
            confirm: {
              title: { type: 'plain_text', text: 'Delete this offer?' },
              text: verbatim(clip(`This deletes *${escapeText(request.offer.name)}* from sandbox ${code(request.sandbox)}. It cannot be undone.`, 300)),
              confirm: { type: 'plain_text', text: 'Delete it' },
              deny: { type: 'plain_text', text: 'Keep it' },
              style: 'danger',
            },
          },
          { type: 'button', action_id: ACTION.reject, text: { type: 'plain_text', text: 'Reject' }, value: request.id },
          { type: 'button', action_id: ACTION.cancel, text: { type: 'plain_text', text: 'Cancel (requester)' }, value: request.id },
        ],
      },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.requested, { expires_at: Math.floor(request.expiresAt / 1000) }),
  };
}

const STATE_LINE: Record<DeletionRequest['state'], (request: DeletionRequest) => string> = {
  pending: () => 'Waiting for approval.',
  approved: (r) => `:hourglass_flowing_sand: Approved by ${user(r.decidedBy ?? '')} — deleting…`,
  deleting: (r) => `:hourglass_flowing_sand: Approved by ${user(r.decidedBy ?? '')} — deleting…`,
  deleted: (r) => `:white_check_mark: Deleted. Approved by ${user(r.decidedBy ?? '')}.`,
  failed: (r) => `:x: Not deleted: ${escapeText(r.outcome?.summary ?? 'the deletion failed')}`,
  unverified: (r) => `:grey_question: Deletion not confirmed: ${escapeText(r.outcome?.summary ?? 'Adobe still showed the offer')}`,
  rejected: (r) => `:no_entry_sign: Rejected by ${user(r.decidedBy ?? '')}.`,
  cancelled: (r) => `:leftwards_arrow_with_hook: Cancelled by ${user(r.decidedBy ?? '')}.`,
  expired: (r) => `:alarm_clock: Expired ${slackDate(r.expiresAt)} without a decision.`,
};

/** The confirmation message once decided: same facts, no buttons, the state in words. */
export function decidedMessage(request: DeletionRequest): MessageView {
  if (request.state === 'pending') return confirmationMessage(request);
  const line = STATE_LINE[request.state](request);
  return {
    text: `Personalized offer ${escapeText(request.offer.name)} (${request.offer.id}): ${line}`,
    blocks: [
      { type: 'section', text: verbatim(title(request, 'Delete personalized offer')) },
      offerFields(request),
      { type: 'section', text: verbatim(clip(line, MAX_SECTION_TEXT)) },
    ],
    metadata: requestMetadata(request, EVENT_TYPE.requested, { state: request.state }),
  };
}

/** The thread reply that records how the request ended: the audit trail. */
export function outcomeReply(request: DeletionRequest): MessageView {
  const when = request.decidedAt ?? request.updatedAt;
  switch (request.state) {
    case 'rejected':
    case 'cancelled':
    case 'expired': {
      const eventType = EVENT_TYPE[request.state];
      const who = request.state === 'expired' ? `nobody decided by ${slackDate(request.expiresAt)}` : `by ${user(request.decidedBy ?? '')} ${slackDate(when)}`;
      const superseded = request.outcome?.reason === 'superseded' ? ', who asked for it again in another channel' : '';
      const text = `Request to delete ${code(request.offer.id)} ${request.state} ${who}${superseded}. Requested by ${user(request.requesterId)} ${slackDate(request.createdAt)}. Nothing was deleted.`;
      return {
        text,
        blocks: [{ type: 'section', text: verbatim(text) }],
        metadata: requestMetadata(request, eventType, { outcome: request.state, decided_by: request.decidedBy ?? 'system' }),
      };
    }
    case 'deleted':
    case 'failed':
    case 'unverified': {
      const outcome = request.outcome;
      const headline = {
        deleted: `:white_check_mark: Deleted personalized offer *${escapeText(request.offer.name)}* (${code(request.offer.id)}) from sandbox ${code(request.sandbox)}.`,
        failed: `:x: Did not delete personalized offer *${escapeText(request.offer.name)}* (${code(request.offer.id)}).`,
        unverified: `:grey_question: Could not confirm the deletion of personalized offer *${escapeText(request.offer.name)}* (${code(request.offer.id)}).`,
      }[request.state];
      const lines = [
        headline,
        outcome?.summary ? escapeText(outcome.summary) : null,
        `Requested by ${user(request.requesterId)} ${slackDate(request.createdAt)}; approved by ${user(request.decidedBy ?? '')} ${slackDate(when)}; finished ${slackDate(request.updatedAt)}.`,
        request.state !== 'failed' ? `The offer's JSON as approved is kept: ${code(`npm run audit -- --request ${request.id}`)}` : null,
        outcome && outcome.adobeRequestIds.length > 0 ? `Adobe request ids: ${outcome.adobeRequestIds.map(code).join(', ')}` : null,
      ].filter((line): line is string => line !== null);
      const text = clip(lines.join('\n'), MAX_SECTION_TEXT);
      return {
        text,
        blocks: [{ type: 'section', text: verbatim(text) }],
        metadata: requestMetadata(request, EVENT_TYPE.completed, {
          outcome: request.state,
          approver: request.decidedBy ?? '',
          reason: outcome?.reason ?? '',
          adobe_request_ids: (outcome?.adobeRequestIds ?? []).join(','),
          ...(outcome?.status ? { status: outcome.status } : {}),
        }),
      };
    }
    default:
      throw new Error(`no outcome reply for a request in state ${request.state}`);
  }
}

/** Requests `/offer history` lists, and how much of each it shows. */
export const HISTORY_LIMIT = 10;
const HISTORY_NAME_CHARS = 150;
const HISTORY_SUMMARY_CHARS = 200;

/**
 * A link to a request's message and its thread, in Slack's permalink form (each reader lands in their own
 * workspace); null unless the ids have Slack's shape, so nothing stored can become another link.
 */
export function threadLink(channelId: string, messageTs: string | null): string | null {
  if (messageTs === null || !/^[CGD][A-Z0-9]+$/.test(channelId) || !/^\d+\.\d+$/.test(messageTs)) return null;
  return `https://slack.com/archives/${channelId}/p${messageTs.replace('.', '')}`;
}

const channel = (id: string) => (/^[CGD][A-Z0-9]+$/.test(id) ? `<#${id}>` : code(id));

/** Where a request stands, for the history: the state in words, who decided and when. */
function historyState(request: DeletionRequest): string {
  const by = `${user(request.decidedBy ?? '')} ${request.decidedAt === null ? '' : slackDate(request.decidedAt)}`.trim();
  const summary = escapeText(clip(request.outcome?.summary ?? '', HISTORY_SUMMARY_CHARS));
  switch (request.state) {
    case 'pending':
      return `:hourglass: waiting for approval until ${slackDate(request.expiresAt)}`;
    case 'approved':
    case 'deleting':
      return `:hourglass_flowing_sand: approved by ${by}, deleting…`;
    case 'deleted':
      return `:white_check_mark: deleted ${slackDate(request.updatedAt)}, approved by ${by}`;
    case 'failed':
      return `:x: not deleted, approved by ${by}: ${summary}`;
    case 'unverified':
      return `:grey_question: deletion not confirmed, approved by ${by}: ${summary}`;
    case 'rejected':
      return `:no_entry_sign: rejected by ${by}`;
    case 'cancelled':
      return `:leftwards_arrow_with_hook: cancelled by ${by}`;
    case 'expired':
      return `:alarm_clock: expired ${slackDate(request.expiresAt)} without a decision`;
  }
}

/** `/offer history`: the latest requests (or one offer's), shown to the caller alone. */
export function historyMessage(requests: readonly DeletionRequest[], offerId: string | null): MessageView {
  const about = offerId === null ? '' : ` for ${code(offerId)}`;
  if (requests.length === 0) {
    const text = `No offer deletion requests${about} yet.`;
    return { text, blocks: [{ type: 'section', text: verbatim(text) }] };
  }
  const heading = `Latest ${requests.length === 1 ? 'offer deletion request' : `${requests.length} offer deletion requests`}${about}, newest first:`;
  const entries = requests.slice(0, HISTORY_LIMIT).map((request): KnownBlock => {
    const link = threadLink(request.channelId, request.messageTs);
    const lines = [
      `*${escapeText(clip(request.offer.name, HISTORY_NAME_CHARS))}* ${code(request.offer.id)} in sandbox ${code(request.sandbox)}`,
      `Asked by ${user(request.requesterId)} ${slackDate(request.createdAt)} in ${channel(request.channelId)}${link ? ` · <${link}|thread>` : ''}`,
      historyState(request),
      `Request ${code(request.id)}`,
    ];
    return { type: 'section', text: verbatim(clip(lines.join('\n'), MAX_SECTION_TEXT)) };
  });
  const hint =
    offerId === null
      ? `\`${OFFER_COMMAND} history <offer-id>\` shows one offer's requests.`
      : `\`${OFFER_COMMAND} history\` shows the latest requests for every offer.`;
  return {
    text: heading,
    blocks: [{ type: 'section', text: verbatim(heading) }, ...entries, { type: 'context', elements: [{ type: 'mrkdwn', text: hint }] }],
  };
}

/** What the requester alone is told when the policy refuses a command. */
export function requestRefusalText(refusal: RequestRefusal | 'people_unavailable'): string {
  switch (refusal) {
    case 'foreign_user':
      return 'You belong to another Slack organisation than this workspace, so offer-bot takes no requests from you here. Nothing was done.';
    case 'guest_requests_off':
      return 'Guests cannot ask for offer deletions in this workspace (OFFER_ALLOW_GUEST_REQUESTS=false). Nothing was done.';
    case 'people_unavailable':
      return 'I could not check your Slack account just now; nothing was done. Try again in a moment.';
  }
}

export function limitText(open: number): string {
  return (
    `You already have ${open} open deletion ${open === 1 ? 'request' : 'requests'}, the most one person may have at once (OFFER_MAX_OPEN_PER_USER). ` +
    'Wait until one is decided, or cancel one, then ask again; `/offer history` lists them. Nothing was posted.'
  );
}

/**
 * Why a second request for an offer was refused. Names the other request's channel and requester only when
 * `visible` (the reader can see that channel); a private channel's name and people stay private.
 */
export function existingRequestText(existing: DeletionRequest, visible: boolean): string {
  if (visible) {
    return `There is already an open request to delete ${code(existing.offer.id)} (by ${user(existing.requesterId)} in ${channel(existing.channelId)}, ${existing.state}). Decide that one first.`;
  }
  const then =
    existing.state === 'pending'
      ? ` It waits for a decision until ${slackDate(existing.expiresAt)}; an approver who asks again here takes it over.`
      : ' Its deletion is under way.';
  return `There is already an open request to delete ${code(existing.offer.id)} in a channel you cannot see.${then} Nothing was posted.`;
}

/** What the clicker alone is told when a click changes nothing. */
export function refusalText(refusal: PolicyRefusal | Refusal | 'unknown_request' | 'approvers_unavailable', request: DeletionRequest | null): string {
  switch (refusal) {
    case 'own_request':
      return 'You cannot approve your own request: someone else must approve it.';
    case 'not_an_approver':
      return 'You are not on the list of people who may approve or reject offer deletions (OFFER_APPROVERS).';
    case 'not_the_requester':
      return 'Only the person who asked for this deletion can cancel it.';
    case 'foreign_user':
      return 'You belong to another Slack organisation than this request, so you cannot decide it; nothing was changed.';
    case 'guest':
      return 'Guests cannot approve or reject offer deletions; nothing was changed. Ask a full member of the workspace.';
    case 'expired':
      return 'This request has expired; nothing was deleted. Ask again with `/offer delete` if it is still needed.';
    case 'already_decided':
    case 'invalid_transition':
      return request
        ? `This request was already decided: ${STATE_LINE[request.state](request).replace(/^:[a-z_]+: /, '')}`
        : 'This request was already decided.';
    case 'unknown_request':
      return 'This button does not belong to a deletion request I know; nothing was changed.';
    case 'approvers_unavailable':
      return 'I could not check with Slack who you are or who may approve just now; nothing was changed. Try again in a moment.';
  }
}

export const usageText = [
  `*${OFFER_COMMAND}* deletes a personalized offer from Adobe Journey Optimizer's Offer Library, after a second person approves.`,
  `• \`${OFFER_COMMAND} delete <offer-id> [reason]\` asks for the deletion; the request is posted here for approval.`,
  `• \`${OFFER_COMMAND} history [offer-id]\` shows you the latest requests (or one offer's): who asked, when, how each ended and a link to its thread.`,
  `• \`${OFFER_COMMAND} help\` shows this.`,
  'Offer ids look like `dps:personalized-offer:1a4c514f745dbd7c`.',
].join('\n');
