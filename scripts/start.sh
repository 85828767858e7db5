#!/usr/bin/env bash
# `npm start`: the whole stack in the foreground — local servers (scripts/infra.sh, dev profile) and
# the five services. Ctrl-C or SIGTERM stops everything this script started, and only that.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/node.sh
source scripts/lib/node.sh
ROOT=$PWD
STATE=.local/dev

# npm rewrites node_modules/.package-lock.json on every install: the reliable "installed at" stamp.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
node_modules/.bin/tsc -b

pids=()
# shellcheck disable=SC2317 # called by the traps below
cleanup() {
  trap - INT TERM EXIT
  echo "stopping services…"
  if [ ${#pids[@]} -gt 0 ]; then kill -TERM "${pids[@]}" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  local started=()
  [ -f "$STATE/started" ] && mapfile -t started < "$STATE/started"
  [ ${#started[@]} -eq 0 ] || bash scripts/infra.sh down dev "${started[@]}"
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

rm -f "$STATE/started" # rewritten by `up` with the servers it launched, which are the ones we stop
bash scripts/infra.sh up dev
# shellcheck disable=SC1091
. "$STATE/env"

# Development secrets are made once and kept, so sealed data stays readable across restarts.
devkey() { node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))"; }
if [ ! -f "$STATE/secrets.env" ]; then
  (umask 077 && printf "export DATA_ENCRYPTION_KEYS='dev1:%s'\n" "$(devkey)" > "$STATE/secrets.env")
fi
# A key apart from the data key (the services refuse the same one); added to a secrets.env made before it existed.
if ! grep -q EMAIL_LINK_KEYS "$STATE/secrets.env"; then
  printf "export EMAIL_LINK_KEYS='link1:%s'\n" "$(devkey)" >> "$STATE/secrets.env"
fi
# Shared by the gateway and identity: signs a sign-in's verified CAPTCHA (used once a CAPTCHA_PROVIDER is set).
if ! grep -q CAPTCHA_PROOF_KEY "$STATE/secrets.env"; then
  key=$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))")
  (umask 077 && printf "export CAPTCHA_PROOF_KEY='%s'\n" "$key" >> "$STATE/secrets.env")
fi
# Shared by identity and web: the pages' proof of their sign-ins (needed once PASSWORD_GRANT_ENABLED=false).
if ! grep -q PAGES_SIGN_IN_KEY "$STATE/secrets.env"; then
  key=$(node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))")
  (umask 077 && printf "export PAGES_SIGN_IN_KEY='%s'\n" "$key" >> "$STATE/secrets.env")
fi
# Seals the account pages' session cookies (web), so a restart keeps browsers signed in.
if ! grep -q WEB_SESSION_KEYS "$STATE/secrets.env"; then
  printf "export WEB_SESSION_KEYS='web1:%s'\n" "$(devkey)" >> "$STATE/secrets.env"
fi
# shellcheck disable=SC1091
. "$STATE/secrets.env"

GATEWAY_PORT=${GATEWAY_PORT:-8080}
IDENTITY_PORT=${IDENTITY_PORT:-3001}
NOTIFICATION_PORT=${NOTIFICATION_PORT:-3002}
LIFECYCLE_PORT=${LIFECYCLE_PORT:-3003}
WEB_PORT=${WEB_PORT:-3004}
# One host runs all five: each /metrics listener needs a port of its own (in a cluster every pod uses 9464).
export METRICS_HOST=${METRICS_HOST:-127.0.0.1}
export NODE_ENV=${NODE_ENV:-development} LOG_LEVEL=${LOG_LEVEL:-info} KAFKA_BROKERS DATA_ENCRYPTION_KEYS
export APP_URL=${APP_URL:-http://localhost:$GATEWAY_PORT}


# run NAME ENV... : starts services/NAME with the given variables, its log lines prefixed with its name.
run() {
  local name=$1
  shift
  env "$@" node "$ROOT/services/$name/dist/src/server.js" > >(sed -u "s/^/[$name] /") 2>&1 &
  pids+=($!)
}

# The services listen on loopback only: the gateway is the one way in, and identity believes the
# X-Forwarded-For of that loopback hop alone (TRUST_PROXY). GATEWAY_HOST=0.0.0.0 opens the gateway to the LAN.
# EMAIL_LINK_KEYS goes to the two services that seal and open email links, no other.
run identity HOST=127.0.0.1 TRUST_PROXY=loopback CAPTCHA_PROOF_KEY="$CAPTCHA_PROOF_KEY" PAGES_SIGN_IN_KEY="$PAGES_SIGN_IN_KEY" PORT="$IDENTITY_PORT" METRICS_PORT=9465 MONGO_URL="$IDENTITY_MONGO_URL" EMAIL_LINK_KEYS="$EMAIL_LINK_KEYS"
run notification HOST=127.0.0.1 PORT="$NOTIFICATION_PORT" METRICS_PORT=9466 MONGO_URL="$NOTIFICATION_MONGO_URL" EMAIL_LINK_KEYS="$EMAIL_LINK_KEYS" SMTP_HOST="$SMTP_HOST" SMTP_PORT="$SMTP_PORT" IDENTITY_JWKS_URL="http://127.0.0.1:$IDENTITY_PORT/.well-known/jwks.json"
run lifecycle HOST=127.0.0.1 PORT="$LIFECYCLE_PORT" METRICS_PORT=9467 MONGO_URL="$LIFECYCLE_MONGO_URL"
# The gateway sends every path outside /v1 to web (WEB_URL), so an emailed link (APP_URL) opens its page;
# web calls the gateway's API with the browser's address, which the gateway believes from loopback (TRUST_PROXY).
run gateway HOST="${GATEWAY_HOST:-127.0.0.1}" CAPTCHA_PROOF_KEY="$CAPTCHA_PROOF_KEY" GATEWAY_PORT="$GATEWAY_PORT" METRICS_PORT=9464 IDENTITY_URL="http://127.0.0.1:$IDENTITY_PORT" NOTIFICATION_URL="http://127.0.0.1:$NOTIFICATION_PORT" REDIS_URL="$REDIS_URL" WEB_URL="http://127.0.0.1:$WEB_PORT"
run web HOST=127.0.0.1 PORT="$WEB_PORT" METRICS_PORT=9468 TRUST_PROXY=loopback GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" PUBLIC_URL="$APP_URL" WEB_SESSION_KEYS="$WEB_SESSION_KEYS" PAGES_SIGN_IN_KEY="$PAGES_SIGN_IN_KEY"

deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$GATEWAY_PORT/readyz" >/dev/null 2>&1; do
  if [ $SECONDS -gt $deadline ]; then
    echo "the gateway did not become ready within 120 s" >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a service exited during start-up" >&2; exit 1; }; done
  sleep 0.5
done

cat <<TXT

Solar Accounts is running.
  Pages:       $APP_URL/register   (sign up; the emailed links open here too)
  Gateway:     http://127.0.0.1:$GATEWAY_PORT   (try: curl -X POST http://127.0.0.1:$GATEWAY_PORT/v1/auth/register -H 'content-type: application/json' -d '{"email":"ada@example.com","password":"correct horse battery"}')
  Mailpit UI:  $MAILPIT_URL
  Metrics:     http://127.0.0.1:9464/metrics (gateway), 9465 identity, 9466 notification, 9467 lifecycle, 9468 web
Press Ctrl-C to stop.

TXT
wait -n "${pids[@]}" || true
echo "a service exited; stopping the stack" >&2
exit 1
