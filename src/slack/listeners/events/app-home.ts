// `app_home_opened`: publish the reader's Home tab — what waits for their decision, and their own recent requests.
import type { App } from '@slack/bolt';
import { HOME_OWN_LIMIT, homeView, type Waiting } from '../../views/home.js';
import type { ListenerDeps } from '../index.js';

/** Candidates read before the policy narrows them to what this reader may decide (most people may decide most). */
const AWAITING_CANDIDATES = 100;

export function registerAppHome(app: App, { workflow, rules, log, store, channels, reader, now }: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    // The Messages tab opens this event too; only the Home tab is ours to draw.
    if (event.tab !== 'home') return;
    const userId = event.user;
    const teamId = body.team_id;
    if (rules.teamId !== null && teamId !== rules.teamId) {
      log.warn({ teamId, userId }, 'App Home opened from another workspace; nothing shown');
      return;
    }
    const t = await reader(userId);
    // Requests from private channels are shown only to their members, as in the history.
    const privateChannelsVisible = await channels.privateChannelsOf(userId).catch((error: unknown) => {
      log.warn({ err: error, userId }, 'could not tell which private channels the reader is in; showing public ones only');
      return [];
    });
    const [candidates, own] = await Promise.all([
      store.awaitingDecision({ teamId, deciderId: userId, now: now(), limit: AWAITING_CANDIDATES, privateChannelsVisible }),
      store.requestsBy({ teamId, requesterId: userId, limit: HOME_OWN_LIMIT }),
    ]);
    let waiting: Waiting;
    try {
      waiting = { requests: await workflow.awaitingDecisionBy(userId, candidates) };
    } catch (error) {
      log.warn({ err: error, userId }, 'could not check with Slack who may decide; the Home tab says so');
      waiting = { unavailable: true };
    }
    await client.views.publish({ user_id: userId, view: homeView(waiting, own, t) });
  });
}
