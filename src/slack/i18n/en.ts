// The English catalogue: every sentence offer-bot writes, as ICU MessageFormat strings keyed by id (the reference language).

export const en = {
  // The confirmation in the channel, and its updates.
  'confirmation.text': '{requester} asks to delete personalized offer {name} ({offerId}) in sandbox {sandbox}.',
  'confirmation.title': ':warning: Delete personalized offer *{name}*',
  'confirmation.decidedTitle': 'Delete personalized offer *{name}*',
  'confirmation.decidedText': 'Personalized offer {name} ({offerId}): {line}',
  'confirmation.needsApproval': 'Needs approval by someone other than the requester. Expires {expires}.',
  'field.offerId': 'Offer id',
  'field.status': 'Status',
  // Adobe's lifecycle status of an offer (confirmation, /offer find, the form's options): the three Adobe has, worded; any other as Adobe wrote it.
  'offer.status': '{status, select, draft {draft} approved {approved} archived {archived} other {{status}}}',
  'field.sandbox': 'Sandbox',
  'field.lastModified': 'Last modified',
  'field.requestedBy': 'Requested by',
  'field.reason': 'Reason',
  'field.modifiedBy': '{when} by {who}',
  'field.modifiedUnknown': 'unknown',
  'field.noReason': '_none given_',
  'button.approve': 'Approve',
  'button.reject': 'Reject',
  'button.cancel': 'Cancel (requester)',
  'confirm.title': 'Delete this offer?',
  'confirm.text': 'This deletes *{name}* from sandbox {sandbox}. It cannot be undone.',
  'confirm.yes': 'Delete it',
  'confirm.no': 'Keep it',
  'state.pending': 'Waiting for approval.',
  'state.deleting': ':hourglass_flowing_sand: Approved by {decider} — deleting…',
  'state.deleted': ':white_check_mark: Deleted. Approved by {decider}.',
  'state.failed': ':x: Not deleted: {outcome}',
  'state.failedUnknown': 'the deletion failed',
  'state.unverified': ':grey_question: Deletion not confirmed: {outcome}',
  'state.unverifiedUnknown': 'Adobe still showed the offer',
  'state.rejected': ':no_entry_sign: Rejected by {decider}.',
  'state.cancelled': ':leftwards_arrow_with_hook: Cancelled by {decider}.',
  'state.expired': ':alarm_clock: Expired {expires} without a decision.',

  // The thread reply that records how a request ended.
  'outcome.rejected':
    'Request to delete {offerId} from sandbox {sandbox} rejected by {decider} {decided}{superseded}. Requested by {requester} {requested}. Nothing was deleted.',
  'outcome.cancelled':
    'Request to delete {offerId} from sandbox {sandbox} cancelled by {decider} {decided}{superseded}. Requested by {requester} {requested}. Nothing was deleted.',
  'outcome.expired':
    'Request to delete {offerId} from sandbox {sandbox} expired nobody decided by {expires}{superseded}. Requested by {requester} {requested}. Nothing was deleted.',
  'outcome.superseded': ', who asked for it again in another channel',
  'outcome.deleted': ':white_check_mark: Deleted personalized offer *{name}* ({offerId}) from sandbox {sandbox}.',
  'outcome.failed': ':x: Did not delete personalized offer *{name}* ({offerId}) from sandbox {sandbox}.',
  'outcome.unverified': ':grey_question: Could not confirm the deletion of personalized offer *{name}* ({offerId}) from sandbox {sandbox}.',
  'outcome.timeline': 'Requested by {requester} {requested}; approved by {decider} {decided}; finished {finished}.',
  'outcome.auditHint': "The offer's JSON as approved is kept: {command}",
  'outcome.adobeRequestIds': 'Adobe request ids: {ids}',
  // Why a deletion ended as it did, from the stored outcome's facts (thread, confirmation, history, audit export).
  // Plain text: the views escape it whole. Adobe's words and the client's diagnostic ({failure}) are quoted as written.
  'outcome.because.superseded': 'superseded by a new request',
  'outcome.because.lookupFailed': 'offer-bot could not look the offer up again before deleting: {failure}. No DELETE was sent.',
  'outcome.because.offerChanged': 'the offer changed after the request ({changes}), so it was not deleted. Ask again if it should still go.',
  'outcome.because.deleted':
    '{resumed, select, yes {offer-bot had stopped after sending the DELETE, before recording its answer; on resuming, a GET confirmed the offer is gone (404).} ' +
    'other {Adobe accepted the DELETE and a GET confirmed the offer is gone (404).}}',
  'outcome.because.alreadyGone':
    '{deleteSent, select, no {Someone else deleted the offer before the approval; offer-bot sent no DELETE.} ' +
    'other {The DELETE answered 404: someone else had deleted the offer before this request’s DELETE arrived. A GET confirmed it is gone.}}',
  'outcome.because.deletedDespiteError':
    '{answer, select, refused {Adobe refused the DELETE ({said}), yet a GET then found the offer gone (404).} ' +
    'serverError {Adobe answered the DELETE with a server error ({said}), which does not say whether it was applied, but a GET then confirmed the offer is gone (404): this request deleted it.} ' +
    'other {Adobe did not answer the DELETE ({said}), but a GET then confirmed the offer is gone (404): this request deleted it.}}',
  'outcome.because.notConfirmed':
    '{check, select, found {a GET still found the offer} other {the check failed: {failure}}} {seconds, number, ::unit/second unit-width-narrow} after the DELETE. ' +
    'Check the offer in Journey Optimizer.',
  'outcome.because.deleteUnanswered':
    '{answer, select, serverError {Adobe answered the DELETE with a server error ({said}), which does not say whether it was applied} other {Adobe did not answer the DELETE ({said})}}, ' +
    'so offer-bot did not send it again. {check, select, found {A GET still found the offer} other {The check failed: {failure}}} ' +
    '{seconds, number, ::unit/second unit-width-narrow} later: check the offer in Journey Optimizer, and ask again if it should still go.',
  'outcome.because.deleteRefused':
    'Adobe refused the DELETE: {failure}. {check, select, found {The offer is still there.} other {Nothing was deleted (checking afterwards failed: {checkFailure}).}}',
  'outcome.because.offerInUse':
    'Adobe would not delete it because a collection or a decision still uses it: remove it from those first, then ask again. ' +
    'Adobe said: {quoted, select, yes {“{adobeMessage}” (HTTP {status})} other {{failure}}}.',
  'outcome.because.deleteNotSent': 'offer-bot could not send the DELETE ({failure}), so nothing was deleted. Ask again shortly.',
  'outcome.failure.unexpected': 'an unexpected error occurred',
  'outcome.failure.withFacts': '{message} ({facts})',
  'outcome.failure.status': 'HTTP {status}',
  'outcome.failure.requestId': 'request id {requestId}',
  'outcome.failure.noAnswer': 'no answer: {error}',
  'outcome.change.etag': 'etag {before} → {after}',
  'outcome.change.modified': 'modified {after}',
  'outcome.change.modifiedBy': 'modified {after} by {by}',
  'outcome.change.none': 'none',
  'outcome.change.unknown': 'unknown',

  // Answers to the requester's command.
  'reply.lookupFailed': 'I could not look up offer {offerId} in sandbox {sandbox}: {failure}. Nothing was posted.',
  'reply.offerNotFound': 'Sandbox {sandbox} has no personalized offer {offerId}. Nothing was posted.',
  'reply.confirmationSlow': 'Your request to delete {offerId} is recorded; Slack is slow to take the confirmation, which will appear in the channel shortly.',
  'reply.confirmationPosted': 'Posted your request to delete {offerId}. Someone else must approve it before it expires.',
  'reply.notInChannel':
    'I am not a member of this channel, so I could not post the request. Invite me with `/invite @offer-bot`, then ask again. Nothing was posted.',
  'reply.confirmationRefused': 'Slack refused the confirmation message ({slackError}); nothing was posted and nothing will be deleted.',
  'reply.internalFailure': 'offer-bot could not handle this request ({code}); nothing was deleted. Try again shortly.',
  'reply.foreignUser': 'You belong to another Slack organisation than this workspace, so offer-bot takes no requests from you here. Nothing was done.',
  'reply.guestRequestsOff': 'Guests cannot ask for offer deletions in this workspace (OFFER_ALLOW_GUEST_REQUESTS=false). Nothing was done.',
  'sandbox.unknown': 'offer-bot knows no sandbox {requested}. From this channel you can use {allowed}. Nothing was done.',
  'sandbox.notAllowed':
    'Sandbox {requested} cannot be used from this channel (OFFER_SANDBOXES): here you can use {allowed}. Ask where {requested} is allowed. Nothing was done.',
  'reply.peopleUnavailable': 'I could not check your Slack account just now; nothing was done. Try again in a moment.',
  'reply.overLimit':
    'You already have {open, plural, one {# open deletion request} other {# open deletion requests}}, the most one person may have at once (OFFER_MAX_OPEN_PER_USER). ' +
    'Wait until one is decided, or cancel one, then ask again; `/offer history` lists them. Nothing was posted.',
  'reply.alreadyRequested':
    'There is already an open request to delete {offerId} from sandbox {sandbox} (by {requester} in {channel}, {state}). Decide that one first.',
  'reply.alreadyRequestedHidden':
    'There is already an open request to delete {offerId} from sandbox {sandbox} in a channel you cannot see.{then} Nothing was posted.',
  'reply.hiddenPending': ' It waits for a decision until {expires}; an approver who asks again here takes it over.',
  'reply.hiddenUnderWay': ' Its deletion is under way.',

  // What the clicker alone is told.
  'click.internalFailure': 'offer-bot could not record your click ({code}). Try again shortly.',
  'click.ownRequest': 'You cannot approve your own request: someone else must approve it.',
  'click.notAnApprover': 'You are not on the list of people who may approve or reject offer deletions (OFFER_APPROVERS).',
  'click.notTheRequester': 'Only the person who asked for this deletion can cancel it.',
  'click.foreignUser': 'You belong to another Slack organisation than this request, so you cannot decide it; nothing was changed.',
  'click.guest': 'Guests cannot approve or reject offer deletions; nothing was changed. Ask a full member of the workspace.',
  'click.expired': 'This request has expired; nothing was deleted. Ask again with `/offer delete` if it is still needed.',
  'click.alreadyDecidedAs': 'This request was already decided: {state}',
  'click.alreadyDecided': 'This request was already decided.',
  'click.unknownRequest': 'This button does not belong to a deletion request I know; nothing was changed.',
  'click.approversUnavailable': 'I could not check with Slack who you are or who may approve just now; nothing was changed. Try again in a moment.',

  // The direct message when a later write to the channel was given up on.
  'gap.text': 'offer-bot could not post {what} in {channel} ({slackError}). Your request to delete {offerId} is {state}.',
  'gap.outcome': 'the outcome in its thread',
  'gap.update': 'the update of its message',
  'requestState.pending': 'pending',
  'requestState.approved': 'approved',
  'requestState.deleting': 'deleting',
  'requestState.deleted': 'deleted',
  'requestState.failed': 'failed',
  'requestState.unverified': 'unverified',
  'requestState.rejected': 'rejected',
  'requestState.cancelled': 'cancelled',
  'requestState.expired': 'expired',

  // A date as Slack renders it for each reader (its tokens are given as values, in Slack's own braces).
  'date.at': '{date} at {time}',

  // `/offer history`, shown to the caller alone.
  'history.empty': 'No offer deletion requests{about} yet.',
  'history.about': ' for {offerId}',
  'history.heading': 'Latest {count, plural, one {offer deletion request} other {# offer deletion requests}}{about}, newest first:',
  'history.offer': '*{name}* {offerId} in sandbox {sandbox}',
  'history.asked': 'Asked by {requester} {when} in {channel}{link}',
  'history.threadLink': ' · <{url}|thread>',
  'history.request': 'Request {requestId}',
  'history.pending': ':hourglass: waiting for approval until {expires}',
  'history.deleting': ':hourglass_flowing_sand: approved by {by}, deleting…',
  'history.deleted': ':white_check_mark: deleted {when}, approved by {by}',
  'history.failed': ':x: not deleted, approved by {by}: {summary}',
  'history.unverified': ':grey_question: deletion not confirmed, approved by {by}: {summary}',
  'history.rejected': ':no_entry_sign: rejected by {by}',
  'history.cancelled': ':leftwards_arrow_with_hook: cancelled by {by}',
  'history.expired': ':alarm_clock: expired {expires} without a decision',
  'history.hintAll': "`{command} history <offer-id>` shows one offer's requests.",
  'history.hintOne': '`{command} history` shows the latest requests for every offer.',

  // Command acks and the usage text.
  'usage.intro': "*{command}* deletes a personalized offer from Adobe Journey Optimizer's Offer Library, after a second person approves.",
  'usage.delete': '• `{command} delete <offer-id> [reason]` asks for the deletion; the request is posted here for approval.',
  'sandbox.usage': '• `{command} delete <offer-id> [reason] --sandbox <name>` asks in another sandbox this channel may use: {allowed}.',
  'usage.history': "• `{command} history [offer-id]` shows you the latest requests (or one offer's): who asked, when, how each ended and a link to its thread.",
  'usage.help': '• `{command} help` shows this.',
  'usage.offerIds': 'Offer ids look like `dps:personalized-offer:1a4c514f745dbd7c`.',
  'command.malformed': 'Slack sent this command without the fields offer-bot needs; nothing was done.',
  'command.otherWorkspace': 'This offer-bot serves another Slack workspace, so it takes no commands from this one. Nothing was done.',
  'command.onlyIn': '{command} works only in {channels}. Nothing was done.',
  'command.lookingUp': 'Looking up offer {offerId} in sandbox {sandbox}…',
  'command.historyFailed': 'offer-bot could not read the history just now ({code}). Try again shortly.',

  // Why the parser could not read a command (its codes and facts, src/deletion/command.ts), before the usage.
  'parse.unknownVerb': '`{verb}` is not an {command} command.',
  'parse.missingOfferId': 'Which offer? Give its id: `{command} delete <offer-id> [reason]`.',
  'parse.offerIdTooLong': 'That offer id is too long: offer ids have at most {max, plural, one {# character} other {# characters}}.',
  'parse.notAnOfferId':
    'That is not an offer id: ids are letters, digits, `:`, `_` and `-`, starting with a letter or digit (e.g. `dps:personalized-offer:1a4c514f745dbd7c`).',
  'parse.reasonTooLong': 'The reason is too long: at most {max, plural, one {# character} other {# characters}}.',
  'parse.historyExtraWords': 'History takes at most one offer id: `{command} history [offer-id]`.',
  'parse.sandboxTwice': 'Name one sandbox: `--sandbox <name>` once.',
  'parse.sandboxNameMissing': 'Which sandbox? Follow `--sandbox` with its name, such as `--sandbox stage`.',
  'parse.notASandboxName': '`{name}` is not a sandbox name: sandbox names are lower-case letters, digits and hyphens (e.g. `stage`).',

  // ---- Restore a deleted offer (src/deletion/restore.ts): the button, the request in the thread, its outcome, the refusals.
  'requestState.restoring': 'restoring',
  'requestState.restored': 'restored',
  'history.restoring': ':hourglass_flowing_sand: restore approved by {by}, restoring…',
  'history.restored': ':recycle: restored {when}, approved by {by}',
  'history.restoreOf': 'Restore of {offerId}',
  'state.restoring': ':hourglass_flowing_sand: Approved by {decider} — restoring…',
  'state.restored': ':white_check_mark: Restored. Approved by {decider}.',
  'restore.state.failed': ':x: Not restored: {outcome}',
  'restore.state.unverified': ':grey_question: Restore not confirmed: {outcome}',
  'restore.button': 'Restore',
  'restore.confirm.title': 'Ask to restore it?',
  'restore.confirm.text': 'This asks to re-create *{name}* in sandbox {sandbox} from its stored JSON, under a new id. Someone else must approve it.',
  'restore.confirm.yes': 'Ask to restore',
  'restore.confirm.no': 'Not now',
  'restore.window': 'Can be restored until {until} (Restore, then a second person approves).',
  'restore.text': '{requester} asks to restore deleted personalized offer {name} ({offerId}) in sandbox {sandbox}.',
  'restore.title': ':recycle: Restore deleted personalized offer *{name}*',
  'restore.decidedTitle': 'Restore deleted personalized offer *{name}*',
  'restore.needsApproval': 'Re-creates the offer from its stored JSON under a new id. Needs approval by someone other than the requester. Expires {expires}.',
  'restore.approve.title': 'Restore this offer?',
  'restore.approve.text': 'This re-creates *{name}* in sandbox {sandbox} under a new id.',
  'restore.approve.yes': 'Restore it',
  'restore.outcome.restored': ':recycle: Restored personalized offer *{name}* in sandbox {sandbox}: its new id is {newId} (it was {offerId}).',
  'restore.outcome.failed': ':x: Did not restore personalized offer *{name}* ({offerId}) in sandbox {sandbox}.',
  'restore.outcome.unverified': ':grey_question: Could not confirm the restore of personalized offer *{name}* ({offerId}) in sandbox {sandbox}.',
  'restore.outcome.ended':
    'Request to restore {offerId} in sandbox {sandbox} {how, select, rejected {rejected by {decider} {decided}} cancelled {cancelled by {decider} {decided}} other {expired: nobody decided by {expires}}}. ' +
    'Requested by {requester} {requested}. Nothing was created.',
  'restore.because.restored':
    '{found, select, name {Adobe gave no clear answer to the POST ({failure}), so offer-bot did not send it again; a look-up by name then found the one new offer named like it.} ' +
    'resumed {offer-bot had stopped after sending the POST; on resuming, a look-up by name found the one new offer named like it.} ' +
    'other {Adobe created it (POST) and a GET found it.}}',
  'restore.because.notSent': 'offer-bot could not send the POST ({failure}), so nothing was created. Ask again with Restore.',
  'restore.because.refused': 'Adobe refused the POST: {failure}. Nothing was created.',
  'restore.because.unanswered':
    '{resumed, select, yes {offer-bot had stopped after sending the POST} other {Adobe gave no clear answer to the POST ({failure})}}, so offer-bot did not send it again, and ' +
    '{check, select, none {no new offer named like it appeared} several {several new offers are named like it ({ids})} other {the look-up by name failed: {lookupFailure}}}. ' +
    'Look in Journey Optimizer for an offer named “{name}” before creating it again.',
  'restore.because.notConfirmed':
    'Adobe created it under id {newId}, but a GET did not find it within {seconds, number, ::unit/second unit-width-narrow}. Check the offer in Journey Optimizer.',
  'restore.requested': 'Posted your request to restore {offerId} in its thread. Someone else must approve it before it expires.',
  'restore.refused.windowClosed': 'Restore was possible until {until} (OFFER_RESTORE_WINDOW); that time has passed. Nothing was done.',
  'restore.refused.notDeleted': 'Only a deleted offer can be restored; this request is {state}. Nothing was done.',
  'restore.refused.already': 'This deletion already has a restore request ({state}, asked by {requester}): an offer is restored once. Nothing was done.',
  'restore.refused.overLimit': 'You already have the most open requests one person may have at once (OFFER_MAX_OPEN_PER_USER). Nothing was done.',
  // Several approvals (OFFER_REQUIRED_APPROVALS) and decisions with a comment (the decision modal).
  'approvals.needed': 'Needs approval by {required} different people other than the requester. Expires {expires}.',
  'approvals.soFar': 'Approved by {approvers} ({count} of {required}).',
  'approvals.waiting': 'Waiting for {remaining, plural, one {one more approval} other {# more approvals}}.',
  'approvals.said': '{who} wrote:',
  'button.approveWithComment': 'Approve with comment…',
  'click.alreadyApproved':
    'You already approved this request: it needs {remaining, plural, one {one more approval} other {# more approvals}}, from someone else.',
  'click.formUnavailable': 'Slack would not show the comment form just now (it must open within 3 seconds of the click); nothing was changed. Click again.',
  'modal.approveTitle': 'Approve deletion',
  'modal.rejectTitle': 'Reject deletion',
  'modal.approveSubmit': 'Approve',
  'modal.rejectSubmit': 'Reject',
  'modal.close': 'Back',
  'modal.summary': 'Delete personalized offer *{name}* ({offerId}) from sandbox {sandbox}, asked by {requester}.',
  'modal.approveLast': 'Your approval is the last one needed: offer-bot deletes the offer at once. It cannot be undone.',
  'modal.approvePartial': 'Your approval is {count} of {required}: the offer is deleted after the last one.',
  'modal.reject': 'Rejecting ends the request and nothing is deleted. Say why: your comment goes into its thread.',
  'modal.commentLabel': 'Comment',
  'modal.commentHint': 'Shown in the request’s thread and kept in the audit trail.',
  'modal.commentRequired': 'Say why you reject it: a Reject needs a comment.',
  'modal.commentTooLong': 'At most {max, plural, one {# character} other {# characters}}.',

  // Finding offers by name (helper find): `/offer find`, and the form `/offer delete` opens without an id.
  'parse.missingSearchText': 'Find which offers? Give part of a name: `{command} find <text>`.',
  'parse.searchTextTooLong': 'That is too long to search for: at most {max, plural, one {# character} other {# characters}}.',
  'usage.find':
    '• `{command} find <text>` lists to you the offers whose name contains the text, with their ids; `{command} delete` without an id opens a form that finds the offer by name.',
  'find.heading': 'Personalized offers in sandbox {sandbox} whose name contains {text}, most recently changed first:',
  'find.entry': '*{name}* {offerId}\n{status} · last changed {modified}',
  'find.more': 'Only the first {count} are shown: type more of the name to narrow it down.',
  'find.none': 'No personalized offer in sandbox {sandbox} has a name containing {text}.',
  'find.hint': 'To ask for a deletion: `{command} delete <offer-id> [reason]`, or `{command} delete` to pick the offer by name.',
  'find.failed': 'I could not search the offers of sandbox {sandbox}: {failure}. Nothing was changed.',
  'form.title': 'Delete an offer',
  'form.submit': 'Ask for approval',
  'form.close': 'Cancel',
  'form.intro': 'Find the offer by name. The request is posted in {channel}, where someone else must approve it.',
  'form.sandbox': 'Sandbox',
  'form.offer': 'Offer',
  'form.offerPlaceholder': 'Type part of its name',
  'form.reason': 'Reason',
  'form.reasonPlaceholder': 'Why should it go? (e.g. campaign ended)',
  'form.option': '{name} · {status} · {modified}',
  'form.noMatch': 'No offer name contains “{text}”',
  'form.searchFailed': 'Search failed: try again in a moment',
  'form.sandboxRefused': 'Not a sandbox this channel may use',
  'form.notAnOffer': 'Pick an offer from the list.',
  'form.sandboxNotAllowed': 'Sandbox {sandbox} cannot be used from this channel: pick one of the list.',
  'form.reasonMissing': 'Say why the offer should be deleted.',
  'form.reasonTooLong': 'The reason is too long: at most {max, plural, one {# character} other {# characters}}.',
  'form.openFailed':
    "I could not open the form ({code}). Give the offer's id instead: `{command} delete <offer-id> [reason]`; `{command} find <text>` finds it by name.",

  // The requester's direct message, the thread's reminder and the App Home tab (helper `home`: DM, reminder, Home).
  'dm.ended': 'Your request to delete personalized offer *{name}* ({offerId}) from sandbox {sandbox} has ended:',
  'dm.thread': '<{url}|Open its thread> in {channel} for the details.',
  'dm.channel': 'Its confirmation never reached {channel}, so there is no thread.',
  'reminder.waiting':
    ':bell: Still waiting for a decision: deleting personalized offer *{name}* ({offerId}) from sandbox {sandbox}, asked by {requester}. It expires {expires}.',
  'reminder.anyoneElse': 'Anyone in this workspace but {requester} may approve or reject it above.',
  'reminder.anyone': 'Anyone in this workspace may approve or reject it above.',
  'reminder.approvers': '{mentions}{more, plural, =0 {} other { and # more}} may approve or reject it above.',
  'reminder.nobody': 'Nobody on the approver list may decide it (OFFER_APPROVERS): it expires unless the list changes.',
  'home.title': 'Offer deletions',
  'home.waitingHeading': '*Waiting for your decision*',
  'home.waitingEmpty': 'Nothing is waiting for your decision.',
  'home.waitingUnavailable': 'offer-bot could not check with Slack who may decide just now; open this tab again in a moment.',
  'home.ownHeading': '*Your recent requests*',
  'home.ownEmpty': 'You have not asked for any offer deletions yet.',
  'home.hint': 'Ask with `{command} delete <offer-id> [reason]` in a channel offer-bot is in; `{command} history` lists the latest requests of everyone.',
  // Restore's wording where the other features talk about a request (helper polish): the DM, the gap DM, the reminder, the decision modal.
  'restore.dm.ended': 'Your request to restore deleted personalized offer *{name}* ({offerId}) in sandbox {sandbox} has ended:',
  'restore.dm.newId': 'Its new id is {newId}.',
  'restore.gap.text': 'offer-bot could not post {what} in {channel} ({slackError}). Your request to restore {offerId} is {state}.',
  'restore.reminder.waiting':
    ':bell: Still waiting for a decision: restoring deleted personalized offer *{name}* ({offerId}) in sandbox {sandbox}, asked by {requester}. It expires {expires}.',
  'restore.modal.approveTitle': 'Approve restore',
  'restore.modal.rejectTitle': 'Reject restore',
  'restore.modal.summary': 'Restore deleted personalized offer *{name}* ({offerId}) in sandbox {sandbox} under a new id, asked by {requester}.',
  'restore.modal.approveLast': 'Your approval is the last one needed: offer-bot re-creates the offer at once, under a new id.',
  'restore.modal.approvePartial': 'Your approval is {count} of {required}: the offer is re-created after the last one.',
  'restore.modal.reject': 'Rejecting ends the request and nothing is re-created. Say why: your comment goes into its thread.',
} as const;

export type MessageId = keyof typeof en;
export type Catalogue = Record<MessageId, string>;
