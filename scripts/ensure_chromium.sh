#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (no browser can be downloaded by Playwright here).
# Installs it from Debian's packages when missing; needs root (CI runs as root) or passwordless sudo.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable; unset it to use Debian's /usr/bin/chromium." >&2
  exit 1
fi
echo "Installing Debian's chromium for the browser tests..."
"$(dirname "$0")/apt_install.sh" chromium fonts-dejavu-core
"$CHROMIUM" --version
