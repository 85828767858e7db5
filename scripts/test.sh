#!/usr/bin/env bash
# `npm test`: install if needed, type-check, bring up the test servers, run Jest against them.
#
#   npm test                         everything
#   npm test -- services/identity    Jest arguments are passed through (and the fuzz step is skipped)
#   KEEP_INFRA=1 npm test            leave the test servers running afterwards
#   CHAOS=0 npm test                 skip the chaos suite (it runs after the main suite unless Jest
#                                    arguments are given; CHAOS=1 runs it with them too)
#
# Servers come from `scripts/infra.sh up test` (addresses in .local/test/env; set KAFKA_BROKERS,
# MONGO_URL, REDIS_URL, SMTP_HOST+SMTP_PORT+MAILPIT_URL to test against servers of your own).
# Afterwards only the servers this run launched are stopped: a stack that was already up stays up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

# npm rewrites node_modules/.package-lock.json at the end of every install, so it is a better
# "installed at" stamp than the node_modules folder, whose mtime changes only with its entries.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  step "npm ci"
  npm ci
fi

step "format check"
node_modules/.bin/prettier --check --log-level warn "**/*.{ts,js,md}"

# ESLint (type-aware rules, import boundaries) and knip (unused files, exports, dependencies); one
# command, so that set -e stops the run when either fails.
step "lint"
npm run --silent lint

step "tsc -b"
node_modules/.bin/tsc -b

# shellcheck disable=SC2317 # called by the EXIT trap
stop_started() {
  local started=()
  [[ -f .local/test/started ]] && mapfile -t started <.local/test/started
  ((${#started[@]} == 0)) || bash scripts/infra.sh down test "${started[@]}"
}
# Set before `up`, so servers launched by a failing `up` are stopped as well.
[[ ${KEEP_INFRA:-0} == 1 ]] || trap stop_started EXIT

step "infra up test"
rm -f .local/test/started # rewritten by `up`; must not list servers of an earlier run
bash scripts/infra.sh up test
# shellcheck source=/dev/null # written by infra.sh up
source .local/test/env

# Two workers on the 2-core CI machine; a caller's own worker setting wins.
workers=(--maxWorkers=2)
for arg in "$@"; do
  case $arg in -w | -w=* | --maxWorkers | --maxWorkers=* | -i | --runInBand) workers=() ;; esac
done

# The email preview test opens every template in Debian's Chromium (a browser that Playwright would
# download itself cannot be fetched here). Without root it is only reported: that test then fails
# with the same advice.
if [[ -z ${CHROMIUM_PATH:-} && ! -x /usr/bin/chromium ]]; then
  step "apt-get install chromium"
  if [[ $EUID -ne 0 ]]; then
    echo "chromium is missing: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
  else
    # An empty or day-old package list may name a build the mirror no longer has.
    if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 -print -quit 2>/dev/null) ]]; then
      apt-get update -qq
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
  fi
fi

# Each runner leaves its counts here; the last line of the run is their sum (tools/scripts/test-counts.ts).
counts=.local/test/counts
rm -rf "$counts" && mkdir -p "$counts"

step "jest (node $(node -v))"
jest_status=0
node_modules/.bin/jest "${workers[@]}" --json --outputFile="$counts/jest.json" "$@" || jest_status=$?
status=$jest_status
printf '\n== jest done in %ss: exit code %s\n' "$SECONDS" "$jest_status"

# The whole API fuzzed against its spec (scripts/fuzz.sh); only in a full run, not when Jest was
# given arguments to run part of the suite.
fuzz_status=skipped
if (($# == 0)); then
  step "fuzz"
  fuzz_status=0
  rm -f .local/fuzz/counts.json # written by a run that got as far as counting
  bash scripts/fuzz.sh || fuzz_status=$?
  ((status != 0)) || status=$fuzz_status
fi

# The chaos suite stops and starts servers: it brings up servers of its own (the chaos profile) and
# stops what it started, whatever the outcome. After the rest, so they never share the CPUs.
chaos_status=skipped
if [[ ${CHAOS:-} == 1 || (${CHAOS:-} != 0 && $# -eq 0) ]]; then
  step "chaos suite"
  chaos_status=0
  bash scripts/chaos.sh --json --outputFile="$counts/chaos.json" || chaos_status=$?
  ((status != 0)) || status=$chaos_status
fi

printf '\n== done in %ss: jest exit code %s, fuzz %s, chaos suite %s\n' "$SECONDS" "$jest_status" "$fuzz_status" "$chaos_status"
# The servers are stopped now rather than on exit, so that nothing follows the count.
if [[ ${KEEP_INFRA:-0} != 1 ]]; then
  trap - EXIT
  stop_started || echo "could not stop every test server (see above)" >&2
fi
# The last line: the count, as `N passed, M failed[, K skipped]`.
node_modules/.bin/tsx tools/scripts/test-counts.ts "jest:$jest_status:$counts/jest.json" \
  "counts:$fuzz_status:.local/fuzz/counts.json" "jest:$chaos_status:$counts/chaos.json" ||
  { echo "0 passed, 1 failed"; exit 1; }
exit "$status"
