// Modals and the Home tab: views.open/update/push/publish with the trigger, hash and Block Kit checks Slack makes.
import { randomBytes } from 'node:crypto';
import { fillDefaults, normalizeBlocks, viewProblems } from './block-kit.js';
import { decodeJsonField, ok, Refusal } from './http.js';
import { LIMITS, TRIGGER_TTL_MS } from './limits.js';
import { USER_ID } from './message-fields.js';
import type { WebApiMethod } from './methods.js';
import { isObject, type JsonObject, type OpenedView, type SlackApiOptions } from './types.js';
import type { Workspace } from './workspace.js';

/** Slack refuses a view payload larger than this with `view_too_large`. */
const MAX_VIEW_BYTES = 250_000;

interface Trigger {
  user: string;
  issuedAt: number;
  used: boolean;
}

interface StoredView {
  user: string;
  view: JsonObject;
}

/** What the stand-in remembers of views: the triggers it issued, every modal, each user's modal stack and Home tab. */
export class Views {
  readonly opened: OpenedView[] = [];
  readonly #triggers = new Map<string, Trigger>();
  readonly #byId = new Map<string, StoredView>();
  readonly #byExternalId = new Map<string, string>();
  /** Per user, the ids of the modals on the open stack, root first. */
  readonly #stacks = new Map<string, string[]>();
  readonly #homes = new Map<string, JsonObject>();
  #triggerCount = 0;

  constructor(
    private readonly workspace: Workspace,
    private readonly opts: SlackApiOptions,
  ) {}

  /** A trigger_id like Slack's (`132456.7890123.abcdef`), good for one view within 3 s. */
  issueTrigger(user: string): string {
    this.#triggerCount += 1;
    const id = `${this.workspace.now()}${this.#triggerCount}.2147483647.${randomBytes(16).toString('hex')}`;
    this.#triggers.set(id, { user, issuedAt: this.workspace.now(), used: false });
    return id;
  }

  homeOf(user: string): JsonObject | undefined {
    return this.#homes.get(user);
  }

  /**
   * What Slack does with the app's ack of a view_submission: `update` replaces the modal, `push` stacks one on it,
   * `clear` closes them all, `errors` shows messages under input blocks; no response_action closes the modal.
   * What Slack would refuse (the user sees "We had some trouble connecting") throws, naming the reason.
   */
  answerSubmission(viewId: string, ack: unknown): void {
    const existing = this.#byId.get(viewId);
    if (!existing) throw new Error(`no view ${viewId}`);
    const stack = this.#stacks.get(existing.user) ?? [];
    const answer = isObject(ack) ? ack : {};
    const check = (view: unknown) => {
      const problems = isObject(view) ? viewProblems(view, 'modal') : ['[ERROR] missing view [json-pointer:/view]'];
      if (problems.length > 0) throw new Error(`Slack refuses the response_action view: ${problems.join(' ')}`);
      return view as JsonObject;
    };
    switch (answer.response_action) {
      case undefined: {
        // The submitted modal closes, and whatever was pushed on it.
        const at = stack.indexOf(viewId);
        if (at >= 0) this.#stacks.set(existing.user, stack.slice(0, at));
        return;
      }
      case 'clear':
        this.#stacks.delete(existing.user);
        return;
      case 'update': {
        const root = String(existing.view.root_view_id);
        const previous = (existing.view.previous_view_id as string | null) ?? undefined;
        const stored = this.#store(existing.user, check(answer.view), { id: viewId, root, previous });
        this.#opened(existing.user, stored, 'response_action');
        return;
      }
      case 'push': {
        if (stack.length >= LIMITS.viewStack) throw new Error('Slack refuses a fourth stacked view (push_limit_reached)');
        const stored = this.#store(existing.user, check(answer.view), { root: stack[0] ?? viewId, previous: viewId });
        stack.push(String(stored.id));
        this.#opened(existing.user, stored, 'response_action');
        return;
      }
      case 'errors': {
        const inputs = new Set((existing.view.blocks as JsonObject[]).filter((block) => block.type === 'input').map((block) => String(block.block_id)));
        const errors = isObject(answer.errors) ? Object.keys(answer.errors) : [];
        const stray = errors.filter((blockId) => !inputs.has(blockId));
        if (errors.length === 0 || stray.length > 0) throw new Error(`Slack shows errors only under input blocks; not ${stray.join(', ') || 'none given'}`);
        return;
      }
      default:
        throw new Error(`Slack knows no response_action ${JSON.stringify(answer.response_action)}`);
    }
  }

  methods(): Record<string, WebApiMethod> {
    return {
      'views.open': {
        tokens: ['bot'],
        run: ({ args }) => {
          const view = readView(args, 'modal');
          const user = this.#exchange(args);
          const stored = this.#store(user, view, { root: undefined, previous: undefined });
          this.#stacks.set(user, [String(stored.id)]);
          return this.#opened(user, stored, 'views.open');
        },
      },
      'views.push': {
        tokens: ['bot'],
        run: ({ args }) => {
          const view = readView(args, 'modal');
          const user = this.#exchange(args);
          const stack = this.#stacks.get(user);
          // Slack pushes onto the modal the interaction came from; without one there is nothing to push onto.
          if (!stack || stack.length === 0) throw new Refusal('not_found');
          if (stack.length >= LIMITS.viewStack) throw new Refusal('push_limit_reached');
          const stored = this.#store(user, view, { root: stack[0], previous: stack.at(-1) });
          stack.push(String(stored.id));
          return this.#opened(user, stored, 'views.push');
        },
      },
      'views.update': {
        tokens: ['bot'],
        run: ({ args }) => {
          const byId = typeof args.view_id === 'string' && args.view_id !== '';
          const byExternal = typeof args.external_id === 'string' && args.external_id !== '';
          if (byId === byExternal) throw invalidArguments('exactly one of `view_id` or `external_id` is required');
          const id = byId ? String(args.view_id) : this.#byExternalId.get(String(args.external_id));
          const existing = id === undefined ? undefined : this.#byId.get(id);
          if (!existing) throw new Refusal('not_found');
          const view = readView(args, 'modal');
          // The hash guards against a race: an update based on an older version of the view is refused.
          if (args.hash !== undefined && args.hash !== '' && args.hash !== existing.view.hash) throw new Refusal('hash_conflict');
          const stored = this.#store(existing.user, view, {
            id: String(existing.view.id),
            root: existing.view.root_view_id as string,
            previous: (existing.view.previous_view_id as string | null) ?? undefined,
          });
          return this.#opened(existing.user, stored, 'views.update');
        },
      },
      'views.publish': {
        tokens: ['bot'],
        run: ({ args }) => {
          if (typeof args.user_id !== 'string' || !USER_ID.test(args.user_id)) throw invalidArguments('invalid `user_id`');
          const view = readView(args, 'home');
          const user = args.user_id;
          const existing = this.#homes.get(user);
          if (args.hash !== undefined && args.hash !== '' && args.hash !== existing?.hash) throw new Refusal('hash_conflict');
          const id = existing ? String(existing.id) : viewId();
          const home = this.#wire(view, { id, root: id, previous: undefined });
          this.#homes.set(user, home);
          return ok({ view: home });
        },
      },
    };
  }

  /** Uses up the trigger (Slack's three refusals), and says whose it was: the view opens for that user. */
  #exchange(args: JsonObject): string {
    const id = args.trigger_id ?? args.interactivity_pointer;
    if (typeof id !== 'string' || id === '') throw invalidArguments('invalid `trigger_id`');
    const trigger = this.#triggers.get(id);
    if (!trigger) throw new Refusal('invalid_trigger_id');
    if (trigger.used) throw new Refusal('exchanged_trigger_id');
    if (this.workspace.now() - trigger.issuedAt > TRIGGER_TTL_MS) throw new Refusal('expired_trigger_id');
    trigger.used = true;
    return trigger.user;
  }

  #store(user: string, view: JsonObject, ids: { id?: string; root: string | undefined; previous: string | undefined }): JsonObject {
    const id = ids.id ?? viewId();
    const external = typeof view.external_id === 'string' && view.external_id !== '' ? view.external_id : undefined;
    if (external !== undefined) {
      const owner = this.#byExternalId.get(external);
      if (owner !== undefined && owner !== id) throw new Refusal('duplicate_external_id');
      this.#byExternalId.set(external, id);
    }
    const stored = this.#wire(view, { id, root: ids.root ?? id, previous: ids.previous });
    this.#byId.set(id, { user, view: stored });
    return stored;
  }

  #opened(user: string, view: JsonObject, via: OpenedView['via']) {
    this.opened.push({ id: String(view.id), user, view, via, at: this.workspace.now() });
    return ok({ view });
  }

  /** The view as Slack answers and later sends it: defaults filled in, a new hash, empty state. */
  #wire(view: JsonObject, ids: { id: string; root: string; previous: string | undefined }): JsonObject {
    const filled = fillDefaults(view) as JsonObject;
    return {
      id: ids.id,
      team_id: this.opts.teamId,
      type: view.type,
      ...(filled.title !== undefined ? { title: filled.title } : {}),
      close: filled.close ?? null,
      submit: filled.submit ?? null,
      blocks: normalizeBlocks(view.blocks as JsonObject[]),
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      external_id: view.external_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(this.workspace.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      clear_on_close: view.clear_on_close === true,
      notify_on_close: view.notify_on_close === true,
      previous_view_id: ids.previous ?? null,
      root_view_id: ids.root,
      app_id: this.workspace.appId,
      app_installed_team_id: this.opts.teamId,
      bot_id: this.opts.botId,
    };
  }
}

const invalidArguments = (...messages: string[]) => new Refusal('invalid_arguments', { response_metadata: { messages } });

function viewId(): string {
  return `V${randomBytes(8).toString('hex').toUpperCase().slice(0, 10)}`;
}

/** The `view` argument (a JSON string in a form, an object in a JSON body), checked as Slack checks it. */
function readView(args: JsonObject, type: 'modal' | 'home'): JsonObject {
  if (args.view === undefined || args.view === '') throw invalidArguments('missing required field: view');
  if (typeof args.view === 'string' && Buffer.byteLength(args.view) > MAX_VIEW_BYTES) throw new Refusal('view_too_large');
  const decoded = decodeJsonField(args.view);
  if (!decoded.ok || !isObject(decoded.value)) throw invalidArguments('[ERROR] failed to parse view [json-pointer:/view]');
  const problems = viewProblems(decoded.value, type);
  if (problems.length > 0) throw invalidArguments(...problems);
  return decoded.value;
}
