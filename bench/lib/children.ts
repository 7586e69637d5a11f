// Child processes for the benchmark: spawned, timed to a healthy /healthz, measured from /proc, and always killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const HEALTH_POLL_MS = 5;
const STOP_GRACE_MS = 25_000;

export interface Child {
  name: string;
  pid: number;
  port: number;
  process: ChildProcess;
  stderr: string[];
  spawnedAt: number;
  exited: Promise<number | null>;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  waitHealthy(timeoutMs: number): Promise<number>;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
}

/** Children run through a launcher (npm) lead their own process group, so a kill takes whatever they started too. */
const live = new Map<ChildProcess, { group: boolean }>();

function kill(child: ChildProcess, signal: NodeJS.Signals, group: boolean): void {
  if (group && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  } else child.kill(signal);
}

/** Kill every child still running: on normal exit, on a signal, on an uncaught error. */
export function killAllChildren(): void {
  for (const [child, { group }] of live) {
    if (child.exitCode === null && child.signalCode === null) kill(child, 'SIGKILL', group);
  }
  live.clear();
}
process.once('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

/** What runs the app: node itself (the default), or a launcher such as npm, whose own start-up then counts too. */
export interface Launch {
  command: string;
  /** Run in a process group of its own, killed as one (a launcher's children with it). */
  group: boolean;
}
const NODE: Launch = { command: process.execPath, group: false };

export function spawnChild(name: string, args: string[], env: Record<string, string>, port: number, cwd: string, launch: Launch = NODE): Child {
  const spawnedAt = performance.now();
  const child = spawn(launch.command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: launch.group,
  });
  live.set(child, { group: launch.group });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 200) stderr.push(...chunk.toString().split('\n').filter(Boolean));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    pid: child.pid ?? -1,
    port,
    process: child,
    stderr,
    spawnedAt,
    exited,
    async waitHealthy(timeoutMs) {
      const deadline = spawnedAt + timeoutMs;
      while (performance.now() < deadline) {
        if (gone()) throw new Error(`${name} exited with ${child.exitCode ?? child.signalCode}: ${stderr.slice(-10).join('\n')}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          async (response) => {
            await response.arrayBuffer();
            return response.status === 200;
          },
          () => false,
        );
        if (ok) return performance.now() - spawnedAt;
        await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
      }
      throw new Error(`${name} was not healthy within ${timeoutMs} ms: ${stderr.slice(-10).join('\n')}`);
    },
    async stop() {
      if (gone()) return;
      // SIGTERM to the launcher only, as a process manager sends it: it must reach the app (npm start execs node).
      child.kill('SIGTERM');
      const timer = setTimeout(() => kill(child, 'SIGKILL', launch.group), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
      // Anything a launcher left behind (a node the signal never reached) goes too.
      if (launch.group) kill(child, 'SIGKILL', true);
    },
  };
}

/** VmRSS and VmHWM (peak) in KiB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { rssKiB: number; peakKiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKiB: field('VmRSS'), peakKiB: field('VmHWM') };
  } catch {
    return { rssKiB: Number.NaN, peakKiB: Number.NaN };
  }
}

/**
 * User + system CPU time of a process and its live descendants so far, in milliseconds: npm start and the node it execs.
 * Children come from /proc/<pid>/task/<tid>/children.
 */
export function treeCpuMsOf(pid: number): number {
  let children: number[] = [];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    // gone, or no children file on this kernel: the process alone
  }
  return children.reduce((total, child) => total + treeCpuMsOf(child), cpuMsOf(pid));
}

/**
 * CPU time so far of every PostgreSQL server process on this machine (comm `postgres`), in milliseconds: the server
 * shares the two cores with offer-bot and the bench, so its work per workflow is part of what a level costs. Backends
 * that ended before the second reading are not counted; offer-bot's pool keeps its connections open.
 */
export function postgresServerCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuMsOf(Number(entry)) || 0;
    } catch {
      // ended while being read
    }
  }
  return total;
}

/** User + system CPU time of a process so far, in milliseconds (from /proc/<pid>/stat, 100 ticks a second). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}
