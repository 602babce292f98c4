#!/usr/bin/env bash
# Runs one fuzz target for a while, its corpus first seeded from the
# project's test files:
#
#   fuzz/run.sh parse_check 600      # ten minutes
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); works on the stable
# toolchain with `--sanitizer none`. Crashes land in fuzz/artifacts/TARGET.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
corpus=corpus/$target
mkdir -p "$corpus"

seed() {
  # Copies files under a name that keeps their folder, so that the many
  # `bad.proviso` of tests/lint do not overwrite one another.
  for file in "$@"; do
    [ -f "$file" ] || continue
    cp "$file" "$corpus/$(echo "${file#../}" | tr '/' '_')"
  done
}

case "$target" in
  parse_check)
    seed ../contracts/*.proviso ../examples/*.proviso ../tests/check/*.proviso \
      ../tests/valid/*.proviso ../tests/lint/*/*.proviso ../tests/eval/*.proviso ;;
  decode_events)
    seed ../contracts/events/* ../tests/events/*
    # Events as programs write them, members in declared order and no
    # space between tokens: the lines the declared-order reader takes.
    (cd .. && cargo run -q --release --example generate-events -- 300) > "$corpus/generated.ndjson" ;;
  eval_flagship)
    # Its input is a byte string that chooses events; a few seeds of
    # different lengths start it off.
    for n in 4 64 512; do head -c "$n" /dev/urandom > "$corpus/random-$n"; done ;;
  scenario_file)
    seed ../contracts/scenarios/*.scenario.yaml ../examples/scenarios/*.scenario.yaml ;;
  review)
    # Each seed is an old and a new version, separated by one 0xFF byte.
    for pair in "microsoft-openai-2019 microsoft-openai-2025" "microsoft-openai-2025 microsoft-openai-2019"; do
      set -- $pair
      { cat "../contracts/$1.proviso"; printf '\377'; cat "../contracts/$2.proviso"; } > "$corpus/$1-to-$2"
    done
    for file in ../examples/*.proviso ../tests/valid/*.proviso; do
      { cat "$file"; printf '\377'; sed 's/8%/9%/; s/30 days/45 days/' "$file"; } > "$corpus/$(basename "$file")-edited"
    done ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

cargo fuzz run --sanitizer none "$target" "$corpus" -- \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
