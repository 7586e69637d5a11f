#!/usr/bin/env bash
# Asks the npm registry this machine reaches for advisories on the production dependencies (from the lockfile):
#
#   bash .ci/audit.sh
#
# Exit 0: no high or critical advisory. Exit 1: at least one, listed (a finding fails CI). Exit 2: the registry's
# audit endpoint gave no report (a mirror or proxy that does not serve it, no network): nothing was checked, and
# the caller decides whether that fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
rc=0
# npm exits non-zero both for findings and for an endpoint that did not answer; the JSON report tells them apart.
npm audit --omit=dev --audit-level=high --json >"$report" || rc=$?

node --input-type=module - "$report" "$rc" <<'EOF'
import { readFileSync } from 'node:fs';

const [file, npmExit] = process.argv.slice(2);
const FAILING = new Set(['high', 'critical']);
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log(`npm audit gave no report (exit ${npmExit}): nothing was checked`);
  process.exit(2);
}
if (report.error || !report.metadata) {
  const why = report.message || report.error?.summary || report.error?.code || `exit ${npmExit}`;
  console.log(`the registry's audit endpoint gave no report (${why}): nothing was checked`);
  process.exit(2);
}
const { total = 0, ...bySeverity } = report.metadata.vulnerabilities ?? {};
const audited = report.metadata.dependencies?.prod ?? report.metadata.dependencies?.total ?? '?';
console.log(`${audited} production dependencies audited: ${total} vulnerable`, JSON.stringify(bySeverity));
const failing = Object.values(report.vulnerabilities ?? {}).filter((v) => FAILING.has(v.severity));
for (const v of failing) {
  const advisories = v.via.filter((via) => typeof via === 'object').map((via) => `${via.title} ${via.url ?? ''}`.trim());
  const through = v.via.filter((via) => typeof via === 'string');
  console.log(`  ${v.severity}: ${v.name} ${v.range}${advisories.length ? ` (${advisories.join('; ')})` : ''}${through.length ? ` via ${through.join(', ')}` : ''}`);
}
process.exit(failing.length > 0 ? 1 : 0);
EOF
