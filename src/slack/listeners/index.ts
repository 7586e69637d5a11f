// Registers every Slack listener: one folder per Slack surface (commands/, actions/, views/, events/), one place that wires them all.
import type { ReaderTranslator } from '../i18n/readers.js';
import type { App } from '@slack/bolt';
import type { ChannelDirectory, Failpoints } from '../../deletion/ports.js';
import type { Workflow } from '../../deletion/workflow.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import { registerDecisionActions } from './actions/decision.js';
import { registerOfferCommand } from './commands/offer.js';
import { registerAppHome } from './events/app-home.js';
import { registerDecisionModal } from './views/decision-modal.js';
import { registerDeleteForm } from './views/delete-form.js';
import type { FindOffers } from '../../deletion/find-offers.js';
import type { SandboxChoice } from '../../deletion/sandboxes.js';

interface ListenerRules {
  /** Channels `/offer` works in (OFFER_ALLOWED_CHANNELS); null: any. */
  allowedChannels: readonly string[] | null;
  /** The sandboxes `/offer` may delete in from this channel (OFFER_SANDBOXES), its default first. */
  allowedSandboxes(channelId: string): readonly string[];
  /** The sandbox a request in this channel uses: the one named if allowed there, else the channel's default. */
  chooseSandbox(channelId: string, requested: string | null): SandboxChoice;
  /** The only workspace served (SLACK_TEAM_ID); null serves any. */
  teamId: string | null;
}

export interface ListenerDeps {
  workflow: Pick<Workflow, 'requestDeletion' | 'decide' | 'vetDecision' | 'prepareDecision' | 'requestRestore' | 'awaitingDecisionBy'>;
  rules: ListenerRules;
  log: Logger;
  /** Where `/offer history` and the Home tab read from, and which private channels their reader may see. */
  store: Pick<Store, 'recentRequests' | 'awaitingDecision' | 'requestsBy'>;
  channels: Pick<ChannelDirectory, 'privateChannelsOf'>;
  failpoints: Failpoints;
  /** The translator for whoever a private answer goes to. */
  reader: ReaderTranslator;
  /** The workflow's clock (tests move it). */
  now: () => number;
  /** Offers by name, for `/offer find` and the delete form's menu. */
  findOffers: FindOffers;
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  registerOfferCommand(app, deps);
  registerDecisionActions(app, deps);
  registerAppHome(app, deps);
  registerDecisionModal(app, deps);
  registerDeleteForm(app, deps);
}
