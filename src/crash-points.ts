// Test-only failpoints: kill the process at a named step, so tests can prove a crash there loses nothing and repeats nothing.
import type { Failpoint, Failpoints } from './deletion/ports.js';

export type CrashPoint = Failpoint;

/** Failpoints that kill this process (SIGKILL, no clean-up) when it reaches `point`. */
export function crashAt(point: string): Failpoints {
  return (reached) => {
    if (reached === point) process.kill(process.pid, 'SIGKILL');
  };
}
