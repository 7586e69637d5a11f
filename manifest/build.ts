// Prints a variant of app.manifest.yml: `socket` (default; no URLs, socket_mode_enabled) or `http --host <host>`.
import { MANIFEST_PATH, httpVariant, manifestProblems, readManifest, socketModeVariant, toManifest } from './manifest.js';

const USAGE = 'usage: tsx manifest/build.ts [socket | http --host <host>] [--json]';

function main(args: string[]): number {
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const mode = rest[0] ?? 'socket';
  const source = readManifest(MANIFEST_PATH);
  let doc;
  if (mode === 'socket' && rest.length <= 1) doc = socketModeVariant(source);
  else if (mode === 'http' && rest[1] === '--host' && rest[2] && rest.length === 3) doc = httpVariant(source, rest[2]);
  else {
    console.error(USAGE);
    return 2;
  }
  const problems = manifestProblems(toManifest(doc));
  if (problems.length > 0) {
    console.error(`the ${mode} manifest does not pass Slack's schema:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  process.stdout.write(json ? `${JSON.stringify(doc.toJS(), null, 2)}\n` : doc.toString({ lineWidth: 0 }));
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
