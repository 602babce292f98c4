#!/usr/bin/env bash
# Real-browser check of the pages that `proviso render` writes.
#
#   tests/browser/run.sh [--screenshots DIR]
#
# Installs Debian's chromium if /usr/bin/chromium is missing, installs the
# pinned npm packages (playwright-core, axe-core) with `npm ci`, renders the
# flagship page and its redline against the 2019 contract into a temporary
# directory, then runs check.mjs on both (no console errors, no network, axe,
# PDF printing). With --screenshots DIR it also writes DIR/render-flagship.png
# and DIR/render-redline.png (DIR relative to the directory you run it from).
#
# The binary is $PROVISO if set (a relative path is taken from the project
# root), else target/release/proviso if it exists and is not older than
# target/debug/proviso, else target/debug/proviso: build it first
# (`cargo build`). Works from any current directory.
set -euo pipefail

usage() {
  echo "usage: tests/browser/run.sh [--screenshots DIR]" >&2
  exit 2
}

check_args=()
if [ "$#" -gt 0 ]; then
  if [ "$1" = "--screenshots" ] && [ "$#" -ge 2 ] && [ -n "$2" ]; then
    mkdir -p -- "$2"
    check_args+=(--screenshots "$(cd -- "$2" && pwd)")
    shift 2
  else
    usage
  fi
fi
[ "$#" -eq 0 ] || usage

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
cd -- "$root"

# Chromium, from Debian's packages, only when it is not there yet.
bash tests/browser/install-chromium.sh

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund)

if [ -n "${PROVISO:-}" ]; then
  proviso="$PROVISO"
elif [ -x target/release/proviso ] && ! [ target/debug/proviso -nt target/release/proviso ]; then
  # A release build, unless a newer debug build sits beside it (a stale
  # release binary would check an old renderer, or one without `render`).
  proviso=target/release/proviso
else
  proviso=target/debug/proviso
fi
if [ ! -x "$proviso" ]; then
  echo "tests/browser/run.sh: no proviso binary at $proviso (run cargo build, or set PROVISO)" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/proviso-browser.XXXXXX")"
cleanup() {
  status=$?
  if [ "$status" -eq 0 ]; then
    rm -rf -- "$tmp"
  else
    echo "tests/browser/run.sh: pages and PDFs kept in $tmp" >&2
  fi
}
trap cleanup EXIT

echo "== proviso render ($proviso)"
"$proviso" render contracts/microsoft-openai-2025.proviso contracts/events/microsoft-openai-2025.json \
  -o "$tmp/flagship.html"
"$proviso" render contracts/microsoft-openai-2025.proviso contracts/events/microsoft-openai-2025.json \
  --against contracts/microsoft-openai-2019.proviso -o "$tmp/redline.html"

echo "== browser check (chromium, axe-core, PDF)"
node tests/browser/check.mjs "${check_args[@]}" --pdf-dir "$tmp/pdf" "$tmp/flagship.html" "$tmp/redline.html"
