#!/usr/bin/env bash
# Set up deckwright on a fresh Debian/Ubuntu machine (idempotent: skips what is already there).
#   scripts/setup.sh          system libraries (cairo, for SVG images) and fonts, .venv with deckwright, reveal.js (npm ci)
#   scripts/setup.sh --test   also the real clients the tests open: Chromium, LibreOffice Impress, poppler
# Needs Python >= 3.11 and Node.js/npm; Debian packages are installed with apt (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

APT=(libcairo2 fontconfig fonts-liberation fonts-dejavu-core
     fonts-noto-cjk fonts-noto-color-emoji)
APT_TEST=(chromium poppler-utils fonts-crosextra-carlito fonts-crosextra-caladea)
APT_TEST_NOREC=(libreoffice-impress)

missing() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if command -v dpkg >/dev/null 2>&1; then
  need=$(missing "${APT[@]}")
  need_norec=""
  if [ "$want_test" = 1 ]; then
    need="$need $(missing "${APT_TEST[@]}")"
    need_norec=$(missing "${APT_TEST_NOREC[@]}")
  fi
  if [ -n "${need// /}${need_norec}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    # shellcheck disable=SC2086
    [ -z "${need// /}" ] || as_root apt-get install -y -q $need
    # shellcheck disable=SC2086
    [ -z "$need_norec" ] || as_root apt-get install -y -q --no-install-recommends $need_norec
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is required" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_test" = 1 ]; then
  # The wheel test builds with this pip (setuptools comes from PyPI into its isolated build) and
  # installs the wheel into a new venv: nothing beyond the test extra is needed for it.
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi

# reveal.js, pinned by package-lock.json; copied into every HTML deck so it works offline.
[ -f node_modules/reveal.js/dist/reveal.js ] || npm ci --no-audit --no-fund --loglevel=error
echo "setup ok"
