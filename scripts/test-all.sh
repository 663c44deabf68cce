#!/usr/bin/env bash
# `npm test`: the whole suite. Static checks; unit tests once and integration tests on the embedded database; the
# integration tests again on fresh PostgreSQL databases (the engine where concurrency is real); the Playwright tests in
# Chromium against the production build. Prints each stage's duration at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=()
current=""
started=0
run_start=$SECONDS

finish_stage() {
  if [ -n "$current" ]; then stages+=("$(printf '%-62s %4ds' "$current" $((SECONDS - started)))"); fi
}
step() {
  finish_stage
  current="$*"
  started=$SECONDS
  printf '\n\033[1m▶ %s\033[0m\n' "$*"
}
report() {
  local status=$?
  finish_stage
  printf '\n\033[1mStage durations\033[0m\n'
  printf '  %s\n' "${stages[@]}"
  printf '  %-62s %4ds%s\n' "total" $((SECONDS - run_start)) "$([ "$status" -ne 0 ] && echo "  (failed)")"
}
trap report EXIT

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

step "integration tests: PostgreSQL (fresh databases for this run)"
# Unit tests touch no database: they ran once above.
FIREBREAK_TEST_DB=postgresql npx vitest run tests/integration

step "end-to-end tests: Playwright in Chromium"
npx playwright test
