#!/usr/bin/env bash
# `npm run test:fuzz`: schemathesis against the gateway's OpenAPI document, with authentication, over
# the whole stack (e2e/fuzz/fuzz.ts says what runs and how). Exits non-zero on any
# failed check.
#
#   npm run test:fuzz                         the CI run (seed and size fixed)
#   FUZZ_MAX_EXAMPLES=200 npm run test:fuzz   more cases per operation; FUZZ_SEED=<n> another sequence
#
# schemathesis is installed once into .local/venv from e2e/fuzz/requirements.txt (again
# only when that file changes). PYTHON names the interpreter (3.11 or later; default: the first of
# python3, python3.13, python3.12, python3.11 that is).
# Servers: the caller's when KAFKA_BROKERS is set (scripts/test.sh, after sourcing .local/test/env),
# otherwise `scripts/infra.sh up test`, stopping afterwards only the servers this run launched.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh

REQUIREMENTS=e2e/fuzz/requirements.txt
VENV=.local/venv

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
node_modules/.bin/tsc -b

if ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt" || [[ ! -x $VENV/bin/schemathesis ]]; then
  python=
  for candidate in ${PYTHON:-python3 python3.13 python3.12 python3.11}; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      python=$candidate
      break
    fi
  done
  if [[ -z $python ]]; then
    echo "fuzz: schemathesis needs Python 3.11 or later; none found (set PYTHON)" >&2
    exit 1
  fi
  echo "fuzz: installing $REQUIREMENTS into $VENV"
  [[ -x $VENV/bin/pip ]] || "$python" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --requirement "$REQUIREMENTS"
  # Written last: an install that failed half-way is tried again next time.
  cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

if [[ -z ${KAFKA_BROKERS:-} ]]; then
  # shellcheck disable=SC2317 # called by the EXIT trap
  stop_started() {
    local started=()
    [[ -f .local/test/started ]] && mapfile -t started <.local/test/started
    ((${#started[@]} == 0)) || bash scripts/infra.sh down test "${started[@]}"
  }
  trap stop_started EXIT
  rm -f .local/test/started # rewritten by `up` with the servers it launched
  bash scripts/infra.sh up test
  # shellcheck source=/dev/null # written by infra.sh up
  source .local/test/env
fi

node_modules/.bin/tsx e2e/fuzz/fuzz.ts
