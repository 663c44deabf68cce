#!/usr/bin/env bash
# `npm test`: the whole suite. `prisma generate`; then the build and the static checks side by side; then the three
# test stages: unit tests once and a named set of integration files on the embedded database, every integration test
# on fresh PostgreSQL databases (the engine of production, where concurrency is real), and the Playwright tests in
# Chromium (two specs at a time) against the production build (docs/decisions/050-a-suite-in-parallel.md).
#
# Each stage writes to a log of its own (test-results/stages/), printed whole when the stage ends, so concurrent
# output never interleaves. A failing stage fails the run; the others still finish, so one run reports every failure.
# At the end: each stage's wall time and the CPU seconds of its own processes (a database server's are not counted).
set -uo pipefail
cd "$(dirname "$0")/.."

LOG_DIR="test-results/stages"
rm -rf "$LOG_DIR" && mkdir -p "$LOG_DIR"
run_start=$SECONDS
summary=()
failed=()
declare -A stage_of=()

# The CPU seconds (user + system) of a shell's finished children: the second line of what `times` wrote to a file.
# (`times` must run in the stage's own shell, not in a pipe or $(…), whose new process has no children.)
cpu_seconds() {
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } printf "%.0f", t }' "$1"
}

log_of() { echo "$LOG_DIR/$(echo "$1" | tr -cs 'a-zA-Z0-9' '-' | sed 's/-$//').log"; }

# start_stage "<name>" command…: runs the command in the background, its output into the stage's log.
start_stage() {
  local name=$1 log
  shift
  log=$(log_of "$name")
  (
    started=$SECONDS
    "$@" >"$log" 2>&1
    status=$?
    times >"$log.times"
    printf '%s %s %s\n' "$status" $((SECONDS - started)) "$(cpu_seconds "$log.times")" >"$log.result"
    exit "$status"
  ) &
  stage_of[$!]="$name|$log"
  printf '\033[1m▶ %s\033[0m started (log: %s)\n' "$name" "$log"
}

# Waits for every started stage, printing each one's log as it ends.
wait_stages() {
  local pid name log status wall cpu verdict
  while [ ${#stage_of[@]} -gt 0 ]; do
    wait -n -p pid "${!stage_of[@]}"
    IFS='|' read -r name log <<<"${stage_of[$pid]}"
    unset "stage_of[$pid]"
    read -r status wall cpu <"$log.result" 2>/dev/null || { status=1 wall="?" cpu="?"; }
    verdict=$([ "$status" -eq 0 ] && echo passed || echo "FAILED (exit $status)")
    printf '\n\033[1m━━ %s: %s in %ss ━━\033[0m\n' "$name" "$verdict" "$wall"
    cat "$log"
    summary+=("$(printf '%-52s %5ss %6ss  %s' "$name" "$wall" "$cpu" "$verdict")")
    [ "$status" -eq 0 ] || failed+=("$name")
  done
}

report() {
  printf '\n\033[1mStage durations\033[0m (wall, CPU seconds of the stage'"'"'s processes)\n'
  printf '  %s\n' "${summary[@]}"
  printf '  %-52s %5ss\n' "total" $((SECONDS - run_start))
  if [ ${#failed[@]} -gt 0 ]; then
    # A long log scrolls the failure out of a CI's tail: repeat each failed stage's failing lines here, at the end.
    local name
    for name in "${failed[@]}"; do
      printf '\n\033[1;31m%s\033[0m, its failing lines:\n' "$name"
      grep -E -a -m 40 '(FAIL|✗|×|✘|AssertionError|Error:|[0-9]+ failed)' "$(log_of "$name")" || true
    done
    printf '\n\033[1;31mFailed: %s\033[0m\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')"
    exit 1
  fi
}
trap 'report' EXIT

start_stage "prisma generate" npx prisma generate
wait_stages
[ ${#failed[@]} -eq 0 ] || exit 1

start_stage "remix build" npx remix build
start_stage "typecheck" npx tsc --noEmit
start_stage "lint" npx eslint --max-warnings 0 .
start_stage "format" npx prettier --check .
wait_stages
# The test stages need the build (HTTP tests and Playwright serve it); a static check's failure alone does not stop them.
[[ " ${failed[*]} " == *" remix build "* ]] && exit 1

# On two cores the PostgreSQL stage, CPU-bound, runs on its own: side by side with the others the stages finished
# sooner (878 s against about 1,050 s) but loaded the machine enough for a page to fail on time alone (ADR 050). The
# embedded stage is small since ADR 058 and Playwright leaves the cores partly idle (it waits on consoles, browsers and
# the pages' polls), so those two run together (measured in ADR 058). FIREBREAK_TEST_STAGES=parallel runs all three
# together, for a machine with cores to spare. A failed stage does not stop the next: one run reports all.
then_wait() { [ "${FIREBREAK_TEST_STAGES:-serial}" = parallel ] || wait_stages; }
# The embedded stage runs the unit tests and a named set of integration files: the adapter layer's contract and the
# quick-start path once per capability (tests/support/embedded-files.ts, ADR 058). `npm run test:embedded-all` runs
# every integration file on the embedded engine.
start_stage "unit + integration tests: embedded PGlite" env FIREBREAK_TEST_DB=embedded FIREBREAK_TEST_SET=embedded \
  npx vitest run
start_stage "end-to-end tests: Playwright in Chromium" npx playwright test
then_wait
# Unit tests touch no database: they run once, in the embedded stage. Every integration file runs here.
start_stage "integration tests: PostgreSQL" env FIREBREAK_TEST_DB=postgresql npx vitest run tests/integration
wait_stages
