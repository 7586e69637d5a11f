// @ts-check
// Preloaded by `npm start` (node --import ./scripts/fresh-dist.mjs dist/main.js): when src/ changed since the last build,
// builds dist/ before node loads it, so a start never runs old code; when nothing changed it costs about a millisecond.
import { buildIfStale, ROOT } from './build.mjs';

if (!(await buildIfStale(ROOT))) {
  process.stderr.write('offer-bot: not started, because dist/ may not match src/\n');
  process.exit(1);
}
