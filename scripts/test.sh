#!/usr/bin/env bash
# Every check: set up what is missing, then ruff, mypy --strict and the whole pytest suite
# (headless, with a real Secret Service daemon). Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
echo "== ruff" && .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy --strict" && .venv/bin/mypy
echo "== pytest"
bash scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
