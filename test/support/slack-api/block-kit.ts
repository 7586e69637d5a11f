// Block Kit checks: Slack answers `invalid_blocks` with `[ERROR] … [json-pointer:/blocks/…]` lines, and fills in what the app left out.
import { randomBytes } from 'node:crypto';
import { LIMITS } from './limits.js';
import { isObject, type JsonObject } from './types.js';

const BLOCK_TYPES = new Set([
  'section',
  'actions',
  'context',
  'divider',
  'header',
  'image',
  'rich_text',
  'input',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);
const INTERACTIVE_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'workflow_button',
]);

class BlockProblems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`[ERROR] ${message} [json-pointer:${path}]`);
  }
  string(value: unknown, path: string, max: number, { min = 0, required = false } = {}): void {
    if (value === undefined) {
      if (required) this.add(path, 'missing required field');
      return;
    }
    if (typeof value !== 'string') return this.add(path, 'must be a string');
    if (value.length < min) this.add(path, `must be at least ${min} characters`);
    if (value.length > max) this.add(path, `must be less than ${max + 1} characters`);
  }
  text(value: unknown, path: string, max: number, { plainOnly = false, required = true } = {}): void {
    if (value === undefined) {
      if (required) this.add(path, 'missing required field');
      return;
    }
    if (!isObject(value)) return this.add(path, 'must be a text object');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return this.add(`${path}/type`, 'must be plain_text or mrkdwn');
    if (plainOnly && value.type !== 'plain_text') return this.add(`${path}/type`, 'must be plain_text');
    this.string(value.text, `${path}/text`, max, { min: 1, required: true });
    if (value.emoji !== undefined && (value.type !== 'plain_text' || typeof value.emoji !== 'boolean'))
      this.add(`${path}/emoji`, 'emoji is a boolean of plain_text only');
    if (value.verbatim !== undefined && (value.type !== 'mrkdwn' || typeof value.verbatim !== 'boolean'))
      this.add(`${path}/verbatim`, 'verbatim is a boolean of mrkdwn only');
  }
  confirm(value: unknown, path: string): void {
    if (value === undefined) return;
    if (!isObject(value)) return this.add(path, 'must be a confirmation dialog object');
    this.text(value.title, `${path}/title`, LIMITS.confirmTitle, { plainOnly: true });
    this.text(value.text, `${path}/text`, LIMITS.confirmText);
    this.text(value.confirm, `${path}/confirm`, LIMITS.confirmButton, { plainOnly: true });
    this.text(value.deny, `${path}/deny`, LIMITS.confirmButton, { plainOnly: true });
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') this.add(`${path}/style`, 'must be primary or danger');
  }
  element(value: unknown, path: string, actionIds: Set<string>): void {
    if (!isObject(value)) return this.add(path, 'must be an element object');
    if (typeof value.type !== 'string' || !INTERACTIVE_ELEMENTS.has(value.type))
      return this.add(`${path}/type`, `unknown element type ${JSON.stringify(value.type)}`);
    if (value.action_id !== undefined) {
      this.string(value.action_id, `${path}/action_id`, LIMITS.id, { min: 1 });
      if (typeof value.action_id === 'string') {
        if (actionIds.has(value.action_id)) this.add(`${path}/action_id`, `duplicate action_id ${value.action_id}`);
        actionIds.add(value.action_id);
      }
    }
    this.confirm(value.confirm, `${path}/confirm`);
    this.text(value.placeholder, `${path}/placeholder`, LIMITS.placeholder, { plainOnly: true, required: false });
    if (value.options !== undefined) this.options(value.options, `${path}/options`);
    if (value.initial_option !== undefined) this.option(value.initial_option, `${path}/initial_option`);
    if (value.type === 'button') {
      this.text(value.text, `${path}/text`, LIMITS.buttonText, { plainOnly: true });
      this.string(value.value, `${path}/value`, LIMITS.buttonValue);
      this.string(value.url, `${path}/url`, LIMITS.url);
      this.string(value.accessibility_label, `${path}/accessibility_label`, LIMITS.buttonText);
      if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') this.add(`${path}/style`, 'must be primary or danger');
    }
  }
  /** A select menu's options (static ones in the view, or an options load URL's answer). */
  options(value: unknown, path: string): void {
    if (!Array.isArray(value)) return this.add(path, 'must be an array');
    if (value.length > LIMITS.menuOptions) this.add(path, `must provide no more than ${LIMITS.menuOptions} items`);
    value.forEach((option, i) => this.option(option, `${path}/${i}`));
  }
  option(value: unknown, path: string): void {
    if (!isObject(value)) return this.add(path, 'must be an option object');
    this.text(value.text, `${path}/text`, LIMITS.optionText, { plainOnly: true });
    this.string(value.value, `${path}/value`, LIMITS.optionValue, { min: 1, required: true });
  }
  contextElement(value: unknown, path: string): void {
    if (isObject(value) && value.type === 'image') {
      if (value.image_url === undefined && value.slack_file === undefined) this.add(path, 'image needs image_url or slack_file');
      this.string(value.image_url, `${path}/image_url`, LIMITS.url);
      this.string(value.alt_text, `${path}/alt_text`, LIMITS.altText, { required: true });
      return;
    }
    this.text(value, path, LIMITS.sectionText);
  }
  block(value: unknown, path: string, blockIds: Set<string>): void {
    if (!isObject(value)) return this.add(path, 'must be a block object');
    if (typeof value.type !== 'string' || !BLOCK_TYPES.has(value.type)) return this.add(`${path}/type`, `unknown block type ${JSON.stringify(value.type)}`);
    if (value.block_id !== undefined) {
      this.string(value.block_id, `${path}/block_id`, LIMITS.id, { min: 1 });
      if (typeof value.block_id === 'string') {
        if (blockIds.has(value.block_id)) this.add(`${path}/block_id`, `duplicate block_id ${value.block_id}`);
        blockIds.add(value.block_id);
      }
    }
    const actionIds = new Set<string>();
    switch (value.type) {
      case 'section': {
        if (value.text === undefined && value.fields === undefined) this.add(path, 'section needs text or fields');
        this.text(value.text, `${path}/text`, LIMITS.sectionText, { required: false });
        if (value.fields !== undefined) {
          if (!Array.isArray(value.fields)) this.add(`${path}/fields`, 'must be an array');
          else {
            if (value.fields.length === 0) this.add(`${path}/fields`, 'must provide at least 1 item');
            if (value.fields.length > LIMITS.sectionFields) this.add(`${path}/fields`, `must provide no more than ${LIMITS.sectionFields} items`);
            value.fields.forEach((field, i) => this.text(field, `${path}/fields/${i}`, LIMITS.fieldText));
          }
        }
        if (value.accessory !== undefined) {
          if (isObject(value.accessory) && value.accessory.type === 'image') this.contextElement(value.accessory, `${path}/accessory`);
          else this.element(value.accessory, `${path}/accessory`, actionIds);
        }
        return;
      }
      case 'actions': {
        if (!Array.isArray(value.elements)) return this.add(`${path}/elements`, 'missing required field');
        if (value.elements.length === 0) this.add(`${path}/elements`, 'must provide at least 1 item');
        if (value.elements.length > LIMITS.actionsElements) this.add(`${path}/elements`, `must provide no more than ${LIMITS.actionsElements} items`);
        value.elements.forEach((element, i) => this.element(element, `${path}/elements/${i}`, actionIds));
        return;
      }
      case 'context': {
        if (!Array.isArray(value.elements)) return this.add(`${path}/elements`, 'missing required field');
        if (value.elements.length === 0) this.add(`${path}/elements`, 'must provide at least 1 item');
        if (value.elements.length > LIMITS.contextElements) this.add(`${path}/elements`, `must provide no more than ${LIMITS.contextElements} items`);
        value.elements.forEach((element, i) => this.contextElement(element, `${path}/elements/${i}`));
        return;
      }
      case 'header':
        this.text(value.text, `${path}/text`, LIMITS.headerText, { plainOnly: true });
        return;
      case 'image':
        this.contextElement(value, path);
        this.text(value.title, `${path}/title`, LIMITS.altText, { plainOnly: true, required: false });
        return;
      case 'markdown':
        this.string(value.text, `${path}/text`, LIMITS.markdownText, { min: 1, required: true });
        return;
      case 'rich_text':
        if (!Array.isArray(value.elements)) this.add(`${path}/elements`, 'missing required field');
        return;
      case 'input':
        this.text(value.label, `${path}/label`, LIMITS.inputLabel, { plainOnly: true });
        this.text(value.hint, `${path}/hint`, LIMITS.inputLabel, { plainOnly: true, required: false });
        if (value.element === undefined) return this.add(`${path}/element`, 'missing required field');
        this.element(value.element, `${path}/element`, actionIds);
        return;
      default:
        return;
    }
  }
}

/**
 * Slack's `[ERROR] …` lines for a `blocks` value that is already a parsed array; empty when Slack would take it.
 * Useful on its own to check a view: `expect(blockProblems(view.blocks)).toEqual([])`.
 */
export function blockProblems(blocks: unknown, maxBlocks: number = LIMITS.blocksPerMessage): string[] {
  const problems = new BlockProblems();
  checkBlocks(problems, blocks, '/blocks', maxBlocks);
  return problems.list;
}

function checkBlocks(problems: BlockProblems, blocks: unknown, path: string, maxBlocks: number): void {
  if (!Array.isArray(blocks)) return problems.add(path, 'must be an array');
  if (blocks.length > maxBlocks) problems.add(path, `must provide no more than ${maxBlocks} items`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => problems.block(block, `${path}/${i}`, blockIds));
}

/**
 * Slack's `[ERROR]` lines for a view (views.open/update/push want a `modal`, views.publish a `home`); empty when
 * Slack would take it. Slack answers them as `invalid_arguments` with the lines in `response_metadata.messages`.
 */
export function viewProblems(view: JsonObject, type: 'modal' | 'home'): string[] {
  const problems = new BlockProblems();
  if (view.type !== type) problems.add('/view/type', `must be ${type}`);
  checkBlocks(problems, view.blocks, '/view/blocks', LIMITS.viewBlocks);
  problems.string(view.callback_id, '/view/callback_id', LIMITS.id);
  problems.string(view.external_id, '/view/external_id', LIMITS.id);
  problems.string(view.private_metadata, '/view/private_metadata', LIMITS.privateMetadata);
  if (type === 'modal') {
    problems.text(view.title, '/view/title', LIMITS.viewButton, { plainOnly: true });
    problems.text(view.submit, '/view/submit', LIMITS.viewButton, { plainOnly: true, required: false });
    problems.text(view.close, '/view/close', LIMITS.viewButton, { plainOnly: true, required: false });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((block) => isObject(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) problems.add('/view/submit', 'must provide submit when the view has an input block');
  }
  return problems.list;
}

/**
 * Slack's `[ERROR]` lines for an options load URL's answer to a block_suggestion (`{ options: [...] }`); Slack shows
 * an answer it would refuse as an empty menu.
 */
export function optionsProblems(answer: unknown): string[] {
  const problems = new BlockProblems();
  if (!isObject(answer)) problems.add('', 'must be an object');
  else if (answer.option_groups === undefined) problems.options(answer.options, '/options');
  return problems.list;
}

/** Slack fills in what the app left out of any Block Kit object: action ids, `emoji: true`, `verbatim: false`. */
export function fillDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fillDefaults);
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = fillDefaults(inner);
  if (copy.type === 'plain_text' && copy.emoji === undefined) copy.emoji = true;
  if (copy.type === 'mrkdwn' && copy.verbatim === undefined) copy.verbatim = false;
  if (typeof copy.type === 'string' && INTERACTIVE_ELEMENTS.has(copy.type) && copy.action_id === undefined) copy.action_id = shortId();
  return copy;
}

/** Slack fills in what the app left out: block ids, action ids, `emoji: true`, `verbatim: false`. */
export function normalizeBlocks(blocks: JsonObject[]): JsonObject[] {
  return blocks.map((block) => {
    const filled = fillDefaults(block) as JsonObject;
    return filled.block_id === undefined ? { ...filled, block_id: shortId() } : filled;
  });
}

function shortId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}
