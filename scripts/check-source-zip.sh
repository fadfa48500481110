#!/usr/bin/env bash
# Proves the AMO sources zip: builds the store zips (`npm run zip`), unpacks the
# sources zip in an empty temporary folder, installs from the lock file and runs
# the build that SOURCE-BUILD.md documents, then compares the rebuilt
# .output/firefox-mv3 with the shipped Firefox zip, byte for byte.
# Exits non-zero on any difference. Touches nothing tracked; needs no network
# besides the npm registry (for `npm ci`). Needs unzip, sha256sum, cmp.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)

# The store build: none of the test build's switches (wxt.config.ts).
unset WXT_E2E WXT_OUT_DIR

name=$(node -p 'require("./package.json").name')
version=$(node -p 'require("./package.json").version')
firefox_zip="$root/.output/$name-$version-firefox.zip"
chrome_zip="$root/.output/$name-$version-chrome.zip"
sources_zip="$root/.output/$name-$version-sources.zip"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-sources.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "== 1/4 npm run zip"
rm -f "$firefox_zip" "$chrome_zip" "$sources_zip"
npm run --silent zip >"$work/zip.log" 2>&1 || { cat "$work/zip.log"; exit 1; }
for zip in "$chrome_zip" "$firefox_zip" "$sources_zip"; do
  [ -f "$zip" ] || { echo "missing: $zip"; cat "$work/zip.log"; exit 1; }
done

echo "== 2/4 what the sources zip holds"
unzip -Z1 "$sources_zip" | grep -v '/$' | sort >"$work/sources.list"
# Every file in it must be tracked: an untracked local file would reach the reviewers
# (WXT zips the work tree, not a commit).
git ls-files | sort >"$work/tracked.list"
untracked=$(comm -23 "$work/sources.list" "$work/tracked.list")
if [ -n "$untracked" ]; then
  echo "the sources zip holds files git does not track (commit or remove them):"
  echo "$untracked" | sed 's/^/  /'
  exit 1
fi
echo "$(wc -l <"$work/sources.list") files, all tracked"

echo "== 3/4 rebuild from the sources zip in $work/src (npm ci, npm run build:firefox)"
mkdir "$work/src" "$work/shipped"
unzip -q "$sources_zip" -d "$work/src"
unzip -q "$firefox_zip" -d "$work/shipped"
(
  cd "$work/src"
  npm ci --no-audit --no-fund >"$work/ci.log" 2>&1 || { cat "$work/ci.log"; exit 1; }
  npm run --silent build:firefox >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
)
rebuilt="$work/src/.output/firefox-mv3"
[ -d "$rebuilt" ] || { echo "the rebuild made no $rebuilt"; cat "$work/build.log"; exit 1; }

echo "== 4/4 compare the rebuild with $(basename "$firefox_zip")"
(cd "$work/shipped" && find . -type f -printf '%P\n' | sort) >"$work/shipped.list"
(cd "$rebuilt" && find . -type f -printf '%P\n' | sort) >"$work/rebuilt.list"
only_shipped=$(comm -23 "$work/shipped.list" "$work/rebuilt.list")
only_rebuilt=$(comm -13 "$work/shipped.list" "$work/rebuilt.list")
differing=()
while read -r file; do
  cmp -s "$work/shipped/$file" "$rebuilt/$file" || differing+=("$file")
done < <(comm -12 "$work/shipped.list" "$work/rebuilt.list")

files=$(wc -l <"$work/shipped.list")
bytes=$(cd "$work/shipped" && find . -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}')
size_of() { stat -c %s "$1"; }
echo "shipped Firefox files: $files, $bytes bytes unpacked"
echo "zips: chrome $(size_of "$chrome_zip") B, firefox $(size_of "$firefox_zip") B, sources $(size_of "$sources_zip") B"

status=0
if [ -n "$only_shipped" ]; then status=1; echo "only in the shipped zip:"; echo "$only_shipped" | sed 's/^/  /'; fi
if [ -n "$only_rebuilt" ]; then status=1; echo "only in the rebuild:"; echo "$only_rebuilt" | sed 's/^/  /'; fi
for file in "${differing[@]}"; do
  status=1
  echo "differs: $file (shipped $(size_of "$work/shipped/$file") B $(sha256sum <"$work/shipped/$file" | cut -c1-12), rebuilt $(size_of "$rebuilt/$file") B $(sha256sum <"$rebuilt/$file" | cut -c1-12))"
done

elapsed=$(($(date +%s) - started))
if [ $status -eq 0 ]; then
  echo "OK: the sources zip rebuilds all $files Firefox files byte for byte (${elapsed} s)"
else
  echo "FAILED: the rebuild from the sources zip differs from the shipped Firefox zip (${elapsed} s)"
fi
exit $status
