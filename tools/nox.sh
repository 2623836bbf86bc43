#!/usr/bin/env bash
# Run a nox session on a fresh machine, stock Debian 12 and Ubuntu 24.04 included, where pip may
# not install into the system Python (PEP 668) and python3-venv may be missing: nox is installed
# into .venv/ (created once) and runs from there. Usage: bash tools/nox.sh -s docs
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  echo "Installing python3-venv (Python's virtual environments) with apt-get"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-venv
fi
if [ ! -x .venv/bin/nox ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check nox
fi
exec .venv/bin/python -m nox "$@"
