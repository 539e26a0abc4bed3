#!/usr/bin/env bash
# Installs the test tools (Python packages, and Debian's Chromium, nginx and PostgreSQL where apt-get exists),
# checks lint and formatting (ruff, settings in pyproject.toml), then runs every test.
# This is the README's test command and what CI runs; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
if command -v apt-get >/dev/null 2>&1 && { [ ! -x /usr/bin/chromium ] || ! command -v nginx >/dev/null 2>&1 \
  || ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium nginx fonts-noto-color-emoji postgresql >/dev/null
fi
python -m ruff check .
python -m ruff format --check .
python -m pytest "$@"
