// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: by function and by area.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not idle. */
  busyMs: number;
  functions: Array<{ name: string; where: string; selfMs: number }>;
  areas: Array<{ area: string; selfMs: number }>;
  /** Inclusive time of frames whose name or location matches, e.g. the store's methods. */
  inclusive: Array<{ label: string; ms: number }>;
}

/** Which part of the program a frame belongs to: a package, a file of ours, Node itself, or V8's own buckets. */
function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(?:src|dist)\/(.+)$/.exec(url);
  if (ours) return `offer-bot ${ours[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url;
}

/**
 * dist/ is one bundle (scripts/build.mjs): each frame in it is put back where it came from, a file of src/ or of a
 * package, through the bundle's source map, so that the summary names files and packages as before.
 */
function sourceMapped(profile: CpuProfile): void {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      const path = url.startsWith('file://') ? `${fileURLToPath(url)}.map` : '';
      maps.set(url, path && existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
    }
    return maps.get(url) ?? null;
  };
  for (const node of profile.nodes) {
    const frame = node.callFrame;
    const map = frame.url.includes('/dist/') ? mapOf(frame.url) : null;
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
    if (!entry || !('originalSource' in entry)) continue;
    frame.url = pathToFileURL(fileURLToPath(new URL(entry.originalSource, frame.url))).href;
    frame.lineNumber = entry.originalLine;
  }
}

export function summarizeProfile(path: string, inclusivePatterns: Array<{ label: string; match: RegExp }> = []): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  sourceMapped(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });

  const functions = new Map<string, { name: string; where: string; selfMs: number }>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusivePatterns.map((p) => [p.label, 0]));
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, time] of self) {
    const node = byId.get(id);
    if (!node) continue;
    totalMs += time;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') idleMs += time;
    const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/(node_modules|src|dist)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || '(anonymous)', where, selfMs: 0 };
    entry.selfMs += time;
    functions.set(key, entry);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + time);
    // Inclusive: count this sample once for each pattern matched by any frame on its stack.
    const matched = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)?.callFrame;
      if (!f) break;
      for (const pattern of inclusivePatterns) if (pattern.match.test(`${f.functionName} ${f.url}`)) matched.add(pattern.label);
    }
    for (const label of matched) inclusive.set(label, (inclusive.get(label) ?? 0) + time);
  }
  return {
    totalMs,
    busyMs: totalMs - idleMs,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
    areas: [...areas.entries()].map(([area, selfMs]) => ({ area, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
    inclusive: [...inclusive.entries()].map(([label, ms]) => ({ label, ms })),
  };
}
