#!/usr/bin/env bash
# Build the workshop deck and the fixture decks with a fixed date and no cache, and print a sha256 per output file.
#   scripts/output_hashes.sh > before.txt; (change the code); scripts/output_hashes.sh | diff before.txt -
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600} DECKWRIGHT_NO_CACHE=1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
py=.venv/bin/python
$py build.py build --format all --out "$out/workshop" >/dev/null
for deck in tests/fixtures/decks/*/; do
  name=$(basename "$deck")
  cp -r "$deck" "$out/src-$name"
  $py build.py build --format all --root "$out/src-$name" --out "$out/$name" >/dev/null 2>&1 || echo "build failed: $name" >&2
done
cd "$out" && find . -path ./src-\* -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum
