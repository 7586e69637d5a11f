// The one rule for the URLs offer-bot calls out to (Slack, Adobe IMS, the Offer Library): https://, or http:// when allowed.

/** The variable that allows http:// upstreams: for tests and local stand-ins only, never a real deployment. */
const ALLOW_INSECURE_UPSTREAMS = 'OFFER_ALLOW_INSECURE_UPSTREAMS';

/** Why `url` may not be called, as it reads after the URL's name ("… must be https://"), or null when it may. */
export function upstreamUrlProblem(url: string, allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && allowHttp) return null;
  const allow = parsed.protocol === 'http:' ? ` (${ALLOW_INSECURE_UPSTREAMS}=true allows http://, for tests and local stand-ins only)` : '';
  return `must be an https:// URL${allow}`;
}
