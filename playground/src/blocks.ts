// Block Kit to HTML, as far as judging offer-bot's messages, modals and Home tab needs: section (text, fields,
// accessory), context, actions (buttons with styles and confirm dialogs, selects), header, divider, image, input.
import { escapeHtml, type MrkdwnContext, renderMrkdwn, renderPlain } from './mrkdwn.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** A text object: plain_text or mrkdwn (verbatim or not, links and mentions are read the same here). */
export function renderText(text: unknown, ctx: MrkdwnContext): string {
  if (!isObject(text)) return '';
  if (text.type === 'mrkdwn') return renderMrkdwn(str(text.text), ctx);
  return renderPlain(str(text.text), text.emoji !== false);
}

/** Where a button came from, for the click the page sends. */
const attr = (name: string, value: unknown) => (typeof value === 'string' ? ` data-${name}="${escapeHtml(value)}"` : '');

function button(element: Json, blockId: string, ctx: MrkdwnContext): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` btn-${element.style}` : '';
  const confirm = isObject(element.confirm) ? ` data-confirm="${escapeHtml(JSON.stringify(element.confirm))}"` : '';
  const url = str(element.url);
  return (
    `<button type="button" class="btn${style}"${attr('action-id', element.action_id)}${attr('block-id', blockId)}` +
    `${attr('value', element.value)}${attr('url', url || undefined)}${confirm}>${renderText(element.text, ctx)}</button>`
  );
}

function options(element: Json): Json[] {
  return [...list(element.options), ...list(element.option_groups).flatMap((group) => list(group.options))];
}

function optionLabel(option: unknown): string {
  return isObject(option) && isObject(option.text) ? str(option.text.text) : '';
}

/** Interactive elements; inputs carry their block and action ids so a modal's values can be collected. */
function element(e: Json, blockId: string, ctx: MrkdwnContext): string {
  const ids = `${attr('action-id', e.action_id)}${attr('block-id', blockId)}${attr('type', e.type)}`;
  switch (e.type) {
    case 'button':
      return button(e, blockId, ctx);
    case 'plain_text_input': {
      const placeholder = isObject(e.placeholder) ? ` placeholder="${escapeHtml(str(e.placeholder.text))}"` : '';
      const value = escapeHtml(str(e.initial_value));
      return e.multiline ? `<textarea class="input"${ids}${placeholder}>${value}</textarea>` : `<input class="input"${ids}${placeholder} value="${value}">`;
    }
    case 'static_select':
    case 'external_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const initial = isObject(e.initial_option) ? str(e.initial_option.value) : '';
      const placeholder = isObject(e.placeholder) ? str(e.placeholder.text) : 'Select an item';
      const choices = options(e).map(
        (o) => `<option value="${escapeHtml(str(o.value))}"${str(o.value) === initial ? ' selected' : ''}>${escapeHtml(optionLabel(o))}</option>`,
      );
      if (isObject(e.initial_option) && !options(e).some((o) => str(o.value) === initial)) {
        choices.push(`<option value="${escapeHtml(initial)}" selected>${escapeHtml(optionLabel(e.initial_option))}</option>`);
      }
      const select = `<select class="input"${ids}><option value="">${escapeHtml(placeholder)}</option>${choices.join('')}</select>`;
      if (e.type !== 'external_select') return select;
      // Slack asks the app for options as the person types (block_suggestion): a search box feeds the select.
      const search = `<input class="input search" data-suggest-block="${escapeHtml(blockId)}" data-suggest-action="${escapeHtml(str(e.action_id))}" placeholder="Type to search">`;
      return `<span class="external">${search}${select}</span>`;
    }
    case 'image':
      return `<img class="inline-image" src="${escapeHtml(str(e.image_url))}" alt="${escapeHtml(str(e.alt_text))}">`;
    case 'overflow':
      return `<span class="overflow">⋯</span>`;
    default:
      return `<span class="unsupported">[${escapeHtml(str(e.type))}]</span>`;
  }
}

function block(b: Json, ctx: MrkdwnContext): string {
  const blockId = str(b.block_id);
  switch (b.type) {
    case 'section': {
      const text = isObject(b.text) ? `<div class="section-text">${renderText(b.text, ctx)}</div>` : '';
      const fields = list(b.fields);
      const grid = fields.length ? `<div class="fields">${fields.map((f) => `<div class="field">${renderText(f, ctx)}</div>`).join('')}</div>` : '';
      const accessory = isObject(b.accessory) ? `<div class="accessory">${element(b.accessory, blockId, ctx)}</div>` : '';
      return `<div class="block section"><div class="section-main">${text}${grid}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="block context">${list(b.elements)
        .map((e) => (e.type === 'image' ? element(e, blockId, ctx) : `<span>${renderText(e, ctx)}</span>`))
        .join('')}</div>`;
    case 'actions':
      return `<div class="block actions">${list(b.elements)
        .map((e) => element(e, blockId, ctx))
        .join('')}</div>`;
    case 'header':
      return `<div class="block header">${renderText(b.text, ctx)}</div>`;
    case 'divider':
      return '<hr class="block divider">';
    case 'image':
      return `<div class="block image"><img src="${escapeHtml(str(b.image_url))}" alt="${escapeHtml(str(b.alt_text))}"></div>`;
    case 'input': {
      const label = renderText(b.label, ctx);
      const optional = b.optional ? ' <span class="optional">(optional)</span>' : '';
      const hint = isObject(b.hint) ? `<div class="hint">${renderText(b.hint, ctx)}</div>` : '';
      const input = isObject(b.element) ? element(b.element, blockId, ctx) : '';
      return `<label class="block input-block" data-input-block="${escapeHtml(blockId)}"><div class="label">${label}${optional}</div>${input}${hint}<div class="error" hidden></div></label>`;
    }
    case 'rich_text':
      return `<div class="block">${escapeHtml(JSON.stringify(b.elements ?? []).slice(0, 200))}</div>`;
    default:
      return `<div class="block unsupported">[${escapeHtml(str(b.type))} block]</div>`;
  }
}

/** A message's blocks, or its text when it has none (as Slack shows a message). */
export function renderMessage(message: { text?: string; blocks?: unknown }, ctx: MrkdwnContext): string {
  const blocks = list(message.blocks);
  if (blocks.length === 0) return `<div class="block section"><div class="section-text">${renderMrkdwn(message.text ?? '', ctx)}</div></div>`;
  return renderBlocks(blocks, ctx);
}

export function renderBlocks(blocks: unknown, ctx: MrkdwnContext): string {
  return list(blocks)
    .map((b) => block(b, ctx))
    .join('');
}
