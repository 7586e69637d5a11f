// The requester's direct message on how their request ended, and the one reminder in the thread halfway to expiry.
import type { DeletionRequest } from '../../deletion/request.js';
import { EVENT_TYPE } from '../constants.js';
import { english, type Translate } from '../i18n/translator.js';
import { stateLine } from './confirmation.js';
import { threadLink } from './history.js';
import { requestMetadata } from './metadata.js';
import { channel, clip, code, escapeText, MAX_SECTION_TEXT, slackDate, user, verbatim, type MessageView } from './mrkdwn.js';

/** The people a reminder names at most; beyond them it says how many more may decide. */
export const REMINDER_MENTIONS = 15;
const NOTICE_NAME_CHARS = 150;

const offerName = (request: DeletionRequest) => escapeText(clip(request.offer.name, NOTICE_NAME_CHARS));

/** To the requester alone, in their language: how the request ended, and where its thread is. */
export function outcomeDm(request: DeletionRequest, t: Translate = english): MessageView {
  // A restore's messages are in its deletion's thread.
  const url = threadLink(request.channelId, request.threadTs ?? request.messageTs);
  const restore = request.action === 'restore';
  const newId = restore && request.state === 'restored' ? request.outcome?.restoredId : undefined;
  const lines = [
    t(restore ? 'restore.dm.ended' : 'dm.ended', { name: offerName(request), offerId: code(request.offer.id), sandbox: code(request.sandbox) }),
    stateLine(request, t),
    ...(newId ? [t('restore.dm.newId', { newId: code(newId) })] : []),
    t(url ? 'dm.thread' : 'dm.channel', { url: url ?? '', channel: channel(request.channelId) }),
  ];
  const text = clip(lines.join('\n'), MAX_SECTION_TEXT);
  return {
    text,
    blocks: [{ type: 'section', text: verbatim(text) }],
    metadata: requestMetadata(request, EVENT_TYPE.dm, { outcome: request.state }),
  };
}

/**
 * Who a reminder says may decide: `approvers` are the user ids the sandbox's list resolves to (null: anyone but the
 * requester). Named by mention, never by @channel or @here; the requester is left out unless they may approve.
 */
export interface ReminderDeciders {
  approvers: ReadonlySet<string> | null;
  allowSelfApproval: boolean;
}

function whoMayDecide(request: DeletionRequest, deciders: ReminderDeciders, t: Translate): string {
  if (deciders.approvers === null) return t(deciders.allowSelfApproval ? 'reminder.anyone' : 'reminder.anyoneElse', { requester: user(request.requesterId) });
  const named = [...deciders.approvers].filter((id) => deciders.allowSelfApproval || id !== request.requesterId).sort();
  if (named.length === 0) return t('reminder.nobody');
  const mentions = named.slice(0, REMINDER_MENTIONS).map(user).join(', ');
  return t('reminder.approvers', { mentions, more: named.length - Math.min(named.length, REMINDER_MENTIONS) });
}

/** In the thread, in the channel's language: the request still waits; who may decide it, before when. */
export function reminderReply(request: DeletionRequest, deciders: ReminderDeciders, t: Translate = english): MessageView {
  const text = clip(
    [
      t(request.action === 'restore' ? 'restore.reminder.waiting' : 'reminder.waiting', {
        name: offerName(request),
        offerId: code(request.offer.id),
        sandbox: code(request.sandbox),
        requester: user(request.requesterId),
        expires: slackDate(request.expiresAt, t),
      }),
      whoMayDecide(request, deciders, t),
    ].join('\n'),
    MAX_SECTION_TEXT,
  );
  return {
    text,
    blocks: [{ type: 'section', text: verbatim(text) }],
    metadata: requestMetadata(request, EVENT_TYPE.reminded, { expires_at: Math.floor(request.expiresAt / 1000) }),
  };
}
