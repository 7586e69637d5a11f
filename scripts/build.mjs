// @ts-check
// Builds dist/ from src/ with tsc and records that it did; `--if-stale` builds only when an input changed since (npm ci).
// Plain JavaScript, because it runs before there is any build: `npm run build`, the `prepare` step of `npm ci`, and,
// through scripts/fresh-dist.mjs, every `npm start`.
// Only what the up-to-date check needs is imported here: it runs before every start. The rest loads when it builds.
import { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What the build reads: src/ (every file and folder, so a removed file counts too) and what sets the compiler up. */
const INPUT_DIR = 'src';
const INPUT_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const ENTRY = 'dist/main.js';
const SOURCE_ENTRY = 'src/main.ts';
/**
 * Written after a build that succeeded, dated when the build started (or the newest input, if that is later, as with
 * a clock that was ahead): a file edited while tsc ran is newer than the stamp, so the next start builds again.
 */
export const STAMP = 'dist/.built';
const TSC_ARGS = ['-p', 'tsconfig.build.json'];
const MS_PER_S = 1000;
/**
 * The stamp is dated this much after what the build was built from: a time goes to the file system as seconds in a
 * double and may come back a fraction of a microsecond earlier, which would make the newest input look newer than it.
 */
const STAMP_MARGIN_MS = 1;

/** @param {string} path */
const mtimeOf = (path) => statSync(path).mtimeMs;

/**
 * Every input that exists, relative to `root`, with its modification time.
 * @param {string} root
 * @returns {Array<{ path: string, mtimeMs: number }>}
 */
function inputsOf(root) {
  const dir = join(root, INPUT_DIR);
  const paths = [INPUT_DIR, ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((entry) => join(INPUT_DIR, entry)), ...INPUT_FILES];
  return paths.filter((path) => existsSync(join(root, path))).map((path) => ({ path, mtimeMs: mtimeOf(join(root, path)) }));
}

/**
 * Why dist/ must be built before it runs, or null when it is up to date. Without src/ (only dist/ was shipped) there
 * is nothing to build from, and what is there is what runs.
 * @param {string} root
 * @returns {string | null}
 */
export function staleReason(root) {
  if (!existsSync(join(root, INPUT_DIR))) return null;
  if (!existsSync(join(root, ENTRY))) return `${ENTRY} does not exist yet`;
  if (!existsSync(join(root, STAMP))) return `${STAMP} is missing (no complete build recorded)`;
  const builtAt = mtimeOf(join(root, STAMP));
  const changed = inputsOf(root).find((input) => input.mtimeMs > builtAt);
  return changed ? `${changed.path} changed since the last build` : null;
}

/** @param {string} message */
const say = (message) => process.stderr.write(`offer-bot: ${message}\n`);

/**
 * Packages left out of the bundle: the native SQLite driver (a compiled addon found at run time), and optional
 * packages that pg and ws try to load and do without.
 */
const EXTERNAL = ['better-sqlite3', 'pg-native', 'bufferutil', 'utf-8-validate'];

/**
 * Type-checks src/ with tsc (its messages on stderr, so standard output stays the bot's JSON log lines), then bundles
 * it with its dependencies into dist/ with esbuild and stamps dist/ when both pass. One file instead of some 500
 * modules is what makes a start quick: resolving and compiling them one by one was most of the start-up. Each store
 * stays a chunk of its own, loaded when it is opened, so a process loads only the database driver it uses.
 * @param {string} root
 * @returns {Promise<boolean>} whether dist/ is now built from the current sources
 */
export async function build(root) {
  const [{ spawnSync }, { createRequire }] = await Promise.all([import('node:child_process'), import('node:module')]);
  const require = createRequire(join(root, 'package.json'));
  /** @param {string} name */
  const missing = (name) => {
    say(`cannot build dist/: ${name} is not installed (installed without dev dependencies?); run \`npm ci\`, which builds it`);
    return false;
  };
  let tsc;
  let esbuild;
  try {
    tsc = require.resolve('typescript/bin/tsc');
  } catch {
    return missing('TypeScript');
  }
  try {
    /** @type {typeof import('esbuild')} */
    esbuild = require('esbuild');
  } catch {
    return missing('esbuild');
  }
  const startedAt = Date.now();
  const builtFrom = Math.ceil(Math.max(startedAt, ...inputsOf(root).map((input) => input.mtimeMs))) + STAMP_MARGIN_MS;
  const result = spawnSync(process.execPath, [tsc, ...TSC_ARGS], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    say(`the build failed (tsc ${TSC_ARGS.join(' ')}: ${result.error?.message ?? `exit ${result.status ?? result.signal}`}); dist/ was left as it was`);
    return false;
  }
  const out = join(root, 'dist');
  // Built aside and moved in, so that a failed bundle leaves the last good dist/ as it was.
  const next = join(root, 'dist.next');
  rmSync(next, { recursive: true, force: true });
  try {
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [SOURCE_ENTRY],
      outdir: next,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20.18',
      external: EXTERNAL,
      sourcemap: true,
      logLevel: 'warning',
      // The bundled CommonJS packages call require() for Node's own modules; an ES module has none of its own.
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module';\nconst require = __bundleRequire(import.meta.url);" },
    });
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    say(`the build failed (esbuild: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}); dist/ was left as it was`);
    return false;
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  const stamp = join(root, STAMP);
  writeFileSync(stamp, `dist/ was built from ${INPUT_DIR}/ by scripts/build.mjs; this file's modification time is what it was built from.\n`);
  utimesSync(stamp, builtFrom / MS_PER_S, builtFrom / MS_PER_S);
  return true;
}

/**
 * Builds when dist/ is out of date, saying why and how long it took; does nothing (in about a millisecond) otherwise.
 * @param {string} root
 * @returns {Promise<boolean>} whether dist/ is up to date now
 */
export async function buildIfStale(root) {
  const reason = staleReason(root);
  if (reason === null) return true;
  say(`${reason}: building dist/ (tsc ${TSC_ARGS.join(' ')}, then esbuild)…`);
  const started = performance.now();
  if (!(await build(root))) return false;
  say(`built in ${((performance.now() - started) / MS_PER_S).toFixed(1)} s`);
  return true;
}

const runAsScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runAsScript) {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--if-stale');
  if (unknown.length > 0) {
    process.stderr.write(`usage: node ${relative(process.cwd(), fileURLToPath(import.meta.url))} [--if-stale]\n`);
    process.exit(2);
  }
  const ok = await (args.includes('--if-stale') ? buildIfStale(ROOT) : build(ROOT));
  process.exit(ok ? 0 : 1);
}
