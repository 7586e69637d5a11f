// The playground stays in playground/: the bot needs none of it, and the page imports nothing but itself.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1] ?? '');

describe('the playground boundary', () => {
  it('src/ imports nothing from playground/', () => {
    const offending = sources('src').filter((file) => importsOf(file).some((spec) => spec.includes('playground')));
    expect(offending).toEqual([]);
  });

  it('the page (playground/src/) imports only its own modules and styles', () => {
    const outside = sources('playground/src').flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith('./'))
        .map((spec) => `${file}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });
});
