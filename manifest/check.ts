// Validates manifest files (YAML or JSON) against Slack's schema; with no argument, app.manifest.yml, its Socket Mode variant, and that they agree with src/.
import { codeNeeds } from './code.js';
import { MANIFEST_PATH, manifestProblems, readManifest, socketModeVariant, toManifest, type Manifest } from './manifest.js';

/** Where the checked-in manifest and the code disagree: commands, scopes, request URL paths. */
function disagreements(manifest: Manifest): string[] {
  const needs = codeNeeds();
  const problems = [...needs.unknown];
  const commands = (manifest.features?.slash_commands ?? []).map((c) => c.command).sort();
  if (commands.join() !== needs.commands.join())
    problems.push(`slash commands: manifest has [${commands.join(', ')}], the code registers [${needs.commands.join(', ')}]`);
  const scopes = [...(manifest.oauth_config?.scopes?.bot ?? [])].sort();
  if (scopes.join() !== needs.scopes.join()) problems.push(`bot scopes: manifest has [${scopes.join(', ')}], the code needs [${needs.scopes.join(', ')}]`);
  const urls = [
    ...(manifest.features?.slash_commands ?? []).map((c) => c.url),
    manifest.settings?.interactivity?.request_url,
    manifest.settings?.interactivity?.message_menu_options_url,
  ];
  for (const url of urls) {
    if (url && !needs.endpoints.includes(new URL(url).pathname)) problems.push(`${url} does not end in the app's endpoint (${needs.endpoints.join(', ')})`);
  }
  return problems;
}

function main(files: string[]): number {
  const targets =
    files.length > 0
      ? files.map((file) => ({ name: file, manifest: toManifest(readManifest(file)), code: false }))
      : [
          { name: MANIFEST_PATH, manifest: toManifest(readManifest()), code: true },
          { name: `${MANIFEST_PATH} (Socket Mode variant)`, manifest: toManifest(socketModeVariant(readManifest())), code: false },
        ];
  let failed = false;
  for (const { name, manifest, code } of targets) {
    const problems = [...manifestProblems(manifest), ...(code ? disagreements(manifest) : [])];
    if (problems.length === 0) console.log(`ok  ${name}`);
    else {
      failed = true;
      console.error(`bad ${name}\n  ${problems.join('\n  ')}`);
    }
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
