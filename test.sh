#!/usr/bin/env bash
# Set up (first run) and run every check: lint, types, the core/UI import contract, and the whole test suite.
# Arguments go to pytest, e.g. ./test.sh -k dialogue
source "$(dirname "$0")/scripts/bootstrap.sh"
bootstrap test
cd "$ROOT"
export PATH="$VENV/bin:$PATH"
say "ruff";          ruff check .
say "mypy";          mypy
say "import-linter"; lint-imports
say "pytest";        pytest "$@"
