// The bench's progress log on stdout, each line stamped with the seconds since the bench started.
import { performance } from 'node:perf_hooks';

const wallStart = performance.now();

/** Milliseconds since the bench started. */
export const elapsedMs = (): number => performance.now() - wallStart;

export const log = (line: string): void => {
  process.stdout.write(`[${(elapsedMs() / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
};
