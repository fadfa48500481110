#!/usr/bin/env bash
# The whole test suite: types, unit tests, the Firefox build's lint, and the
# end-to-end tests in real Chromium, then the same tests in Firefox ESR (one
# after the other: the machines have two cores). Runs every stage, then
# prints the counts per stage and one closing line.
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
e2e() { # browser [VAR=value…]
  local browser=$1
  shift
  env E2E_BROWSER="$browser" "$@" npx vitest run -c vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json="tests/.tmp/e2e-$browser.json"
}
stage e2e-chromium e2e chromium
# Builds again (seconds): never a stale build left by a Chromium stage that failed to build.
stage e2e-firefox e2e firefox

node scripts/summary.mjs unit=tests/.tmp/unit.json 'e2e chromium=tests/.tmp/e2e-chromium.json' 'e2e firefox=tests/.tmp/e2e-firefox.json'
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
  exit 1
fi
