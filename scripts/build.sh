#!/usr/bin/env bash
# Compiles the shipped code (src, activities, workflows, worker, client) to dist/ with tsc,
# which bin/amplify-migrate and the Docker image run. Skips the compiler when dist/ is newer
# than every source, so setup, `npm test` and the test harness can all call it cheaply.
#   --force   compile even when dist/ looks current
set -euo pipefail
cd "$(dirname "$0")/.."

STAMP="dist/.build-stamp"
current() {
  [ -f "$STAMP" ] && [ -f dist/client/cli.js ] \
    && [ -z "$(find src activities workflows worker client tsconfig.json tsconfig.build.json package-lock.json -newer "$STAMP" -print -quit 2>/dev/null)" ]
}
if [ "${1:-}" != "--force" ] && current; then
  exit 0
fi
mkdir -p dist
# Test runs and setups may start together: one compiler writes dist/ at a time, and whoever
# waited finds it current.
exec 9>dist/.build-lock
if command -v flock >/dev/null; then flock 9; fi
if [ "${1:-}" != "--force" ] && current; then
  exit 0
fi
echo "[build] compiling to dist/ (tsc -p tsconfig.build.json)" >&2
# The stamp is taken before compiling: a source saved during the build makes the next call compile again.
touch "$STAMP.next"
node_modules/.bin/tsc -p tsconfig.build.json
mv "$STAMP.next" "$STAMP"
