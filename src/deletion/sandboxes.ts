// Which Adobe sandboxes a channel may delete in (OFFER_SANDBOXES), and which one a request uses: pure functions of the rules.

export interface SandboxRules {
  /** The sandbox of every channel OFFER_SANDBOXES does not list (ADOBE_SANDBOX_NAME). */
  default: string;
  /** A listed channel's sandboxes, its default first. */
  byChannel: ReadonlyMap<string, readonly string[]>;
}

/** The sandboxes `channelId` may use, its default first. */
export function sandboxesFor(rules: SandboxRules, channelId: string): readonly string[] {
  return rules.byChannel.get(channelId) ?? [rules.default];
}

/** Every sandbox configured anywhere: the default and each channel's. */
export function knownSandboxes(rules: SandboxRules): readonly string[] {
  return [...new Set([rules.default, ...[...rules.byChannel.values()].flat()])];
}

export type SandboxRefusal = 'sandbox_unknown' | 'sandbox_not_allowed';

export type SandboxChoice = { ok: true; sandbox: string } | { ok: false; refusal: SandboxRefusal; requested: string; allowed: readonly string[] };

/** The sandbox a request in `channelId` uses: the one asked for if the channel may use it, else the channel's default. */
export function chooseSandbox(rules: SandboxRules, channelId: string, requested?: string | null): SandboxChoice {
  const allowed = sandboxesFor(rules, channelId);
  // sandboxesFor never answers an empty list: OFFER_SANDBOXES names at least one sandbox per channel.
  if (requested === undefined || requested === null) return { ok: true, sandbox: allowed[0] ?? rules.default };
  if (allowed.includes(requested)) return { ok: true, sandbox: requested };
  const refusal = knownSandboxes(rules).includes(requested) ? 'sandbox_not_allowed' : 'sandbox_unknown';
  return { ok: false, refusal, requested, allowed };
}
