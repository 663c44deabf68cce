#!/usr/bin/env bash
# `npm test`: the whole suite. Static checks, then unit and integration tests on the embedded database and on a fresh
# PostgreSQL database, then the Playwright tests in Chromium against the production build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

step "prisma generate + remix build"
npx prisma generate >/dev/null
npx remix build

step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint --max-warnings 0 .
step "format"
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

step "unit + integration tests: embedded PGlite"
FIREBREAK_TEST_DB=embedded npx vitest run

if [ "${FIREBREAK_SKIP_POSTGRES:-0}" = "1" ]; then
  echo "FIREBREAK_SKIP_POSTGRES=1: skipping the PostgreSQL run"
else
  step "unit + integration tests: PostgreSQL (a fresh database for this run)"
  FIREBREAK_TEST_DB=postgresql npx vitest run
fi

step "end-to-end tests: Playwright in Chromium"
npx playwright test
