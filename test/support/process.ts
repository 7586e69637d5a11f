// offer-bot as its own process (`node --import tsx src/main.ts`), for restarts, crashes and start-up errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
export { botEnv } from './env.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HEALTHY_WITHIN_MS = 20_000;

export interface BotProcess {
  port: number;
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  waitHealthy(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // Only what a user would set: nothing of the test runner's environment leaks in.
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    port,
    child,
    stdout,
    stderr,
    exited,
    async waitHealthy() {
      const deadline = Date.now() + HEALTHY_WITHIN_MS;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`offer-bot exited with ${child.exitCode}: ${stderr.join('\n')}`);
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`offer-bot was not healthy within ${HEALTHY_WITHIN_MS} ms: ${stderr.join('\n')}`);
    },
    async kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
