#!/usr/bin/env bash
# Installs Debian's chromium with apt-get when /usr/bin/chromium is missing
# (with sudo when not root and sudo is there); does nothing otherwise. For
# the browser tests: tests/browser/run.sh and playground/run.sh.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (apt-get)"
  sudo=()
  if [ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null 2>&1; then
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update
  "${sudo[@]}" apt-get install -y chromium
fi
