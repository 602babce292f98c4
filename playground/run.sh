#!/usr/bin/env bash
# Builds the playground and tests it in a real browser.
#
#   playground/run.sh            build, then the browser test and the
#                                comparison with the command
#   playground/run.sh --build    build only (playground/web/dist)
#   playground/run.sh --serve    build, then serve it on http://127.0.0.1:8000
#   playground/run.sh --screenshots DIR
#                                the tests, writing the screenshots of
#                                docs/playground.md and docs/editors.md to DIR
#
# Needs the Rust toolchain (it adds the wasm32-unknown-unknown target and
# installs wasm-bindgen-cli at the version Cargo.lock pins when missing),
# node and npm, and for the test Debian's chromium (installed with apt when
# /usr/bin/chromium is missing) and the proviso command (built here).
set -euo pipefail

mode=test
browser_args=()
case "${1:-}" in
  "") ;;
  --build | --serve) mode="$1"; [ "$#" -eq 1 ] || mode=usage ;;
  --screenshots) [ "$#" -eq 2 ] && [ -n "$2" ] && browser_args=(--screenshots "$(mkdir -p -- "$2" && cd -- "$2" && pwd)") || mode=usage ;;
  *) mode=usage ;;
esac
if [ "$mode" = usage ]; then
  echo "usage: playground/run.sh [--build | --serve | --screenshots DIR]" >&2
  exit 2
fi

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)"
cd -- "$root"

echo "== the WebAssembly module (cargo, wasm32-unknown-unknown)"
rustup target add wasm32-unknown-unknown > /dev/null 2>&1 || rustup target add wasm32-unknown-unknown
cargo build --locked --release -p proviso-playground --target wasm32-unknown-unknown

# wasm-bindgen's command must be the version of the crate the module links.
version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if ! command -v wasm-bindgen > /dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{ print $2 }')" != "$version" ]; then
  echo "== cargo install wasm-bindgen-cli $version"
  # Not --locked: its lockfile pins a webpki-roots release the registry
  # mirror may not carry; the command's version is what must match.
  cargo install wasm-bindgen-cli --version "$version"
fi
wasm-bindgen --target web --no-typescript --out-dir playground/web/pkg \
  target/wasm32-unknown-unknown/release/proviso_playground.wasm

echo "== the page (npm ci, esbuild)"
(cd playground/web && npm ci --no-audit --no-fund && node build.mjs)
gzip -9 -c playground/web/dist/proviso_playground_bg.wasm | wc -c |
  awk '{ printf "proviso_playground_bg.wasm gzipped: %d KiB\n", $1 / 1024 }'

case "$mode" in
  --build) exit 0 ;;
  --serve)
    echo "== http://127.0.0.1:8000 (Ctrl-C stops)"
    exec node playground/web/tests/serve.mjs playground/web/dist 8000
    ;;
esac

# Chromium, from Debian's packages, only when it is not there yet.
bash tests/browser/install-chromium.sh

echo "== the command, to compare with"
cargo build --locked
echo "== the same diagnostics and reports in the module as in the command"
node playground/web/tests/same-output.mjs target/debug/proviso
echo "== the playground in chromium"
node playground/web/tests/browser.mjs "${browser_args[@]}"
