// loadEnvFile: what it takes from a .env, what it leaves to the environment, and the files it refuses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEnvFile } from '../src/env-file.js';
import { tempDir } from './support/databases.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function envFile(text: string): string {
  const path = join(tempDir('env'), '.env');
  writeFileSync(path, text);
  return path;
}

describe('loadEnvFile', () => {
  it('sets what the environment lacks and keeps what it has, even an empty value', () => {
    const environment: NodeJS.ProcessEnv = { A: 'from the environment', B: '' };
    const path = envFile('A=from the file\nB=from the file\n# a comment\n\nexport C="quoted" # and a comment\nD=\n');
    expect(loadEnvFile(environment, path)).toEqual({ found: true, path, read: ['C', 'D'], alreadySet: ['A', 'B'] });
    expect(environment).toEqual({ A: 'from the environment', B: '', C: 'quoted', D: '' });
  });

  it('reads Windows line ends and a byte-order mark', () => {
    const environment: NodeJS.ProcessEnv = {};
    loadEnvFile(environment, envFile('\uFEFFA=1\r\nB=2\r\n'));
    expect(environment).toEqual({ A: '1', B: '2' });
  });

  it('no file is not an error', () => {
    expect(loadEnvFile({}, join(tempDir('env'), '.env'))).toEqual({ found: false });
  });

  it.each([
    ['a line without =', 'A=1\nSECRET-Zq9Leak\n', /: line 2: not NAME=value/],
    ['a name that is not one', 'A=1\nMY-TOKEN=Zq9Leak\nB=2\n', /: line 2: not NAME=value/],
    ['a quote never closed', 'A="Zq9Leak\nB=2\n', /: A \(line 1\) could not be read/],
    ['a quote that swallows the next line', 'A="Zq9Leak\nB="2"\nC=3\n', /: A \(line 1\), B \(line 2\) could not be read/],
  ])('refuses %s, naming the line, never its text, and sets nothing', (_, text, problem) => {
    const environment: NodeJS.ProcessEnv = {};
    const result = loadEnvFile(environment, envFile(text));
    expect(result).toMatchObject({ found: true, problem: expect.stringMatching(problem) });
    expect(JSON.stringify(result)).not.toContain('Zq9Leak');
    expect(environment).toEqual({});
  });

  it('refuses a .env it cannot read', () => {
    const path = join(tempDir('env'), '.env');
    mkdirSync(path);
    expect(loadEnvFile({}, path)).toEqual({ found: true, path, problem: `${path}: cannot be read (EISDIR)` });
  });

  it('reads .env.example as it is: every variable of the configuration table in the README, none given a value', () => {
    const example = join(ROOT, '.env.example');
    const environment: NodeJS.ProcessEnv = {};
    const result = loadEnvFile(environment, example);
    expect(result).not.toHaveProperty('problem');
    expect(Object.values(environment).every((value) => value === '')).toBe(true);
    const configuration = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n## Configuration\n')[1]?.split('\n## ')[0] ?? '';
    const table = [...configuration.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]);
    const listed = [...readFileSync(example, 'utf8').matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect(table.length).toBeGreaterThan(0);
    expect(listed.sort()).toEqual(table.sort());
  });
});
