#!/usr/bin/env bash
# Makes sure a Chromium is there for the tests and the demo: the one place that installs it, used by .ci/run and by
# `npm run demo` (scripts/demo.ts). Found: CHROMIUM_PATH, `chromium` on PATH, or /usr/bin/chromium → nothing to do.
# Otherwise installs Debian's `chromium` package with apt-get (as root, or with sudo that needs no password) and says
# so. Where it cannot (no apt-get, not root and no such sudo) it prints one sentence with the command and exits 2.
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ] || command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "No Chromium found, and this system has no apt-get to install one: install Chromium, or set CHROMIUM_PATH to a Chromium or Chrome for Testing binary, then run this again."
  exit 2
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "No Chromium found: install it with \`sudo apt-get update && sudo apt-get install -y chromium\` (or set CHROMIUM_PATH to a Chromium binary), then run this again."
    exit 2
  fi
fi

echo "No Chromium found: installing Debian's chromium package with apt-get (the same way CI does; this takes a minute)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "Chromium installed: $(command -v chromium)"
