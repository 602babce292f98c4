#!/usr/bin/env bash
# Tests and packages the VS Code extension.
#
#   bash editors/vscode/run.sh
#
# Works from any current directory. Installs the pinned npm packages with
# `npm ci`, then:
#   1. the grammar's annotated samples (tests/*.proviso, vscode-tmgrammar-test);
#   2. every real clause file and docs/language.md example, tokenized with
#      vscode-textmate: nothing may be left unrecognised (tests/every-file.mjs);
#   3. every reserved word of grammar/proviso.pest highlighted and asserted
#      in a sample (tests/reserved-words.mjs);
#   4. the samples checked with `proviso check`: all accepted but
#      tests/rejected.proviso, which must be rejected. The binary is
#      $PROVISO if set (a relative path is taken from the project root), else
#      target/release/proviso if it exists and is not older than
#      target/debug/proviso, else target/debug/proviso; with none built
#      (`cargo build`), this step is skipped and says so;
#   5. `vsce package` into a temporary directory, then the package's
#      contents listed by size and checked: extension.js, package.json, the
#      grammar, the language configuration, README and LICENSE, only the
#      run-time dependencies, and an extension.js that loads from the
#      unpacked package (tests/vsix.mjs).
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd -- "$here/../.." && pwd)"
cd -- "$here"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/proviso-vscode.XXXXXX")"
trap 'rm -rf -- "$tmp"' EXIT

passed=0

echo "== npm ci (editors/vscode)"
npm ci --no-audit --no-fund

echo "== grammar samples (vscode-tmgrammar-test)"
npm run --silent test:grammar
passed=$((passed + 1))

echo "== every clause file tokenized (vscode-textmate)"
npm run --silent test:files
passed=$((passed + 1))

echo "== reserved words of grammar/proviso.pest"
npm run --silent test:words
passed=$((passed + 1))

echo "== samples checked with proviso"
if [ -n "${PROVISO:-}" ]; then
  case "$PROVISO" in
    /*) proviso="$PROVISO" ;;
    *) proviso="$root/$PROVISO" ;;
  esac
elif [ -x "$root/target/release/proviso" ] && ! [ "$root/target/debug/proviso" -nt "$root/target/release/proviso" ]; then
  proviso="$root/target/release/proviso"
else
  proviso="$root/target/debug/proviso"
fi
if [ -x "$proviso" ]; then
  valid=()
  for sample in tests/*.proviso; do
    [ "$sample" = tests/rejected.proviso ] || valid+=("$sample")
  done
  "$proviso" check --color never "${valid[@]}"
  status=0
  "$proviso" check --color never tests/rejected.proviso > "$tmp/rejected.txt" 2>&1 || status=$?
  if [ "$status" -ne 2 ]; then
    cat -- "$tmp/rejected.txt" >&2
    echo "editors/vscode/run.sh: proviso check should reject tests/rejected.proviso (exit 2), but exited $status" >&2
    exit 1
  fi
  echo "tests/rejected.proviso: rejected, as it should be"
  passed=$((passed + 1))
else
  echo "skipped: no proviso binary at $proviso (run cargo build, or set PROVISO)"
fi

echo "== vsce package"
npm run --silent package -- --out "$tmp/proviso-0.1.0.vsix"
passed=$((passed + 1))

echo "== package contents"
node tests/vsix.mjs "$tmp/proviso-0.1.0.vsix"
passed=$((passed + 1))

echo "editors/vscode: $passed passed, 0 failed"
