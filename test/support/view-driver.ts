// Driving modals and the Home tab as Slack does: waits for the views the app opens, and sends signed submissions,
// option requests and app_home_opened events built from them. The Bot test driver (bot.ts) includes these methods.
import { MIN_QUERY_LENGTH, optionsProblems, type JsonObject, type OpenedView, type SlackApi } from './slack-api.js';
import { isObject } from './slack-api/types.js';
import {
  appHomeOpenedPayload,
  blockSuggestionPayload,
  sendEvent,
  sendInteraction,
  type SlackResponse,
  type StateValue,
  type StateValues,
  viewSubmissionPayload,
} from './slack-requests.js';

const WAIT_MS = 5_000;

export interface ViewDriver {
  /** The next modal opened, pushed or updated for `user` (each once, in order). */
  nextView(user: string, timeoutMs?: number): Promise<OpenedView>;
  /**
   * `user` presses Submit: a signed view_submission of the view as it stands now, with `values` as its state.
   * Like Slack, it refuses to send what Slack would not: a value for an element the view lacks, a required
   * input left empty, another person's modal, a modal without a submit button. Optional inputs not given go as empty.
   * Slack then acts on the ack (slack.answerSubmission): an `update`/`push` view is checked and shows up in nextView;
   * an ack Slack would refuse (a bad view, `errors` for a block that is no input) throws.
   */
  submitView(view: OpenedView, user: string, values: StateValues): Promise<SlackResponse>;
  /**
   * `user` types `value` into the external_select `actionId` of block `blockId`: a signed block_suggestion. An answer
   * Slack would refuse (an option's text over 75 characters, more than 100 options) throws: Slack would show no menu.
   */
  suggest(view: OpenedView, user: string, actionId: string, blockId: string, value: string): Promise<SlackResponse>;
  /** `user` opens the app's Home tab: a signed app_home_opened event. */
  openHome(user: string): Promise<SlackResponse>;
  /** The next Home tab views.publish gave `user` (each once, in order). */
  nextHome(user: string, timeoutMs?: number): Promise<JsonObject>;
}

export interface ViewDriverOptions {
  url: string;
  signingSecret: string;
  slack: SlackApi;
  teamId: string;
  botUserId: string;
}

/** An element that keeps state in a view, and what Slack makes of it on submission. */
interface StatefulElement {
  type: string;
  /** In an input block: Slack sends it on submission, and will not submit while a required one is empty. */
  input: boolean;
  optional: boolean;
  minQueryLength?: number;
}

/** block_id → action_id → element, for every element that keeps state (input elements, actions elements, accessories). */
function statefulElements(view: JsonObject): Map<string, Map<string, StatefulElement>> {
  const found = new Map<string, Map<string, StatefulElement>>();
  const add = (blockId: unknown, element: unknown, input: boolean, optional: boolean) => {
    if (typeof blockId !== 'string' || !isObject(element) || typeof element.action_id !== 'string' || typeof element.type !== 'string') return;
    if (element.type === 'button' || element.type === 'overflow' || element.type === 'workflow_button') return;
    const inBlock = found.get(blockId) ?? new Map<string, StatefulElement>();
    inBlock.set(element.action_id, {
      type: element.type,
      input,
      optional,
      ...(typeof element.min_query_length === 'number' ? { minQueryLength: element.min_query_length } : {}),
    });
    found.set(blockId, inBlock);
  };
  for (const block of Array.isArray(view.blocks) ? view.blocks : []) {
    if (!isObject(block)) continue;
    if (block.type === 'input') add(block.block_id, block.element, true, block.optional === true);
    if (Array.isArray(block.elements)) for (const element of block.elements) add(block.block_id, element, false, true);
    if (block.accessory !== undefined) add(block.block_id, block.accessory, false, true);
  }
  return found;
}

/** What Slack sends for an input nobody filled in. */
function emptyValue(type: string): StateValue {
  if (type.endsWith('_select')) return type.startsWith('multi_') ? { type, selected_options: [] } : { type, selected_option: null };
  return { type, value: null };
}

const isEmpty = (value: StateValue): boolean =>
  ('value' in value && (value.value === null || value.value === '')) ||
  ('selected_option' in value && value.selected_option === null) ||
  ('selected_options' in value && Array.isArray(value.selected_options) && value.selected_options.length === 0);

export function viewDriver({ url, signingSecret, slack, teamId, botUserId }: ViewDriverOptions): ViewDriver {
  const seenViews = new Map<string, number>();
  const seenHomes = new Map<string, number>();

  /** The view as it stands now: Slack submits the latest version, with the latest hash. */
  const latest = (view: OpenedView): OpenedView => slack.views.findLast((v) => v.id === view.id) ?? view;

  return {
    async nextView(user, timeoutMs = WAIT_MS) {
      const from = seenViews.get(user) ?? 0;
      const index = await slack.waitFor(() => {
        const i = slack.views.findIndex((v, at) => at >= from && v.user === user);
        return i >= 0 ? i + 1 : undefined;
      }, timeoutMs);
      seenViews.set(user, index);
      return slack.views[index - 1]!;
    },
    async submitView(view, user, values) {
      const current = latest(view);
      if (current.user !== user) throw new Error(`view ${current.id} is ${current.user}'s modal; Slack shows it to nobody else`);
      if (current.view.submit === null || current.view.submit === undefined) throw new Error(`view ${current.id} has no submit button`);
      const elements = statefulElements(current.view);
      for (const [blockId, actions] of Object.entries(values)) {
        for (const [actionId, value] of Object.entries(actions)) {
          const element = elements.get(blockId)?.get(actionId);
          if (!element) throw new Error(`view ${current.id} has no element ${actionId} in block ${blockId}`);
          if (element.type !== value.type) throw new Error(`${blockId}/${actionId} is a ${element.type}, not a ${value.type}`);
        }
      }
      const state: StateValues = {};
      for (const [blockId, actions] of elements) {
        for (const [actionId, element] of actions) {
          const given = values[blockId]?.[actionId];
          if (element.input && !element.optional && (!given || isEmpty(given)))
            throw new Error(`Slack does not submit view ${current.id} while the required input ${blockId} is empty`);
          const value = given ?? (element.input ? emptyValue(element.type) : undefined);
          if (value) state[blockId] = { ...state[blockId], [actionId]: value };
        }
      }
      const payload = viewSubmissionPayload(current.view, { user_id: user, team_id: teamId }, state, slack.issueTrigger(user));
      const response = await sendInteraction(url, signingSecret, payload);
      // Slack acts on the ack: a response_action update or push shows up in slack.views (and nextView) as Slack shows it.
      if (response.status === 200) slack.answerSubmission(current.id, response.json);
      return response;
    },
    async suggest(view, user, actionId, blockId, value) {
      const current = latest(view);
      if (current.user !== user) throw new Error(`view ${current.id} is ${current.user}'s modal; Slack shows it to nobody else`);
      const element = statefulElements(current.view).get(blockId)?.get(actionId);
      if (!element || (element.type !== 'external_select' && element.type !== 'multi_external_select'))
        throw new Error(`view ${current.id} has no external_select ${actionId} in block ${blockId}`);
      const minLength = element.minQueryLength ?? MIN_QUERY_LENGTH;
      if (value.length < minLength) throw new Error(`Slack asks for options once ${minLength} characters are typed, not at ${JSON.stringify(value)}`);
      const payload = blockSuggestionPayload(current.view, { user_id: user, team_id: teamId }, { action_id: actionId, block_id: blockId, value });
      const response = await sendInteraction(url, signingSecret, payload);
      const problems = response.status === 200 ? optionsProblems(response.json) : [];
      if (problems.length > 0) throw new Error(`Slack refuses the options answer for ${JSON.stringify(value)}: ${problems.join('; ')}`);
      return response;
    },
    openHome(user) {
      const home = slack.homeOf(user);
      const payload = appHomeOpenedPayload({ user_id: user, team_id: teamId, bot_user_id: botUserId, ...(home ? { home } : {}) });
      return sendEvent(url, signingSecret, payload);
    },
    async nextHome(user, timeoutMs = WAIT_MS) {
      const published = () => slack.calls.filter((c) => c.method === 'views.publish' && c.answer?.ok === true && c.args.user_id === user);
      const from = seenHomes.get(user) ?? 0;
      const home = await slack.waitFor(() => published()[from]?.answer?.view as JsonObject | undefined, timeoutMs);
      seenHomes.set(user, from + 1);
      return home;
    },
  };
}
