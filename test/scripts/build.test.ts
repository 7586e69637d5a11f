// scripts/build.mjs and scripts/fresh-dist.mjs as `npm start` and `npm ci` use them, on a small project of their own.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Each case runs tsc once or twice in a child process: seconds each on a busy machine. */
const BUILD_TEST_MS = 120_000;
const MS_PER_S = 1000;
/** How far ahead an edit is dated, so it is newer than the last build whatever the file system's clock resolution. */
const EDIT_AHEAD_S = 5;

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

let project: string;

/** What `npm start` runs, in `project`. */
const start = (): Promise<Run> => run(['--import', './scripts/fresh-dist.mjs', 'dist/main.js']);
/** What `npm ci` runs as `prepare`. */
const prepare = (): Promise<Run> => run(['scripts/build.mjs', '--if-stale']);

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: project, env: { PATH: process.env.PATH ?? '' }, timeout: BUILD_TEST_MS }, (error, stdout, stderr) => {
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Writes src/main.ts, dated a little in the future: an edit made after the last build. */
function writeMain(source: string): void {
  const path = join(project, 'src/main.ts');
  writeFileSync(path, source);
  const later = Date.now() / MS_PER_S + EDIT_AHEAD_S;
  utimesSync(path, later, later);
}

describe('building dist/ at install and before a start', () => {
  beforeEach(() => {
    project = mkdtempSync(join(tmpdir(), 'offer-bot-build-'));
    mkdirSync(join(project, 'scripts'));
    mkdirSync(join(project, 'src'));
    for (const file of ['scripts/build.mjs', 'scripts/fresh-dist.mjs', 'tsconfig.build.json']) copyFileSync(join(ROOT, file), join(project, file));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'build-test', private: true, type: 'module' }));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2023', module: 'NodeNext', strict: true, types: ['node'], skipLibCheck: true } }),
    );
    symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'));
    writeFileSync(join(project, 'src/main.ts'), "console.log('version 1');\n");
  });
  afterEach(() => rmSync(project, { recursive: true, force: true }));

  it(
    'prepare builds a fresh checkout; npm start then runs it without building again',
    async () => {
      const installed = await prepare();
      expect(installed).toMatchObject({ status: 0 });
      expect(installed.stderr).toContain('dist/main.js does not exist yet: building dist/');

      const started = await start();
      expect(started).toMatchObject({ status: 0, stdout: 'version 1\n', stderr: '' });
    },
    BUILD_TEST_MS,
  );

  it(
    'npm start after an edit of src/ builds first and runs the new code, saying why',
    async () => {
      expect(await prepare()).toMatchObject({ status: 0 });
      writeMain("console.log('version 2');\n");

      const started = await start();
      expect(started).toMatchObject({ status: 0, stdout: 'version 2\n' });
      expect(started.stderr).toContain('src/main.ts changed since the last build: building dist/');
      expect(await start()).toMatchObject({ status: 0, stdout: 'version 2\n', stderr: '' });
    },
    BUILD_TEST_MS,
  );

  it(
    'npm start after an edit that does not compile starts nothing, old or new, and tries again next time',
    async () => {
      expect(await prepare()).toMatchObject({ status: 0 });
      writeMain("const version: number = 'version 2';\nconsole.log(version);\n");

      const refused = await start();
      expect(refused).toMatchObject({ status: 1, stdout: expect.not.stringContaining('version') });
      expect(refused.stderr).toMatch(/the build failed .*dist\/ was left as it was/);
      expect(refused.stderr).toContain('not started, because dist/ may not match src/');
      expect((await start()).stderr).toContain('src/main.ts changed since the last build');
    },
    BUILD_TEST_MS,
  );

  it(
    'a source dated in the future (a clock that was ahead) is built once, not again at every start',
    async () => {
      // 2100-01-01, and a fraction of a second that the file system's double seconds do not hold exactly.
      const ahead = 4_102_444_800.1233;
      utimesSync(join(project, 'src/main.ts'), ahead, ahead);
      expect(await prepare()).toMatchObject({ status: 0 });

      expect(await start()).toMatchObject({ status: 0, stdout: 'version 1\n', stderr: '' });
    },
    BUILD_TEST_MS,
  );

  it(
    'without TypeScript an out-of-date dist/ is not started, and the message says how to build it',
    async () => {
      expect(await prepare()).toMatchObject({ status: 0 });
      rmSync(join(project, 'node_modules'));
      writeMain("console.log('version 2');\n");

      const refused = await start();
      expect(refused).toMatchObject({ status: 1, stdout: '' });
      expect(refused.stderr).toContain('TypeScript is not installed');
      expect(refused.stderr).toContain('npm ci');
    },
    BUILD_TEST_MS,
  );

  it(
    'a dist/ shipped without src/ starts as it is, and prepare leaves it alone',
    async () => {
      expect(await prepare()).toMatchObject({ status: 0 });
      rmSync(join(project, 'src'), { recursive: true });
      rmSync(join(project, 'node_modules'));

      expect(await prepare()).toMatchObject({ status: 0, stderr: '' });
      expect(await start()).toMatchObject({ status: 0, stdout: 'version 1\n', stderr: '' });
    },
    BUILD_TEST_MS,
  );
});
