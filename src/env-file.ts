// Reads ./.env into process.env before the configuration is checked; a variable already set wins.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

export const ENV_FILE = '.env';

// Node's own parser (the one behind --env-file and process.loadEnvFile) skips what it cannot read without a
// word, and an open quote swallows every line after it; these two checks turn both into a refusal to start.
const SETTING = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/;
const NOTHING = /^\s*(?:#.*)?$/;

export type EnvFileResult =
  | { found: false }
  | { found: true; path: string; read: string[]; alreadySet: string[] }
  | { found: true; path: string; problem: string };

/**
 * Sets each variable in `path` (default ./.env) that `environment` does not already have. A missing file is
 * fine; one that cannot be read or is not one `NAME=value` per line is a `problem` (line numbers and names
 * only, never a value), and then nothing from it is set.
 */
export function loadEnvFile(environment: NodeJS.ProcessEnv, path = resolve(ENV_FILE)): EnvFileResult {
  let text: string;
  try {
    // An editor's byte-order mark would otherwise become part of the first name.
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { found: false };
    return { found: true, path, problem: `${path}: cannot be read (${code ?? 'unknown error'})` };
  }
  const parsed = parseEnv(text);
  const problem = shapeProblem(text, parsed);
  if (problem) return { found: true, path, problem: `${path}: ${problem}` };
  const read: string[] = [];
  const alreadySet: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    if (environment[name] !== undefined) alreadySet.push(name);
    else {
      environment[name] = value;
      read.push(name);
    }
  }
  return { found: true, path, read, alreadySet };
}

/** Why the file is not one `NAME=value` per line, or null. */
function shapeProblem(text: string, parsed: NodeJS.Dict<string>): string | null {
  const lines = text.split(/\r?\n/);
  const notSettings = lines.flatMap((line, index) => (SETTING.test(line) || NOTHING.test(line) ? [] : [index + 1]));
  if (notSettings.length > 0) {
    const where = notSettings.length === 1 ? `line ${notSettings[0]}` : `lines ${notSettings.join(', ')}`;
    return `${where}: not NAME=value (one variable per line, # starts a comment)`;
  }
  const named = lines.flatMap((line, index) => {
    const name = SETTING.exec(line)?.[1];
    return name === undefined ? [] : [{ name, where: `${name} (line ${index + 1})` }];
  });
  // An open quote swallows the lines up to the next quote (a value on several lines, a name gone), or, with
  // none after it, stays in the value.
  const unread = named.filter(({ name }) => {
    const value = parsed[name];
    return value === undefined || value.includes('\n') || openQuote(value);
  });
  if (unread.length > 0) return `${unread.map(({ where }) => where).join(', ')} could not be read: is a quote left open?`;
  return null;
}

const openQuote = (value: string) => /^["'`]/.test(value) && (value.length === 1 || value.at(-1) !== value[0]);
