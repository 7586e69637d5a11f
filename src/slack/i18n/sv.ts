// The Swedish catalogue: the same ids as the English one (the type and a test hold them in step), in natural Swedish.
import type { Catalogue } from './en.js';

export const sv: Catalogue = {
  'confirmation.text': '{requester} vill ta bort det personaliserade erbjudandet {name} ({offerId}) i sandlådan {sandbox}.',
  'confirmation.title': ':warning: Ta bort det personaliserade erbjudandet *{name}*',
  'confirmation.decidedTitle': 'Ta bort det personaliserade erbjudandet *{name}*',
  'confirmation.decidedText': 'Personaliserat erbjudande {name} ({offerId}): {line}',
  'confirmation.needsApproval': 'Måste godkännas av någon annan än beställaren. Löper ut {expires}.',
  'field.offerId': 'Erbjudandets id',
  'field.status': 'Status',
  'offer.status': '{status, select, draft {utkast} approved {godkänt} archived {arkiverat} other {{status}}}',
  'field.sandbox': 'Sandlåda',
  'field.lastModified': 'Senast ändrat',
  'field.requestedBy': 'Begärt av',
  'field.reason': 'Skäl',
  'field.modifiedBy': '{when} av {who}',
  'field.modifiedUnknown': 'okänt',
  'field.noReason': '_inget angivet_',
  'button.approve': 'Godkänn',
  'button.reject': 'Avvisa',
  'button.cancel': 'Avbryt (beställaren)',
  'confirm.title': 'Ta bort erbjudandet?',
  'confirm.text': 'Detta tar bort *{name}* från sandlådan {sandbox}. Det går inte att ångra.',
  'confirm.yes': 'Ta bort',
  'confirm.no': 'Behåll',
  'state.pending': 'Väntar på godkännande.',
  'state.deleting': ':hourglass_flowing_sand: Godkänt av {decider} — tas bort…',
  'state.deleted': ':white_check_mark: Borttaget. Godkänt av {decider}.',
  'state.failed': ':x: Inte borttaget: {outcome}',
  'state.failedUnknown': 'borttagningen misslyckades',
  'state.unverified': ':grey_question: Borttagningen är inte bekräftad: {outcome}',
  'state.unverifiedUnknown': 'Adobe visade fortfarande erbjudandet',
  'state.rejected': ':no_entry_sign: Avvisat av {decider}.',
  'state.cancelled': ':leftwards_arrow_with_hook: Avbrutet av {decider}.',
  'state.expired': ':alarm_clock: Löpte ut {expires} utan beslut.',

  'outcome.rejected':
    'Begäran om att ta bort {offerId} från sandlådan {sandbox} avvisades av {decider} {decided}{superseded}. Begärd av {requester} {requested}. Inget togs bort.',
  'outcome.cancelled':
    'Begäran om att ta bort {offerId} från sandlådan {sandbox} avbröts av {decider} {decided}{superseded}. Begärd av {requester} {requested}. Inget togs bort.',
  'outcome.expired':
    'Begäran om att ta bort {offerId} från sandlådan {sandbox} löpte ut utan att någon beslutat före {expires}{superseded}. Begärd av {requester} {requested}. Inget togs bort.',
  'outcome.superseded': ', som bad om den igen i en annan kanal',
  'outcome.deleted': ':white_check_mark: Tog bort det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox}.',
  'outcome.failed': ':x: Tog inte bort det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox}.',
  'outcome.unverified': ':grey_question: Kunde inte bekräfta borttagningen av det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox}.',
  'outcome.timeline': 'Begärd av {requester} {requested}; godkänd av {decider} {decided}; klar {finished}.',
  'outcome.auditHint': 'Erbjudandets JSON som det godkändes sparas: {command}',
  'outcome.adobeRequestIds': 'Adobes request-id: {ids}',
  'outcome.because.superseded': 'ersatt av en ny begäran',
  'outcome.because.lookupFailed': 'offer-bot kunde inte slå upp erbjudandet igen före borttagningen: {failure}. Ingen DELETE skickades.',
  'outcome.because.offerChanged': 'erbjudandet ändrades efter begäran ({changes}), så det togs inte bort. Fråga igen om det fortfarande ska tas bort.',
  'outcome.because.deleted':
    '{resumed, select, yes {offer-bot hade stannat efter att ha skickat DELETE, innan svaret registrerades; när arbetet återupptogs bekräftade en GET att erbjudandet är borta (404).} ' +
    'other {Adobe godtog DELETE och en GET bekräftade att erbjudandet är borta (404).}}',
  'outcome.because.alreadyGone':
    '{deleteSent, select, no {Någon annan tog bort erbjudandet före godkännandet; offer-bot skickade ingen DELETE.} ' +
    'other {DELETE svarade 404: någon annan hade tagit bort erbjudandet innan den här begärans DELETE kom fram. En GET bekräftade att det är borta.}}',
  'outcome.because.deletedDespiteError':
    '{answer, select, refused {Adobe avvisade DELETE ({said}), men en GET visade sedan att erbjudandet är borta (404).} ' +
    'serverError {Adobe svarade på DELETE med ett serverfel ({said}), som inte säger om den utfördes, men en GET bekräftade sedan att erbjudandet är borta (404): den här begäran tog bort det.} ' +
    'other {Adobe svarade inte på DELETE ({said}), men en GET bekräftade sedan att erbjudandet är borta (404): den här begäran tog bort det.}}',
  'outcome.because.notConfirmed':
    '{check, select, found {En GET hittade fortfarande erbjudandet} other {Kontrollen misslyckades: {failure}}} {seconds, number, ::unit/second unit-width-narrow} efter DELETE. ' +
    'Kontrollera erbjudandet i Journey Optimizer.',
  'outcome.because.deleteUnanswered':
    '{answer, select, serverError {Adobe svarade på DELETE med ett serverfel ({said}), som inte säger om den utfördes} other {Adobe svarade inte på DELETE ({said})}}, ' +
    'så offer-bot skickade den inte igen. {check, select, found {En GET hittade fortfarande erbjudandet} other {Kontrollen misslyckades: {failure}}} ' +
    '{seconds, number, ::unit/second unit-width-narrow} senare: kontrollera erbjudandet i Journey Optimizer, och fråga igen om det fortfarande ska tas bort.',
  'outcome.because.deleteRefused':
    'Adobe avvisade DELETE: {failure}. {check, select, found {Erbjudandet finns kvar.} other {Inget togs bort (kontrollen efteråt misslyckades: {checkFailure}).}}',
  'outcome.because.offerInUse':
    'Adobe ville inte ta bort det eftersom en samling eller ett beslut fortfarande använder det: ta bort det därifrån först och fråga sedan igen. ' +
    'Adobe svarade: {quoted, select, yes {”{adobeMessage}” (HTTP {status})} other {{failure}}}.',
  'outcome.because.deleteNotSent': 'offer-bot kunde inte skicka DELETE ({failure}), så inget togs bort. Försök igen om en stund.',
  'outcome.failure.unexpected': 'ett oväntat fel inträffade',
  'outcome.failure.withFacts': '{message} ({facts})',
  'outcome.failure.status': 'HTTP {status}',
  'outcome.failure.requestId': 'request-id {requestId}',
  'outcome.failure.noAnswer': 'inget svar: {error}',
  'outcome.change.etag': 'etag {before} → {after}',
  'outcome.change.modified': 'ändrat {after}',
  'outcome.change.modifiedBy': 'ändrat {after} av {by}',
  'outcome.change.none': 'ingen',
  'outcome.change.unknown': 'okänt',

  'reply.lookupFailed': 'Jag kunde inte slå upp erbjudandet {offerId} i sandlådan {sandbox}: {failure}. Inget postades.',
  'reply.offerNotFound': 'Sandlådan {sandbox} har inget personaliserat erbjudande {offerId}. Inget postades.',
  'reply.confirmationSlow':
    'Din begäran om att ta bort {offerId} är registrerad; Slack är långsamt med att ta emot bekräftelsen, som snart dyker upp i kanalen.',
  'reply.confirmationPosted': 'Din begäran om att ta bort {offerId} är postad. Någon annan måste godkänna den innan den löper ut.',
  'reply.notInChannel':
    'Jag är inte medlem i den här kanalen, så jag kunde inte posta begäran. Bjud in mig med `/invite @offer-bot` och fråga sedan igen. Inget postades.',
  'reply.confirmationRefused': 'Slack avvisade bekräftelsemeddelandet ({slackError}); inget postades och inget kommer att tas bort.',
  'reply.internalFailure': 'offer-bot kunde inte hantera begäran ({code}); inget togs bort. Försök igen om en stund.',
  'reply.foreignUser': 'Du tillhör en annan Slack-organisation än den här arbetsytan, så offer-bot tar inte emot begäranden från dig här. Inget gjordes.',
  'reply.guestRequestsOff': 'Gäster kan inte be om att erbjudanden tas bort i den här arbetsytan (OFFER_ALLOW_GUEST_REQUESTS=false). Inget gjordes.',
  'sandbox.unknown': 'offer-bot känner inte till någon sandlåda {requested}. Från den här kanalen kan du använda {allowed}. Inget gjordes.',
  'sandbox.notAllowed':
    'Sandlådan {requested} kan inte användas från den här kanalen (OFFER_SANDBOXES): här kan du använda {allowed}. Fråga där {requested} är tillåten. Inget gjordes.',
  'reply.peopleUnavailable': 'Jag kunde inte kontrollera ditt Slack-konto just nu; inget gjordes. Försök igen om en stund.',
  'reply.overLimit':
    'Du har redan {open, plural, one {# öppen begäran} other {# öppna begäranden}} om borttagning, det högsta antal en person får ha samtidigt (OFFER_MAX_OPEN_PER_USER). ' +
    'Vänta tills någon av dem är avgjord, eller avbryt en, och fråga sedan igen; `/offer history` listar dem. Inget postades.',
  'reply.alreadyRequested':
    'Det finns redan en öppen begäran om att ta bort {offerId} från sandlådan {sandbox} (från {requester} i {channel}, {state}). Avgör den först.',
  'reply.alreadyRequestedHidden':
    'Det finns redan en öppen begäran om att ta bort {offerId} från sandlådan {sandbox} i en kanal du inte kan se.{then} Inget postades.',
  'reply.hiddenPending': ' Den väntar på beslut till {expires}; en godkännare som frågar igen här tar över den.',
  'reply.hiddenUnderWay': ' Borttagningen pågår.',

  'click.internalFailure': 'offer-bot kunde inte registrera ditt klick ({code}). Försök igen om en stund.',
  'click.ownRequest': 'Du kan inte godkänna din egen begäran: någon annan måste godkänna den.',
  'click.notAnApprover': 'Du står inte på listan över dem som får godkänna eller avvisa borttagning av erbjudanden (OFFER_APPROVERS).',
  'click.notTheRequester': 'Bara den som bad om borttagningen kan avbryta den.',
  'click.foreignUser': 'Du tillhör en annan Slack-organisation än den här begäran, så du kan inte avgöra den; inget ändrades.',
  'click.guest': 'Gäster kan inte godkänna eller avvisa borttagning av erbjudanden; inget ändrades. Be en fullvärdig medlem av arbetsytan.',
  'click.expired': 'Begäran har löpt ut; inget togs bort. Fråga igen med `/offer delete` om det fortfarande behövs.',
  'click.alreadyDecidedAs': 'Begäran är redan avgjord: {state}',
  'click.alreadyDecided': 'Begäran är redan avgjord.',
  'click.unknownRequest': 'Knappen hör inte till någon begäran om borttagning som jag känner till; inget ändrades.',
  'click.approversUnavailable': 'Jag kunde inte kontrollera med Slack vem du är eller vem som får godkänna just nu; inget ändrades. Försök igen om en stund.',

  'gap.text': 'offer-bot kunde inte posta {what} i {channel} ({slackError}). Din begäran om att ta bort {offerId} är {state}.',
  'gap.outcome': 'utfallet i tråden',
  'gap.update': 'uppdateringen av meddelandet',
  'requestState.pending': 'väntande',
  'requestState.approved': 'godkänd',
  'requestState.deleting': 'under borttagning',
  'requestState.deleted': 'borttagen',
  'requestState.failed': 'misslyckad',
  'requestState.unverified': 'obekräftad',
  'requestState.rejected': 'avvisad',
  'requestState.cancelled': 'avbruten',
  'requestState.expired': 'utgången',

  'history.empty': 'Inga begäranden om borttagning av erbjudanden{about} än.',
  'history.about': ' för {offerId}',
  'history.heading': '{count, plural, one {Senaste begäran} other {De # senaste begärandena}} om borttagning av erbjudanden{about}, nyast först:',
  'history.offer': '*{name}* {offerId} i sandlådan {sandbox}',
  'history.asked': 'Begärd av {requester} {when} i {channel}{link}',
  'history.threadLink': ' · <{url}|tråd>',
  'history.request': 'Begäran {requestId}',
  'history.pending': ':hourglass: väntar på godkännande till {expires}',
  'history.deleting': ':hourglass_flowing_sand: godkänd av {by}, tas bort…',
  'history.deleted': ':white_check_mark: borttagen {when}, godkänd av {by}',
  'history.failed': ':x: inte borttagen, godkänd av {by}: {summary}',
  'history.unverified': ':grey_question: borttagningen är inte bekräftad, godkänd av {by}: {summary}',
  'history.rejected': ':no_entry_sign: avvisad av {by}',
  'history.cancelled': ':leftwards_arrow_with_hook: avbruten av {by}',
  'history.expired': ':alarm_clock: löpte ut {expires} utan beslut',
  'history.hintAll': '`{command} history <offer-id>` visar ett erbjudandes begäranden.',
  'history.hintOne': '`{command} history` visar de senaste begärandena för alla erbjudanden.',

  'date.at': '{date} kl. {time}',

  'usage.intro': '*{command}* tar bort ett personaliserat erbjudande från Offer Library i Adobe Journey Optimizer, när en andra person har godkänt.',
  'usage.delete': '• `{command} delete <offer-id> [reason]` ber om borttagningen; begäran postas här för godkännande.',
  'sandbox.usage': '• `{command} delete <offer-id> [reason] --sandbox <name>` ber om det i en annan sandlåda som den här kanalen får använda: {allowed}.',
  'usage.history':
    '• `{command} history [offer-id]` visar dig de senaste begärandena (eller ett erbjudandes): vem som bad, när, hur var och en slutade och en länk till dess tråd.',
  'usage.help': '• `{command} help` visar detta.',
  'usage.offerIds': 'Erbjudandens id ser ut som `dps:personalized-offer:1a4c514f745dbd7c`.',
  'command.malformed': 'Slack skickade kommandot utan de fält offer-bot behöver; inget gjordes.',
  'command.otherWorkspace': 'Den här offer-bot betjänar en annan Slack-arbetsyta, så den tar inte emot kommandon från den här. Inget gjordes.',
  'command.onlyIn': '{command} fungerar bara i {channels}. Inget gjordes.',
  'command.lookingUp': 'Slår upp erbjudandet {offerId} i sandlådan {sandbox}…',
  'command.historyFailed': 'offer-bot kunde inte läsa historiken just nu ({code}). Försök igen om en stund.',

  'parse.unknownVerb': '`{verb}` är inget {command}-kommando.',
  'parse.missingOfferId': 'Vilket erbjudande? Ange dess id: `{command} delete <offer-id> [reason]`.',
  'parse.offerIdTooLong': 'Det id:t är för långt: ett erbjudandes id har högst {max, plural, one {# tecken} other {# tecken}}.',
  'parse.notAnOfferId':
    'Det är inget id för ett erbjudande: ett id består av bokstäver, siffror, `:`, `_` och `-` och börjar med en bokstav eller siffra (t.ex. `dps:personalized-offer:1a4c514f745dbd7c`).',
  'parse.reasonTooLong': 'Skälet är för långt: högst {max, plural, one {# tecken} other {# tecken}}.',
  'parse.historyExtraWords': 'Kommandot history tar högst ett erbjudandes id: `{command} history [offer-id]`.',
  'parse.sandboxTwice': 'Ange en sandlåda: `--sandbox <namn>` en gång.',
  'parse.sandboxNameMissing': 'Vilken sandlåda? Skriv dess namn efter `--sandbox`, till exempel `--sandbox stage`.',
  'parse.notASandboxName': '`{name}` är inget sandlådenamn: sandlådenamn består av små bokstäver, siffror och bindestreck (t.ex. `stage`).',

  // ---- Restore a deleted offer (src/deletion/restore.ts): the button, the request in the thread, its outcome, the refusals.
  'requestState.restoring': 'återställs',
  'requestState.restored': 'återställd',
  'history.restoring': ':hourglass_flowing_sand: återställning godkänd av {by}, återställer…',
  'history.restored': ':recycle: återställd {when}, godkänd av {by}',
  'history.restoreOf': 'Återställning av {offerId}',
  'state.restoring': ':hourglass_flowing_sand: Godkänt av {decider} — återställer…',
  'state.restored': ':white_check_mark: Återställt. Godkänt av {decider}.',
  'restore.state.failed': ':x: Inte återställt: {outcome}',
  'restore.state.unverified': ':grey_question: Återställningen är inte bekräftad: {outcome}',
  'restore.button': 'Återställ',
  'restore.confirm.title': 'Be om återställning?',
  'restore.confirm.text':
    'Detta ber om att *{name}* skapas på nytt i sandlådan {sandbox} från sin sparade JSON, med ett nytt id. Någon annan måste godkänna det.',
  'restore.confirm.yes': 'Be om återställning',
  'restore.confirm.no': 'Inte nu',
  'restore.window': 'Kan återställas till {until} (Återställ, sedan godkänner en andra person).',
  'restore.text': '{requester} vill återställa det raderade personaliserade erbjudandet {name} ({offerId}) i sandlådan {sandbox}.',
  'restore.title': ':recycle: Återställ det raderade personaliserade erbjudandet *{name}*',
  'restore.decidedTitle': 'Återställ det raderade personaliserade erbjudandet *{name}*',
  'restore.needsApproval':
    'Skapar erbjudandet på nytt från sin sparade JSON med ett nytt id. Måste godkännas av någon annan än beställaren. Löper ut {expires}.',
  'restore.approve.title': 'Återställa erbjudandet?',
  'restore.approve.text': 'Detta skapar *{name}* på nytt i sandlådan {sandbox} med ett nytt id.',
  'restore.approve.yes': 'Återställ det',
  'restore.outcome.restored':
    ':recycle: Återställde det personaliserade erbjudandet *{name}* i sandlådan {sandbox}: dess nya id är {newId} (det var {offerId}).',
  'restore.outcome.failed': ':x: Återställde inte det personaliserade erbjudandet *{name}* ({offerId}) i sandlådan {sandbox}.',
  'restore.outcome.unverified':
    ':grey_question: Kunde inte bekräfta återställningen av det personaliserade erbjudandet *{name}* ({offerId}) i sandlådan {sandbox}.',
  'restore.outcome.ended':
    'Begäran om att återställa {offerId} i sandlådan {sandbox} {how, select, rejected {avvisades av {decider} {decided}} cancelled {avbröts av {decider} {decided}} other {löpte ut: ingen beslutade före {expires}}}. ' +
    'Begärd av {requester} {requested}. Inget skapades.',
  'restore.because.restored':
    '{found, select, name {Adobe gav inget tydligt svar på POST-anropet ({failure}), så offer-bot skickade det inte igen; en sökning på namnet hittade sedan det enda nya erbjudandet med det namnet.} ' +
    'resumed {offer-bot hade stannat efter att ha skickat POST-anropet; vid återupptagandet hittade en sökning på namnet det enda nya erbjudandet med det namnet.} ' +
    'other {Adobe skapade det (POST) och en GET hittade det.}}',
  'restore.because.notSent': 'offer-bot kunde inte skicka POST-anropet ({failure}), så inget skapades. Försök igen med Återställ.',
  'restore.because.refused': 'Adobe avvisade POST-anropet: {failure}. Inget skapades.',
  'restore.because.unanswered':
    '{resumed, select, yes {offer-bot hade stannat efter att ha skickat POST-anropet} other {Adobe gav inget tydligt svar på POST-anropet ({failure})}}, så offer-bot skickade det inte igen, och ' +
    '{check, select, none {inget nytt erbjudande med det namnet dök upp} several {flera nya erbjudanden har det namnet ({ids})} other {sökningen på namnet misslyckades: {lookupFailure}}}. ' +
    'Leta efter ett erbjudande med namnet ”{name}” i Journey Optimizer innan du skapar det igen.',
  'restore.because.notConfirmed':
    'Adobe skapade det med id {newId}, men en GET hittade det inte inom {seconds, number, ::unit/second unit-width-narrow}. Kontrollera erbjudandet i Journey Optimizer.',
  'restore.requested': 'Din begäran om att återställa {offerId} är postad i dess tråd. Någon annan måste godkänna den innan den löper ut.',
  'restore.refused.windowClosed': 'Återställning var möjlig till {until} (OFFER_RESTORE_WINDOW); den tiden har passerat. Inget gjordes.',
  'restore.refused.notDeleted': 'Bara ett raderat erbjudande kan återställas; den här begäran är {state}. Inget gjordes.',
  'restore.refused.already':
    'Den här raderingen har redan en begäran om återställning ({state}, från {requester}): ett erbjudande återställs en gång. Inget gjordes.',
  'restore.refused.overLimit': 'Du har redan så många öppna begäranden som en person får ha samtidigt (OFFER_MAX_OPEN_PER_USER). Inget gjordes.',
  // Several approvals (OFFER_REQUIRED_APPROVALS) and decisions with a comment (the decision modal).
  'approvals.needed': 'Måste godkännas av {required} olika personer utöver beställaren. Löper ut {expires}.',
  'approvals.soFar': 'Godkänt av {approvers} ({count} av {required}).',
  'approvals.waiting': 'Väntar på {remaining, plural, one {ett godkännande till} other {# godkännanden till}}.',
  'approvals.said': '{who} skrev:',
  'button.approveWithComment': 'Godkänn med kommentar…',
  'click.alreadyApproved':
    'Du har redan godkänt begäran: den behöver {remaining, plural, one {ett godkännande till} other {# godkännanden till}}, av någon annan.',
  'click.formUnavailable': 'Slack visade inte kommentarsformuläret just nu (det måste öppnas inom 3 sekunder efter klicket); inget ändrades. Klicka igen.',
  'modal.approveTitle': 'Godkänn borttagning',
  'modal.rejectTitle': 'Avvisa borttagning',
  'modal.approveSubmit': 'Godkänn',
  'modal.rejectSubmit': 'Avvisa',
  'modal.close': 'Tillbaka',
  'modal.summary': 'Ta bort det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox}, begärt av {requester}.',
  'modal.approveLast': 'Ditt godkännande är det sista som behövs: offer-bot tar bort erbjudandet direkt. Det går inte att ångra.',
  'modal.approvePartial': 'Ditt godkännande är {count} av {required}: erbjudandet tas bort efter det sista.',
  'modal.reject': 'Att avvisa avslutar begäran och inget tas bort. Skriv varför: din kommentar hamnar i dess tråd.',
  'modal.commentLabel': 'Kommentar',
  'modal.commentHint': 'Visas i begärans tråd och sparas i granskningsloggen.',
  'modal.commentRequired': 'Skriv varför du avvisar: ett avvisande behöver en kommentar.',
  'modal.commentTooLong': 'Högst {max, plural, one {# tecken} other {# tecken}}.',

  // Finding offers by name (helper find): `/offer find`, and the form `/offer delete` opens without an id.
  'parse.missingSearchText': 'Vilka erbjudanden? Ange en del av ett namn: `{command} find <text>`.',
  'parse.searchTextTooLong': 'Det är för långt att söka efter: högst {max, plural, one {# tecken} other {# tecken}}.',
  'usage.find':
    '• `{command} find <text>` visar dig de erbjudanden vars namn innehåller texten, med deras id; `{command} delete` utan id öppnar ett formulär som hittar erbjudandet efter namn.',
  'find.heading': 'Personaliserade erbjudanden i sandlådan {sandbox} vars namn innehåller {text}, senast ändrade först:',
  'find.entry': '*{name}* {offerId}\n{status} · senast ändrat {modified}',
  'find.more': 'Bara de {count} första visas: skriv mer av namnet för att snäva in sökningen.',
  'find.none': 'Inget personaliserat erbjudande i sandlådan {sandbox} har ett namn som innehåller {text}.',
  'find.hint': 'Be om en borttagning: `{command} delete <offer-id> [reason]`, eller `{command} delete` för att välja erbjudandet efter namn.',
  'find.failed': 'Jag kunde inte söka bland erbjudandena i sandlådan {sandbox}: {failure}. Inget ändrades.',
  'form.title': 'Ta bort ett erbjudande',
  'form.submit': 'Be om godkännande',
  'form.close': 'Avbryt',
  'form.intro': 'Hitta erbjudandet efter namn. Begäran postas i {channel}, där någon annan måste godkänna den.',
  'form.sandbox': 'Sandlåda',
  'form.offer': 'Erbjudande',
  'form.offerPlaceholder': 'Skriv en del av namnet',
  'form.reason': 'Skäl',
  'form.reasonPlaceholder': 'Varför ska det bort? (t.ex. kampanjen är slut)',
  'form.option': '{name} · {status} · {modified}',
  'form.noMatch': 'Inget erbjudandes namn innehåller ”{text}”',
  'form.searchFailed': 'Sökningen misslyckades: försök igen strax',
  'form.sandboxRefused': 'Ingen sandlåda den här kanalen får använda',
  'form.notAnOffer': 'Välj ett erbjudande i listan.',
  'form.sandboxNotAllowed': 'Sandlådan {sandbox} kan inte användas från den här kanalen: välj en i listan.',
  'form.reasonMissing': 'Skriv varför erbjudandet ska tas bort.',
  'form.reasonTooLong': 'Skälet är för långt: högst {max, plural, one {# tecken} other {# tecken}}.',
  'form.openFailed':
    'Jag kunde inte öppna formuläret ({code}). Ange erbjudandets id i stället: `{command} delete <offer-id> [reason]`; `{command} find <text>` hittar det efter namn.',

  // Direktmeddelandet till den som bad, trådens påminnelse och fliken Hem (helper `home`: DM, reminder, Home).
  'dm.ended': 'Din begäran om att ta bort det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox} är avslutad:',
  'dm.thread': '<{url}|Öppna tråden> i {channel} för detaljerna.',
  'dm.channel': 'Bekräftelsen nådde aldrig {channel}, så det finns ingen tråd.',
  'reminder.waiting':
    ':bell: Väntar fortfarande på ett beslut: borttagning av det personaliserade erbjudandet *{name}* ({offerId}) från sandlådan {sandbox}, begärd av {requester}. Den löper ut {expires}.',
  'reminder.anyoneElse': 'Vem som helst i arbetsytan utom {requester} kan godkänna eller avvisa den ovan.',
  'reminder.anyone': 'Vem som helst i arbetsytan kan godkänna eller avvisa den ovan.',
  'reminder.approvers': '{mentions}{more, plural, =0 {} other { och # till}} kan godkänna eller avvisa den ovan.',
  'reminder.nobody': 'Ingen på listan över godkännare kan besluta om den (OFFER_APPROVERS): den löper ut om inte listan ändras.',
  'home.title': 'Borttagning av erbjudanden',
  'home.waitingHeading': '*Väntar på ditt beslut*',
  'home.waitingEmpty': 'Inget väntar på ditt beslut.',
  'home.waitingUnavailable': 'offer-bot kunde inte fråga Slack vem som får besluta just nu; öppna fliken igen om en stund.',
  'home.ownHeading': '*Dina senaste begäranden*',
  'home.ownEmpty': 'Du har inte bett om att ta bort några erbjudanden ännu.',
  'home.hint':
    'Be om en borttagning med `{command} delete <offer-id> [reason]` i en kanal där offer-bot finns; `{command} history` visar allas senaste begäranden.',

  // Restore's wording where the other features talk about a request (helper polish): the DM, the gap DM, the reminder, the decision modal.
  'restore.dm.ended': 'Din begäran om att återställa det raderade personaliserade erbjudandet *{name}* ({offerId}) i sandlådan {sandbox} är avslutad:',
  'restore.dm.newId': 'Dess nya id är {newId}.',
  'restore.gap.text': 'offer-bot kunde inte posta {what} i {channel} ({slackError}). Din begäran om att återställa {offerId} är {state}.',
  'restore.reminder.waiting':
    ':bell: Väntar fortfarande på ett beslut: återställning av det raderade personaliserade erbjudandet *{name}* ({offerId}) i sandlådan {sandbox}, begärd av {requester}. Den löper ut {expires}.',
  'restore.modal.approveTitle': 'Godkänn återställning',
  'restore.modal.rejectTitle': 'Avvisa återställning',
  'restore.modal.summary':
    'Återställ det raderade personaliserade erbjudandet *{name}* ({offerId}) i sandlådan {sandbox} med ett nytt id, begärt av {requester}.',
  'restore.modal.approveLast': 'Ditt godkännande är det sista som behövs: offer-bot skapar erbjudandet på nytt direkt, med ett nytt id.',
  'restore.modal.approvePartial': 'Ditt godkännande är {count} av {required}: erbjudandet skapas på nytt efter det sista.',
  'restore.modal.reject': 'Att avvisa avslutar begäran och inget skapas på nytt. Skriv varför: din kommentar hamnar i dess tråd.',
};
