#!/usr/bin/env bash
# Sets gankit up on a fresh Debian/Ubuntu machine: the Debian packages of
# scripts/system-packages.txt (oneDNN for the native backend, and what the tests use:
# NumPy, Fashion-MNIST, Chromium; skipped with a note when apt-get cannot be used),
# then the npm packages, whose install step builds the native addon and compiles the
# TypeScript. CI installs the same list, so `npm test` after this passes as it does there.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < <(grep -v '^#' scripts/system-packages.txt | grep .)
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
  else
    echo "setup: cannot run apt-get as root; install ${packages[*]} (the native backend and the tests need them; gankit falls back to wasm without oneDNN)"
  fi
else
  echo "setup: no apt-get here; install oneDNN yourself for the native backend (macOS: brew install onednn)"
fi
# npm install, not npm ci: npm 11 leaves the other platforms' optional packages of
# @napi-rs/canvas out of the lock file and npm ci then refuses it as out of sync.
npm install --no-audit --no-fund
