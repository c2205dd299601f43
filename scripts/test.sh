#!/usr/bin/env bash
# Every check: set up what is missing, then ruff, mypy --strict and the whole pytest suite
# (headless, with a real Secret Service daemon). Extra arguments go to pytest.
# In CI (CI=true), or with LINKIE_PACKAGE_CHECK=1, it also builds the .deb, installs it with apt,
# runs the installed app and removes it again (packaging/ci-check.sh; needs root or sudo).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "== ruff" && .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict" && .venv/bin/mypy
if [ "${CI:-}" = "true" ] || [ "${LINKIE_PACKAGE_CHECK:-}" = "1" ]; then
  echo "== package: build, install, run, remove"
  bash packaging/ci-check.sh
fi
echo "== pytest"  # last, so its summary closes the run
bash scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
