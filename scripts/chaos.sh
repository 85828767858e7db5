#!/usr/bin/env bash
# `npm run test:chaos`: the chaos suite (e2e/chaos/*.chaos.test.ts), one file at a time,
# against servers of its own (`scripts/infra.sh up chaos`: other ports, state in .local/chaos), since
# its scenarios stop and start them. The services run as processes from their compiled entry points.
#
#   npm run test:chaos                        every scenario
#   npm run test:chaos -- redis-stopped       Jest arguments are passed through (a file name filters)
#   KEEP_INFRA=1 npm run test:chaos           leave the chaos servers running afterwards
#
# Afterwards only the servers this run launched are stopped, whether the scenarios passed or not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

# Servers of its own, always: addresses inherited from another profile's env file (scripts/test.sh has
# sourced the test one) or given for other tests must not be the ones the scenarios stop.
unset KAFKA_BROKERS MONGO_URL IDENTITY_MONGO_URL NOTIFICATION_MONGO_URL LIFECYCLE_MONGO_URL REDIS_URL \
  SMTP_HOST SMTP_PORT MAILPIT_URL SOLAR_INFRA_ENV

step "tsc -b (the scenarios run the services' compiled entry points)"
node_modules/.bin/tsc -b

started=()
# shellcheck disable=SC2317 # called by the EXIT trap
stop_started() {
  ((${#started[@]} == 0)) || bash scripts/infra.sh down chaos "${started[@]}"
}
[[ ${KEEP_INFRA:-0} == 1 ]] || trap stop_started EXIT

step "infra up chaos"
bash scripts/infra.sh up chaos
# Read now: a scenario's own `up` rewrites the file with what it restarted.
mapfile -t started <.local/chaos/started
# A server someone else runs on a chaos port would not stop when a scenario stops it, and the
# scenario would prove nothing: every one must be infra.sh's own.
for server in kafka mongo redis mailpit; do
  [[ -f .local/chaos/pids/$server.pid ]] ||
    { echo "chaos: $server on its chaos port was not started by scripts/infra.sh; stop it or change its port" >&2; exit 1; }
done
# shellcheck source=/dev/null # written by infra.sh up
source .local/chaos/env

step "jest (chaos)"
node_modules/.bin/jest -c jest.chaos.config.js --runInBand "$@"
