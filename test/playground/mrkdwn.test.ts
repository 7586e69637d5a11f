// The playground's mrkdwn renderer: what Slack's client makes of offer-bot's texts, and nothing a text could inject.
import { describe, expect, it } from 'vitest';
import { renderBlocks } from '../../playground/src/blocks.js';
import { formatSlackDate, type MrkdwnContext, renderMrkdwn } from '../../playground/src/mrkdwn.js';

const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const ctx: MrkdwnContext = {
  userName: (id) => ({ U024BE7LH: 'Alice', W012A3CDE: 'Carol' })[id],
  channelName: (id) => (id === 'C024BE91L' ? 'offers-prod' : undefined),
  locale: 'en-US',
  timeZone: 'UTC',
  now: () => NOW,
};
const render = (text: string) => renderMrkdwn(text, ctx);

describe('renderMrkdwn', () => {
  it('turns <url|text> and <url> into links, and refuses links that are not http(s) or mailto', () => {
    expect(render('see <https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      'see <a href="https://example.com/a?b=1&#38;c=2" target="_blank" rel="noreferrer">the docs</a>',
    );
    expect(render('<https://example.com>')).toBe('<a href="https://example.com" target="_blank" rel="noreferrer">https://example.com</a>');
    expect(render('<javascript:alert(1)|click>')).toBe('click');
  });

  it('reads *bold*, _italic_, ~strike~ and `code` (whose content is not formatted)', () => {
    expect(render('Delete personalized offer *Winter sale 20% off*')).toBe('Delete personalized offer <b>Winter sale 20% off</b>');
    expect(render('_not yet_ and ~gone~')).toBe('<i>not yet</i> and <s>gone</s>');
    expect(render('id `dps:personalized-offer:1a4c_5*f*`')).toBe('id <code>dps:personalized-offer:1a4c_5*f*</code>');
    expect(render('offer_deletion_completed and 2*3*4')).toBe('offer_deletion_completed and 2*3*4');
    expect(render('*<@U024BE7LH>*')).toBe('<b><span class="mention">@Alice</span></b>');
  });

  it('names mentioned people and channels, and falls back to the label or the id', () => {
    expect(render('Requested by <@U024BE7LH>; approved by <@W012A3CDE>')).toBe(
      'Requested by <span class="mention">@Alice</span>; approved by <span class="mention">@Carol</span>',
    );
    expect(render('<@U0NOBODY1>')).toBe('<span class="mention">@U0NOBODY1</span>');
    expect(render('in <#C024BE91L> and <#C0OTHER12|ops>')).toBe('in <span class="mention">#offers-prod</span> and <span class="mention">#ops</span>');
    expect(render('<!subteam^S0614TZR7|@approvers>')).toBe('<span class="mention">@approvers</span>');
  });

  it('shows <!date^…> in the reader’s zone, and its fallback when the format cannot be shown', () => {
    const at = NOW / 1000 + 30 * 60;
    expect(render(`Expires <!date^${at}^{date_short_pretty} at {time}|2026-12-03 09:30 UTC>.`)).toBe(
      'Expires <time title="2026-12-03 09:30 UTC">today at 9:30 AM</time>.',
    );
    expect(render(`<!date^${at}^{date_num}|x>`)).toBe('<time title="x">2026-12-03</time>');
    expect(render(`<!date^${at}^{no_such_token}|Dec 3, 2026 09:30 UTC>`)).toBe('<time title="Dec 3, 2026 09:30 UTC">Dec 3, 2026 09:30 UTC</time>');
    expect(formatSlackDate(at + 86_400, '{date_pretty}', ctx)).toBe('tomorrow');
    expect(formatSlackDate(at - 7 * 86_400, '{date_short_pretty}', ctx)).toBe('Nov 26, 2026');
  });

  it('escapes HTML, keeps Slack’s &lt; &gt; &amp; as characters, renders emoji, quotes, code blocks and line breaks', () => {
    expect(render('<img src=x onerror=alert(1)> &lt;b&gt; &amp; "quoted"')).toBe('img src=x onerror=alert(1) &#60;b&#62; &#38; &#34;quoted&#34;');
    expect(render(':white_check_mark: Deleted\nnext line')).toBe('✅ Deleted<br>next line');
    expect(render('&gt; quoted\nplain')).toBe('<blockquote>quoted</blockquote>plain');
    expect(render('```\n{"a": 1}```')).toBe('<pre>{&#34;a&#34;: 1}</pre>');
  });
});

describe('renderBlocks', () => {
  it('renders fields, context and buttons with their style, ids and confirm dialog', () => {
    const html = renderBlocks(
      [
        { type: 'section', block_id: 'b1', fields: [{ type: 'mrkdwn', text: '*Offer id*\n`x`' }] },
        { type: 'context', elements: [{ type: 'plain_text', text: 'Needs approval :warning:' }] },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              value: 'r1',
              style: 'danger',
              text: { type: 'plain_text', text: 'Approve' },
              confirm: { title: { type: 'plain_text', text: 'Sure?' } },
            },
          ],
        },
        { type: 'mystery' },
      ],
      ctx,
    );
    expect(html).toContain('<div class="field"><b>Offer id</b><br><code>x</code></div>');
    expect(html).toContain('<span>Needs approval ⚠️</span>');
    expect(html).toContain('class="btn btn-danger" data-action-id="approve" data-block-id="decide" data-value="r1"');
    expect(html).toContain('data-confirm="{&#34;title&#34;:{&#34;type&#34;:&#34;plain_text&#34;,&#34;text&#34;:&#34;Sure?&#34;}}"');
    expect(html).toContain('[mystery block]');
  });
});
