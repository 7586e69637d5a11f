// The playground page: a Slack-like channel view over what the Slack stand-in records, fed by server-sent events.
import { renderBlocks, renderMessage } from './blocks.js';
import { escapeHtml, type MrkdwnContext, renderMrkdwn } from './mrkdwn.js';
import './style.css';

type Json = Record<string, unknown>;
interface Person {
  id: string;
  name: string;
  role: string;
}
interface Channel {
  id: string;
  name: string;
  sandbox: string;
}
interface Shown {
  kind: 'message' | 'ephemeral';
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  text: string;
  blocks?: Json[];
  edited?: boolean;
  to?: string;
  at: number;
}
interface Offer {
  id: string;
  name: string;
  status: string;
  modified: string;
  lastModifiedBy?: string;
  etag: number;
}
interface OpenedView {
  id: string;
  user: string;
  view: Json;
}
interface Snapshot {
  timeline: Shown[];
  offers: Record<string, Offer[]>;
  views: OpenedView[];
  homes: Record<string, Json | null>;
}
interface Setup {
  people: Person[];
  channels: Channel[];
  bot: { id: string; name: string };
}

const $ = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`missing ${selector}`);
  return found;
};

const setup = (await (await fetch('/api/setup')).json()) as Setup;
const state = {
  me: setup.people[0]?.id ?? '',
  place: setup.channels[0]?.id ?? ('' as string),
  thread: undefined as string | undefined,
  snapshot: { timeline: [], offers: {}, views: [], homes: {} } as Snapshot,
  /** How many opened views the page has already shown (a new one opens the modal). */
  viewsSeen: 0,
  modal: undefined as string | undefined,
};
const HOME = 'home';

const ctx: MrkdwnContext = {
  userName: (id) => (id === setup.bot.id ? setup.bot.name : setup.people.find((p) => p.id === id)?.name),
  channelName: (id) => setup.channels.find((c) => c.id === id)?.name,
};

const post = async (path: string, body: Json): Promise<Json> => {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Json;
};

const channel = () => setup.channels.find((c) => c.id === state.place);
const nameOf = (id: string) => ctx.userName(id) ?? id;
const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const initials = (name: string) => name.slice(0, 1).toUpperCase();
const visible = (m: Shown) => m.kind === 'message' || m.to === state.me;

function messageHtml(m: Shown, replies: number): string {
  const isBot = m.user === setup.bot.id;
  const name = escapeHtml(nameOf(m.user));
  const eph = m.kind === 'ephemeral' ? '<div class="only-you">👁 Only visible to you</div>' : '';
  const thread =
    replies > 0 ? `<button type="button" class="thread-link" data-thread="${m.ts}">${replies} ${replies === 1 ? 'reply' : 'replies'}</button>` : '';
  return (
    `<div class="message${m.kind === 'ephemeral' ? ' ephemeral' : ''}" data-ts="${escapeHtml(m.ts)}" data-channel="${escapeHtml(m.channel)}">` +
    `<div class="avatar${isBot ? ' bot' : ''}">${isBot ? '🤖' : initials(nameOf(m.user))}</div><div class="body">${eph}` +
    `<div class="meta"><b>${name}</b>${isBot ? '<span class="app">APP</span>' : ''}<span class="time">${clock(m.at)}</span>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>` +
    `<div class="content">${renderMessage(m, ctx)}</div>${thread}</div></div>`
  );
}

function renderChannel(): void {
  const here = state.snapshot.timeline.filter((m) => m.channel === state.place && visible(m));
  const top = here.filter((m) => !m.thread_ts);
  const count = (ts: string) => here.filter((m) => m.thread_ts === ts).length;
  const list = $('#messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.innerHTML = top.length
    ? top.map((m) => messageHtml(m, count(m.ts))).join('')
    : '<div class="empty">No messages yet. Try <code>/offer help</code>.</div>';
  if (atBottom) list.scrollTop = list.scrollHeight;

  const pane = $('#thread');
  const parent = here.find((m) => m.ts === state.thread);
  pane.hidden = !parent;
  if (parent) {
    const replies = here.filter((m) => m.thread_ts === parent.ts);
    $('#thread-body').innerHTML =
      messageHtml(parent, 0) +
      `<div class="replies-count">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>` +
      `<div class="replies">${replies.map((m) => messageHtml(m, 0)).join('')}</div>`;
  }
}

function renderHome(): void {
  const home = state.snapshot.homes[state.me];
  $('#messages').innerHTML = home
    ? `<div class="home">${renderBlocks(home.blocks, ctx)}</div>`
    : '<div class="empty">offer-bot has published no Home tab for you (yet).</div>';
  $('#thread').hidden = true;
}

function renderLibrary(): void {
  const sandbox = channel()?.sandbox;
  const box = $('#library');
  if (!sandbox) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const offers = state.snapshot.offers[sandbox] ?? [];
  $('#library-title').textContent = `Offer Library stand-in · sandbox ${sandbox}`;
  $('#offers').innerHTML =
    offers
      .map(
        (o) =>
          `<li class="offer" data-offer="${escapeHtml(o.id)}"><div class="offer-name">${escapeHtml(o.name)} <span class="status">${escapeHtml(o.status)}</span></div>` +
          `<code class="offer-id">${escapeHtml(o.id)}</code><div class="offer-meta">etag ${o.etag} · modified ${escapeHtml(o.modified.slice(0, 16).replace('T', ' '))} by ${escapeHtml(o.lastModifiedBy ?? '?')}</div>` +
          `<div class="offer-actions"><button type="button" data-offer-do="request">Request deletion</button><button type="button" data-offer-do="edit" title="Someone edits it in Journey Optimizer">Edit</button><button type="button" data-offer-do="delete" title="Someone deletes it in Journey Optimizer">Delete</button></div></li>`,
      )
      .join('') || '<li class="empty">No offers left.</li>';
}

function renderNav(): void {
  $('#channels').innerHTML = setup.channels
    .map((c) => `<button type="button" class="nav${c.id === state.place ? ' current' : ''}" data-place="${c.id}"># ${escapeHtml(c.name)}</button>`)
    .join('');
  $('#apps').innerHTML =
    `<button type="button" class="nav${state.place === HOME ? ' current' : ''}" data-place="${HOME}">🤖 offer-bot <span class="tab">Home</span></button>`;
  const c = channel();
  $('#title').innerHTML = c ? `# ${escapeHtml(c.name)} <span class="sandbox">sandbox <code>${escapeHtml(c.sandbox)}</code></span>` : '🤖 offer-bot · Home';
  $('#composer').hidden = !c;
  $<HTMLInputElement>('#text').placeholder = c ? `Message #${c.name} (try /offer help)` : '';
}

function renderModal(): void {
  const mine = state.snapshot.views.filter((v) => v.user === state.me);
  const latest = state.snapshot.views.filter((v) => v.id === state.modal).at(-1);
  const modal = $('#modal');
  modal.hidden = !latest;
  if (!latest || mine.length === 0) return;
  const view = latest.view;
  const text = (t: unknown) => (typeof t === 'object' && t !== null ? escapeHtml(String((t as Json).text ?? '')) : '');
  $('#modal-title').innerHTML = text(view.title);
  $('#modal-body').innerHTML = renderBlocks(view.blocks, ctx);
  $('#modal-submit').hidden = !view.submit;
  $('#modal-submit').innerHTML = text(view.submit) || 'Submit';
  $('#modal-close').innerHTML = text(view.close) || 'Cancel';
}

function render(): void {
  renderNav();
  if (state.place === HOME) renderHome();
  else renderChannel();
  renderLibrary();
  renderModal();
}

function takeNewViews(): void {
  const views = state.snapshot.views;
  for (; state.viewsSeen < views.length; state.viewsSeen += 1) {
    const view = views[state.viewsSeen];
    if (view && view.user === state.me && (view.view.type ?? 'modal') === 'modal') state.modal = view.id;
  }
}

const events = new EventSource('/api/events');
events.onmessage = (event: MessageEvent<string>) => {
  state.snapshot = JSON.parse(event.data) as Snapshot;
  takeNewViews();
  render();
};

// Who you are.
const who = $<HTMLSelectElement>('#who');
who.innerHTML = setup.people.map((p) => `<option value="${p.id}">${escapeHtml(p.name)} (${escapeHtml(p.role)})</option>`).join('');
who.addEventListener('change', () => {
  state.me = who.value;
  state.modal = undefined;
  if (state.place === HOME) void post('/api/home', { user: state.me });
  render();
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const place = target?.closest<HTMLElement>('[data-place]')?.dataset.place;
  if (place) {
    state.place = place;
    state.thread = undefined;
    if (place === HOME) void post('/api/home', { user: state.me });
    return render();
  }
  const thread = target?.closest<HTMLElement>('[data-thread]')?.dataset.thread;
  if (thread) {
    state.thread = thread;
    return render();
  }
  if (target?.closest('#thread-close')) {
    state.thread = undefined;
    return render();
  }
  const offerButton = target?.closest<HTMLElement>('[data-offer-do]');
  if (offerButton) return void offerAction(offerButton);
  const action = target?.closest<HTMLElement>('button[data-action-id]');
  if (action) return void clickButton(action);
});

async function offerAction(button: HTMLElement): Promise<void> {
  const id = button.closest<HTMLElement>('[data-offer]')?.dataset.offer ?? '';
  const sandbox = channel()?.sandbox ?? '';
  if (button.dataset.offerDo === 'request') {
    const input = $<HTMLInputElement>('#text');
    input.value = `/offer delete ${id} `;
    input.focus();
    return;
  }
  await post('/api/offer', { sandbox, id, change: button.dataset.offerDo });
}

$('#restore').addEventListener('click', () => void post('/api/offer', { sandbox: channel()?.sandbox, change: 'restore' }));

/** Slack's confirm dialog: resolves true for the confirm button. */
function confirmDialog(confirm: Json): Promise<boolean> {
  const text = (t: unknown) => (typeof t === 'object' && t !== null ? String((t as Json).text ?? '') : '');
  const dialog = $<HTMLDialogElement>('#confirm');
  $('#confirm-title').textContent = text(confirm.title) || 'Are you sure?';
  const body = confirm.text as Json | undefined;
  $('#confirm-text').innerHTML = body?.type === 'mrkdwn' ? renderMrkdwn(text(body), ctx) : escapeHtml(text(body));
  const yes = $<HTMLButtonElement>('#confirm-yes');
  yes.textContent = text(confirm.confirm) || 'Yes';
  yes.className = `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`;
  $('#confirm-no').textContent = text(confirm.deny) || 'Cancel';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
  });
}

async function clickButton(button: HTMLElement): Promise<void> {
  const { actionId, confirm, url } = button.dataset;
  if (url) window.open(url, '_blank', 'noreferrer');
  if (confirm && !(await confirmDialog(JSON.parse(confirm) as Json))) return;
  const message = button.closest<HTMLElement>('.message');
  if (message?.dataset.ts && message.dataset.channel) {
    await post('/api/click', { user: state.me, channel: message.dataset.channel, ts: message.dataset.ts, actionId });
  } else if (button.closest('#modal') && state.modal) {
    await post('/api/click', { user: state.me, viewId: state.modal, actionId });
  } else if (button.closest('.home')) {
    await post('/api/click', { user: state.me, viewId: HOME, actionId });
  }
}

// External selects: what is typed goes to the app as a block_suggestion; its options fill the select.
document.addEventListener('input', async (event) => {
  const search = event.target instanceof HTMLInputElement && event.target.dataset.suggestAction ? event.target : null;
  if (!search || !state.modal) return;
  const answer = await post('/api/suggest', {
    user: state.me,
    viewId: state.modal,
    blockId: search.dataset.suggestBlock,
    actionId: search.dataset.suggestAction,
    value: search.value,
  });
  const select = search.parentElement?.querySelector('select');
  if (!select || search.value !== (answer.value ?? search.value)) return;
  const option = (o: Json) => `<option value="${escapeHtml(String(o.value ?? ''))}">${escapeHtml(String((o.text as Json | undefined)?.text ?? ''))}</option>`;
  const body = (answer.answer ?? {}) as Json;
  const groups = Array.isArray(body.option_groups) ? (body.option_groups as Json[]) : [];
  const options = Array.isArray(body.options) ? (body.options as Json[]) : [];
  const first = select.options[0]?.outerHTML ?? '';
  select.innerHTML =
    first +
    options.map(option).join('') +
    groups
      .map(
        (g) =>
          `<optgroup label="${escapeHtml(String((g.label as Json | undefined)?.text ?? ''))}">${((g.options as Json[]) ?? []).map(option).join('')}</optgroup>`,
      )
      .join('');
  if (select.options.length > 1) select.selectedIndex = 1;
});

$('#composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('#text');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  void post('/api/command', { user: state.me, channel: state.place, text });
});

// Modals: close, or submit what was typed as Slack's view_submission state.values.
$('#modal-close').addEventListener('click', () => {
  state.modal = undefined;
  render();
});
$('#modal-submit').addEventListener('click', async () => {
  const values: Record<string, Record<string, Json>> = {};
  for (const input of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('#modal-body [data-action-id]')) {
    const blockId = input.dataset.blockId ?? '';
    const actionId = input.dataset.actionId ?? '';
    const type = input.dataset.type ?? '';
    // What is left empty is not sent: the driver sends it empty, as Slack does, or refuses a required one.
    if (!input.value) continue;
    const value =
      input instanceof HTMLSelectElement
        ? { type, selected_option: { text: { type: 'plain_text', text: input.selectedOptions[0]?.text ?? '' }, value: input.value } }
        : { type, value: input.value };
    values[blockId] = { ...values[blockId], [actionId]: value };
  }
  const answer = await post('/api/submit', { user: state.me, viewId: state.modal, values });
  const acked = (answer.answer ?? {}) as Json;
  for (const box of document.querySelectorAll<HTMLElement>('#modal-body [data-input-block] .error')) box.hidden = true;
  const refused = $('#modal-refused');
  refused.hidden = typeof answer.error !== 'string';
  refused.textContent = typeof answer.error === 'string' ? answer.error.replace(/^Error: /, '') : '';
  if (typeof answer.error === 'string') return;
  if (acked.response_action === 'errors') {
    for (const [blockId, message] of Object.entries((acked.errors ?? {}) as Record<string, string>)) {
      const box = document.querySelector<HTMLElement>(`#modal-body [data-input-block="${CSS.escape(blockId)}"] .error`);
      if (box) {
        box.textContent = message;
        box.hidden = false;
      }
    }
  } else if (acked.response_action !== 'update' && acked.response_action !== 'push') {
    state.modal = undefined;
    render();
  }
});

render();
