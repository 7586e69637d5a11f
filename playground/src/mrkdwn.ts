// Slack's mrkdwn as Slack's client shows it, to HTML: *bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
// <url|links>, <@U…> mentions, <#C…> channels, <!date^…> dates, :emoji:. Everything else is escaped text.

export interface MrkdwnContext {
  /** A person's display name, or undefined for someone the page does not know. */
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  /** For <!date^…>: defaults to the browser's. */
  locale?: string;
  timeZone?: string;
  now?: () => number;
}

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
  no_entry_sign: '🚫',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  alarm_clock: '⏰',
  grey_question: '❔',
  leftwards_arrow_with_hook: '↩️',
  wastebasket: '🗑️',
  information_source: 'ℹ️',
  lock: '🔒',
  house: '🏠',
  mag: '🔍',
  tada: '🎉',
  clipboard: '📋',
  bust_in_silhouette: '👤',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Slack sends &amp; &lt; &gt; for the three characters it reserves. */
function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emojify(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

/** Plain text as Slack shows it (emoji codes become emoji, nothing else is read). */
export function renderPlain(text: string, emoji = true): string {
  const escaped = escapeHtml(text);
  return (emoji ? emojify(escaped) : escaped).replace(/\n/g, '<br>');
}

const SAFE_URL = /^(https?:|mailto:)/i;

/** `{date_short_pretty} at {time}` and friends; undefined when a token is one the page cannot show (the fallback is used). */
export function formatSlackDate(seconds: number, format: string, ctx: MrkdwnContext): string | undefined {
  const when = new Date(seconds * 1000);
  const options = { ...(ctx.timeZone ? { timeZone: ctx.timeZone } : {}) };
  // Newer ICU puts a narrow no-break space before AM/PM; Slack shows a plain one.
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(ctx.locale, { ...options, ...o }).format(when).replace(/\u202f/g, ' ');
  const dayKey = (d: Date) => new Intl.DateTimeFormat('en-CA', { ...options, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const now = new Date((ctx.now ?? Date.now)());
  const pretty = (fallback: string) => {
    const day = dayKey(when);
    if (day === dayKey(now)) return 'today';
    if (day === dayKey(new Date(now.getTime() + 86_400_000))) return 'tomorrow';
    if (day === dayKey(new Date(now.getTime() - 86_400_000))) return 'yesterday';
    return fallback;
  };
  const date = () => fmt({ month: 'long', day: 'numeric', year: 'numeric' });
  const dateShort = () => fmt({ month: 'short', day: 'numeric', year: 'numeric' });
  const dateLong = () => fmt({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
  const tokens: Record<string, () => string> = {
    date_num: () => dayKey(when),
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: () => pretty(date()),
    date_short_pretty: () => pretty(dateShort()),
    date_long_pretty: () => pretty(dateLong()),
    time: () => fmt({ hour: 'numeric', minute: '2-digit' }),
    time_secs: () => fmt({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (_whole, token: string) => {
    const render = tokens[token];
    if (!render) unknown = true;
    return render ? render() : '';
  });
  return unknown || Number.isNaN(when.getTime()) ? undefined : text;
}

/** One `<…>` token. */
function special(inner: string, ctx: MrkdwnContext): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(ctx.userName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(ctx.channelName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, seconds, format = '', link] = target.split('^');
    const fallback = label ?? '';
    const shown = formatSlackDate(Number(seconds), format, ctx) ?? fallback;
    const text = `<time title="${escapeHtml(fallback)}">${escapeHtml(shown)}</time>`;
    return link && SAFE_URL.test(link) ? `<a href="${escapeHtml(link)}" target="_blank" rel="noreferrer">${text}</a>` : text;
  }
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? `@${target.slice('!subteam^'.length)}`)}</span>`;
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`;
  const url = decodeEntities(target);
  const text = escapeHtml(decodeEntities(label ?? target));
  return SAFE_URL.test(url) ? `<a href="${escapeHtml(url)}" target="_blank" rel="noreferrer">${text}</a>` : text;
}

const BOUNDARY_BEFORE = '(^|[\\s(\\[{"\'>\\uE000]|&#39;|&#34;)';
const BOUNDARY_AFTER = '(?=$|[\\s.,!?:;)\\]}"\'<\\uE000]|&#)';
const styled = (mark: string, tag: string) => {
  const m = mark.replace(/[*~]/g, '\\$&');
  const pattern = new RegExp(`${BOUNDARY_BEFORE}${m}(?!\\s)([^${m}\\n]*?[^\\s${m}])${m}${BOUNDARY_AFTER}`, 'g');
  return (html: string) => html.replace(pattern, (_w, before: string, inner: string) => `${before}<${tag}>${inner}</${tag}>`);
};
const bold = styled('*', 'b');
const italic = styled('_', 'i');
const strike = styled('~', 's');

/** Formatting of a stretch without code: specials kept aside (so their text is not styled twice), then styles. */
function inline(text: string, ctx: MrkdwnContext): string {
  const kept: string[] = [];
  const marked = text.replace(/<([^<>]+)>/g, (_whole, inner: string) => {
    kept.push(special(inner, ctx));
    return `\uE000${kept.length - 1}\uE000`;
  });
  let html = emojify(escapeHtml(decodeEntities(marked)));
  html = strike(italic(bold(html)));
  return html.replace(/\uE000(\d+)\uE000/g, (_w, index: string) => kept[Number(index)] ?? '');
}

/** Lines: `>` quotes, then newlines as <br>. */
function lines(html: string): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  const all = html.split('\n');
  all.forEach((line, index) => {
    const quoted = /^&#62; ?(.*)$/.exec(line) ?? /^> ?(.*)$/.exec(line);
    if (quoted) quote.push(quoted[1] ?? '');
    else {
      flush();
      out.push(line + (index < all.length - 1 ? '<br>' : ''));
    }
  });
  flush();
  return out.join('');
}

export function renderMrkdwn(text: string, ctx: MrkdwnContext): string {
  return text
    .split(/```([\s\S]*?)```/)
    .map((part, index) => {
      if (index % 2 === 1) return `<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, '')))}</pre>`;
      const pieces = part.split(/`([^`\n]+)`/);
      const html = pieces.map((piece, at) => (at % 2 === 1 ? `<code>${escapeHtml(decodeEntities(piece))}</code>` : inline(piece, ctx))).join('');
      return lines(html);
    })
    .join('');
}
