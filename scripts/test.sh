#!/usr/bin/env bash
# The whole test suite, as a newcomer and CI run it: `npm test` (after `npm ci`).
# Builds lib/ (the CLI the end-to-end tests spawn), type-checks, lints, starts throw-away
# PostgreSQL and MariaDB servers on loopback (installing them with apt when missing; see
# scripts/db-servers.sh), runs jest on Node 20, then the node:sqlite tests on Node 24, then the
# reliability suite at CI size, and stops the servers. Extra arguments go to jest (e.g.
# `npm test -- __tests__/engine`; the reliability suite then does not run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# `npm test` puts node_modules/.bin first on PATH, and the node@24 dev dependency (for the
# node:sqlite tests) installs a `node` there: use the machine's Node for everything else.
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd: -)"
export PATH

# Nothing leaves the machine: set before any driver loads (the product sets them too).
export SNOWFLAKE_DISABLE_PLATFORM_DETECTION="${SNOWFLAKE_DISABLE_PLATFORM_DETECTION:-true}"
export DATABRICKS_TELEMETRY_DISABLED="${DATABRICKS_TELEMETRY_DISABLED:-1}"

step() { printf '\n== %s\n' "$*" >&2; }

step "build (tsc → lib/, plus the env.py driver it reads, then lib/bundle/: the CLI that bin/jetbase.js runs)"
npm run -s build
step "type-check tests"
npx tsc -p tsconfig.test.json --noEmit
step "lint"
npx eslint --max-warnings 0 .

step "bundle (ncc → dist/: the action the end-to-end tests run)"
npm run -s bundle

started_servers=0
cleanup() { if ((started_servers)); then bash scripts/db-servers.sh stop || true; fi; }
trap cleanup EXIT
if [[ -z "${JETBASE_TEST_PG_URL:-}" || -z "${JETBASE_TEST_MYSQL_URL:-}" ]]; then
  step "start PostgreSQL and MariaDB"
  started_servers=1
  bash scripts/db-servers.sh start
fi
if [[ -f .tmp/db/env.sh ]]; then
  # shellcheck disable=SC1091
  . .tmp/db/env.sh
fi

mkdir -p .tmp
results=.tmp/jest-results.json
step "jest (Node $(node --version))"
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --json --outputFile="$results" "$@" || status=$?

node24=node_modules/node/bin/node
status24=0
results24=.tmp/jest-results-node24.json
if [[ -x $node24 && $# -eq 0 ]]; then
  step "jest on Node $($node24 --version): the built-in node:sqlite driver (GitHub runs actions on node24)"
  JETBASE_NODE24_TESTS=1 "$node24" --experimental-vm-modules node_modules/jest/bin/jest.js \
    --json --outputFile="$results24" --testPathPatterns 'node24' || status24=$?
fi

# The reliability suite at CI size (reliability/README.md): kill -9, concurrency, fuzz, secrets,
# cut connections, bad input; one figure per line. `npm run reliability -- --full` for full counts.
reliability=0
if [[ $# -eq 0 ]]; then
  step "reliability (CI size)"
  node reliability/run.mjs || reliability=$?
fi

# One plain closing line over both runs.
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of process.argv.slice(1)) {
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; skipped += r.numPendingTests;
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
' "$results" "$results24"
rm -f "$results24"
exit $((status || status24 || reliability))
