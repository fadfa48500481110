#!/usr/bin/env bash
# The whole test suite: types, unit tests, the Firefox build's lint, and the
# end-to-end tests in real Chromium. Runs every stage, then prints one summary line.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-browsers.sh || exit 1
[ -d node_modules ] || npm ci || exit 1
mkdir -p tests/.tmp
rm -f tests/.tmp/*.json

failed_stages=()
stage() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed_stages+=("$name")
}

stage typecheck npx tsc --noEmit
stage unit npx vitest run --reporter=default --reporter=json --outputFile.json=tests/.tmp/unit.json
stage firefox-lint bash -c 'npx wxt build -b firefox --mv3 >/dev/null && npx web-ext lint --self-hosted -s .output/firefox-mv3 --output text'
stage e2e npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=tests/.tmp/e2e.json

node scripts/summary.mjs tests/.tmp/unit.json tests/.tmp/e2e.json
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  exit 1
fi
