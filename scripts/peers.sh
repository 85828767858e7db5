#!/usr/bin/env bash
# Two peers to measure our password login against (`npm run bench:peers`), without Docker:
# install (cached), start, provision the benchmark's users, check, stop.
#
#   bash scripts/peers.sh up|down|status
#
#   up      install what is missing, start what is not running, wait until each answers, create the
#           benchmark users where they are missing, write .local/peers/env (export lines to source)
#           and print a summary. Idempotent.
#   down    stop only the processes this script started (pid files in .local/peers/pids).
#   status  show whether each peer answers; exit 0 only if all do.
#
# Peers (installs cached in .local/cache, state in .local/peers):
#   keycloak  Keycloak 26.7.3, the Quarkus distribution from Maven Central (177 MB), `start-dev` on
#             the Temurin 25 JDK found in /usr/lib/jvm (Keycloak 26 does not run on Java 17), with its
#             in-memory H2 database: the realm and users are provisioned again (seconds) at each start.
#   postgres  PostgreSQL 15 from Debian (apt-get installs it if missing; needs root), a cluster of its
#             own in .local/peers/pg, for Kratos.
#   kratos    Ory Kratos v1.3.1 built from the Go module proxy (`go install` refuses it: its go.mod has
#             replace directives), migrated, `serve --dev`.
# Both hash passwords with argon2id at identity's cost (m=19456 KiB, t=2, p=1; see
# services/identity/src/users/password-hasher.ts): `up` checks a stored Keycloak credential for it.
#
# Users: PEERS_USERS (default 16) accounts user-<n>@peers.test, n = 1..PEERS_USERS, on each peer,
#   all with one password (in the env file; a benchmark's, guarding nothing).
# Ports, each overridable by the variable named: KEYCLOAK_PORT 18180, KEYCLOAK_MANAGEMENT_PORT 18190,
#   PEERS_PG_PORT 15432, KRATOS_PUBLIC_PORT 14433, KRATOS_ADMIN_PORT 14434.
# Env file (.local/peers/env): KEYCLOAK_URL, KEYCLOAK_REALM, KEYCLOAK_CLIENT_ID, KRATOS_PUBLIC_URL,
#   KRATOS_ADMIN_URL, PEERS_USERS, PEERS_EMAIL (the address pattern, %d = n), PEERS_PASSWORD.
# Other knobs: PEERS_TIMEOUT (seconds to wait for a peer to answer, default 240), PEERS_JAVA_HOME
#   (the JDK for Keycloak; default: the newest Temurin 25 in /usr/lib/jvm).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly SRC="$ROOT/scripts/peers"
readonly CACHE="$ROOT/.local/cache"
readonly STATE="$ROOT/.local/peers"
readonly PIDS="$STATE/pids"
readonly LOGS="$STATE/logs"
readonly ENV_FILE="$STATE/env"
readonly KEYCLOAK_VERSION=26.7.3
readonly KEYCLOAK_HOME="$CACHE/keycloak-$KEYCLOAK_VERSION"
readonly KRATOS_VERSION=v1.3.1
readonly KRATOS_BIN="$CACHE/bin/kratos-$KRATOS_VERSION"
readonly PG_DIR="$STATE/pg"
readonly HOST=127.0.0.1
readonly REALM=bench CLIENT_ID=bench
readonly EMAIL_PATTERN='user-%d@peers.test'
# identity's argon2id cost, which both peers are configured with.
readonly ARGON2_MEMORY_KIB=19456 ARGON2_ITERATIONS=2 ARGON2_PARALLELISM=1

KEYCLOAK_PORT="${KEYCLOAK_PORT:-18180}"
KEYCLOAK_MANAGEMENT_PORT="${KEYCLOAK_MANAGEMENT_PORT:-18190}"
PEERS_PG_PORT="${PEERS_PG_PORT:-15432}"
KRATOS_PUBLIC_PORT="${KRATOS_PUBLIC_PORT:-14433}"
KRATOS_ADMIN_PORT="${KRATOS_ADMIN_PORT:-14434}"
PEERS_USERS="${PEERS_USERS:-16}"
TIMEOUT="${PEERS_TIMEOUT:-240}"
readonly KEYCLOAK_URL="http://$HOST:$KEYCLOAK_PORT"
readonly KRATOS_PUBLIC_URL="http://$HOST:$KRATOS_PUBLIC_PORT"
readonly KRATOS_ADMIN_URL="http://$HOST:$KRATOS_ADMIN_PORT"

readonly NAME=peers DOWN_HINT="bash scripts/peers.sh down"
# shellcheck source-path=SCRIPTDIR source=lib/daemons.sh
. "$ROOT/scripts/lib/daemons.sh"
usage() {
  echo "usage: bash scripts/peers.sh up|down|status" >&2
  exit 2
}
[[ $# -eq 1 ]] || usage
CMD=$1
case "$CMD" in up | down | status) ;; *) usage ;; esac

for _var in KEYCLOAK_PORT KEYCLOAK_MANAGEMENT_PORT PEERS_PG_PORT KRATOS_PUBLIC_PORT KRATOS_ADMIN_PORT PEERS_USERS TIMEOUT; do
  [[ ${!_var} =~ ^[0-9]+$ ]] || die "$_var must be a number, not '${!_var}'"
done
unset _var
((PEERS_USERS >= 1)) || die "PEERS_USERS must be at least 1"

# ---------------------------------------------------------------------------------------------
# Probes (bounded, so a hung peer cannot hang us)
# ---------------------------------------------------------------------------------------------
http_ok() { curl -fsS -m 3 -o /dev/null "$1" 2>/dev/null; }
keycloak_answers() { http_ok "$KEYCLOAK_URL/realms/master"; }
kratos_answers() { http_ok "$KRATOS_ADMIN_URL/health/ready" && http_ok "$KRATOS_PUBLIC_URL/health/ready"; }

pg_bin() { # Debian keeps PostgreSQL's server tools in its own folder, not on the PATH
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x $dir/pg_ctl ]] && { printf '%s' "$dir"; return 0; }
  done
  return 1
}
as_postgres() { # initdb and postgres refuse to run as root
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}
postgres_answers() { "$(pg_bin)/pg_isready" -q -h "$HOST" -p "$PEERS_PG_PORT" -U postgres 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
# Processes we started: .local/peers/pids/<peer>.pid. PostgreSQL keeps its own (postmaster.pid).
# ---------------------------------------------------------------------------------------------
# Is $1 our running $2? Recognised by what only our processes have on their command line, so a
# stale pid file naming a recycled pid is not mistaken for ours.
owns() {
  local pid=$1 peer=$2 cmdline state
  [[ -r /proc/$pid/stat ]] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" || return 1
  [[ $state != Z ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case $peer in
    # kc.sh, or the JVM it becomes (it execs java after its first-start build)
    keycloak) [[ $cmdline == *"$KEYCLOAK_HOME/"* ]] ;;
    kratos) [[ $cmdline == *"$STATE/kratos/kratos.yml"* ]] ;;
    postgres) [[ $cmdline == *postgres*"$PG_DIR"* ]] ;;
  esac
}

our_pid() {
  local file="$PIDS/$1.pid" pid
  [[ $1 == postgres ]] && file="$PG_DIR/postmaster.pid"
  [[ -f $file ]] || return 1
  pid=$(head -n 1 "$file")
  if [[ $pid =~ ^[0-9]+$ ]] && owns "$pid" "$1"; then
    printf '%s' "$pid"
  else
    [[ $1 == postgres ]] || rm -f "$file"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# Installation (cached; serialised with infra.sh's lock on the cache, as both run Maven and Go)
# ---------------------------------------------------------------------------------------------
java_home() {
  if [[ -n ${PEERS_JAVA_HOME:-} ]]; then
    printf '%s' "$PEERS_JAVA_HOME"
    return 0
  fi
  local found
  found=$(find /usr/lib/jvm -maxdepth 1 -type d -name 'temurin-25*' 2>/dev/null | sort -V | tail -n 1)
  [[ -n $found && -x $found/bin/java ]] || die "no Temurin 25 JDK in /usr/lib/jvm (Keycloak 26 needs Java 21+); set PEERS_JAVA_HOME"
  printf '%s' "$found"
}

install_keycloak() {
  [[ -f $KEYCLOAK_HOME/.complete ]] && return 0
  command -v mvn >/dev/null || die "mvn is needed to download Keycloak"
  log "downloading Keycloak $KEYCLOAK_VERSION (Maven Central, 177 MB)..."
  rm -rf "$CACHE/keycloak-download" "$KEYCLOAK_HOME.tmp"
  mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
    -DoutputDirectory="$CACHE/keycloak-download" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
  mkdir -p "$KEYCLOAK_HOME.tmp"
  unzip -q "$CACHE/keycloak-download/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$KEYCLOAK_HOME.tmp"
  rm -rf "$KEYCLOAK_HOME" "$CACHE/keycloak-download"
  mv "$KEYCLOAK_HOME.tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
  rmdir "$KEYCLOAK_HOME.tmp"
  touch "$KEYCLOAK_HOME/.complete"
}

install_kratos() {
  [[ -x $KRATOS_BIN ]] && return 0
  command -v go >/dev/null || die "go is needed to build Kratos"
  log "building Kratos $KRATOS_VERSION (Go module proxy, about 2 minutes)..."
  local dir build="$CACHE/build/kratos-$KRATOS_VERSION"
  dir=$(go mod download -json "github.com/ory/kratos@$KRATOS_VERSION" | jq -r .Dir)
  [[ -d $dir ]] || die "go mod download gave no folder for Kratos"
  rm -rf "$build" && mkdir -p "$(dirname "$build")" "$(dirname "$KRATOS_BIN")"
  # The module cache is read-only; the build needs a writable copy.
  cp -r "$dir" "$build" && chmod -R u+w "$build"
  # -X: without it the binary calls itself "master" and warns that the config's version differs.
  (cd "$build" && go build -ldflags "-X github.com/ory/kratos/driver/config.Version=$KRATOS_VERSION" -o "$KRATOS_BIN.tmp" .)
  mv "$KRATOS_BIN.tmp" "$KRATOS_BIN"
  rm -rf "$build"
}

install_postgres() {
  pg_bin >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "PostgreSQL is missing: sudo apt-get install -y postgresql"
  log "installing PostgreSQL (apt)..."
  # Debian starts a system cluster on 5432 after install; ours uses its own port, so that is harmless.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
}

install_missing() {
  local jobs=() names=() name i rc=0
  local tool
  for tool in jq curl unzip; do command -v "$tool" >/dev/null || die "$tool is needed"; done
  mkdir -p "$CACHE/logs"
  exec 8>"$CACHE/.lock"
  flock 8
  [[ -f $KEYCLOAK_HOME/.complete ]] || names+=(keycloak)
  [[ -x $KRATOS_BIN ]] || names+=(kratos)
  pg_bin >/dev/null || names+=(postgres)
  ((${#names[@]} == 0)) || log "installing ${names[*]} (a first run takes 2-4 minutes; logs in .local/cache/logs)..."
  for name in "${names[@]}"; do
    "install_$name" >"$CACHE/logs/$name.log" 2>&1 &
    jobs+=($!)
  done
  for i in "${!jobs[@]}"; do
    if ! wait "${jobs[$i]}"; then
      rc=1
      echo "peers: installing ${names[$i]} failed; last lines of .local/cache/logs/${names[$i]}.log:" >&2
      tail -n 30 "$CACHE/logs/${names[$i]}.log" | sed 's/^/  | /' >&2
    fi
  done
  flock -u 8
  exec 8>&-
  ((rc == 0)) || exit 1
}

# ---------------------------------------------------------------------------------------------
# Starting and provisioning. Each start_* records in HOW[peer] started or running, or exits.
# ---------------------------------------------------------------------------------------------
declare -A HOW=()

secret() { # a random value kept in the state folder, made once
  local file="$STATE/secrets/$1"
  if [[ ! -s $file ]]; then
    mkdir -p "$STATE/secrets" && chmod 700 "$STATE/secrets"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' 'xy' | tr -d '=\n' >"$file")
  fi
  cat "$file"
}

start_postgres() {
  if our_pid postgres >/dev/null; then HOW[postgres]=running; return; fi
  tcp_open "$HOST" "$PEERS_PG_PORT" && die "port $PEERS_PG_PORT is in use by something else (set PEERS_PG_PORT)"
  local bin
  bin=$(pg_bin)
  if [[ ! -f $PG_DIR/PG_VERSION ]]; then
    rm -rf "$PG_DIR" && mkdir -p "$PG_DIR"
    ((EUID != 0)) || chown postgres: "$PG_DIR"
    as_postgres "$bin/initdb" -D "$PG_DIR" -A trust -U postgres >"$LOGS/postgres-initdb.log" 2>&1 ||
      fail_with_log postgres-initdb "initdb failed"
  fi
  [[ ! -f $LOGS/postgres.log ]] || mv -f "$LOGS/postgres.log" "$LOGS/postgres.log.prev"
  touch "$LOGS/postgres.log"
  ((EUID != 0)) || chown postgres: "$LOGS/postgres.log"
  # Not through launch: pg_ctl daemonizes the server itself and it writes its own pid file.
  as_postgres "$bin/pg_ctl" -D "$PG_DIR" -l "$LOGS/postgres.log" -w -t "$TIMEOUT" \
    -o "-p $PEERS_PG_PORT -k $PG_DIR -c listen_addresses=$HOST" start >/dev/null || fail_with_log postgres "failed to start"
  HOW[postgres]=started
}

start_kratos() {
  local dir="$STATE/kratos"
  if our_pid kratos >/dev/null; then HOW[kratos]=running; return; fi
  tcp_open "$HOST" "$KRATOS_PUBLIC_PORT" && die "port $KRATOS_PUBLIC_PORT is in use by something else (set KRATOS_PUBLIC_PORT)"
  tcp_open "$HOST" "$KRATOS_ADMIN_PORT" && die "port $KRATOS_ADMIN_PORT is in use by something else (set KRATOS_ADMIN_PORT)"
  mkdir -p "$dir"
  sed -e "s|@PG_PORT@|$PEERS_PG_PORT|g" -e "s|@PUBLIC_PORT@|$KRATOS_PUBLIC_PORT|g" -e "s|@ADMIN_PORT@|$KRATOS_ADMIN_PORT|g" \
    -e "s|@COOKIE_SECRET@|$(secret kratos-cookie)|g" -e "s|@CIPHER_SECRET@|$(secret kratos-cipher | head -c 32)|g" \
    -e "s|@SCHEMA@|$SRC/identity.schema.json|g" -e "s|@SMTP_PORT@|1|g" \
    "$SRC/kratos.yml.template" >"$dir/kratos.yml"
  chmod 600 "$dir/kratos.yml"
  if ! "$(pg_bin)/psql" -h "$HOST" -p "$PEERS_PG_PORT" -U postgres -tAc "select 1 from pg_database where datname = 'kratos'" | grep -q 1; then
    "$(pg_bin)/createdb" -h "$HOST" -p "$PEERS_PG_PORT" -U postgres kratos
  fi
  # SQA_OPT_OUT: Kratos reports usage to Ory unless told not to.
  SQA_OPT_OUT=true "$KRATOS_BIN" migrate sql -e --yes -c "$dir/kratos.yml" >"$LOGS/kratos-migrate.log" 2>&1 ||
    fail_with_log kratos-migrate "migration failed"
  launch_detached kratos env SQA_OPT_OUT=true "$KRATOS_BIN" serve -c "$dir/kratos.yml" --dev --sqa-opt-out
  HOW[kratos]=started
}

start_keycloak() {
  if our_pid keycloak >/dev/null; then HOW[keycloak]=running; return; fi
  tcp_open "$HOST" "$KEYCLOAK_PORT" && die "port $KEYCLOAK_PORT is in use by something else (set KEYCLOAK_PORT)"
  tcp_open "$HOST" "$KEYCLOAK_MANAGEMENT_PORT" && die "port $KEYCLOAK_MANAGEMENT_PORT is in use (set KEYCLOAK_MANAGEMENT_PORT)"
  mkdir -p "$STATE/keycloak"
  launch_detached keycloak env JAVA_HOME="$(java_home)" \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$(secret keycloak-admin)" \
    "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-host="$HOST" --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" --db=dev-mem \
    --spi-password-hashing--argon2--memory="$ARGON2_MEMORY_KIB" \
    --spi-password-hashing--argon2--iterations="$ARGON2_ITERATIONS" \
    --spi-password-hashing--argon2--parallelism="$ARGON2_PARALLELISM"
  HOW[keycloak]=started
}

# kcadm.sh narrates on stderr ("Logging into...", "Created new realm..."): shown only when it fails.
kcadm() {
  local err="$STATE/keycloak/kcadm.err"
  JAVA_HOME="$(java_home)" "$KEYCLOAK_HOME/bin/kcadm.sh" "$@" --config "$STATE/keycloak/kcadm.config" 2>"$err" || {
    local rc=$?
    sed 's/^/  kcadm | /' "$err" >&2
    return $rc
  }
}

# The realm, a public client allowed the password grant, and the users (Keycloak's user profile
# refuses users without email, first and last name). Recreated when the user count differs.
provision_keycloak() {
  local count user_id data
  kcadm config credentials --server "$KEYCLOAK_URL" --realm master --user admin \
    --password "$(secret keycloak-admin)" >/dev/null
  count=$(kcadm get users/count -r "$REALM" 2>/dev/null || echo none)
  [[ $count == "$PEERS_USERS" ]] && return 0
  [[ $count == none ]] || kcadm delete "realms/$REALM" >/dev/null
  jq -n --arg realm "$REALM" --arg client "$CLIENT_ID" --arg pattern "$EMAIL_PATTERN" \
    --arg password "$(secret peers-password)" --argjson users "$PEERS_USERS" '{
      realm: $realm, enabled: true, passwordPolicy: "hashAlgorithm(argon2)",
      clients: [{clientId: $client, publicClient: true, directAccessGrantsEnabled: true, standardFlowEnabled: false}],
      users: [range(1; $users + 1) | . as $n | ($pattern | sub("%d"; "\($n)")) as $email | {
        username: $email, email: $email, firstName: "Bench", lastName: "User \($n)", enabled: true, emailVerified: true,
        credentials: [{type: "password", value: $password, temporary: false}]
      }]
    }' >"$STATE/keycloak/realm.json"
  kcadm create realms -f "$STATE/keycloak/realm.json" >/dev/null
  rm -f "$STATE/keycloak/realm.json"
  # What Keycloak stored is the proof of the cost it verifies at.
  user_id=$(kcadm get users -r "$REALM" -q exact=true -q "username=${EMAIL_PATTERN/\%d/1}" --fields id | jq -r '.[0].id')
  data=$(kcadm get "users/$user_id/credentials" -r "$REALM" | jq -c '.[0].credentialData | fromjson')
  jq -e --argjson m "$ARGON2_MEMORY_KIB" --argjson t "$ARGON2_ITERATIONS" --argjson p "$ARGON2_PARALLELISM" \
    '.algorithm == "argon2" and .hashIterations == $t and .additionalParameters.type == ["id"]
     and .additionalParameters.memory == [$m | tostring] and .additionalParameters.parallelism == [$p | tostring]' \
    <<<"$data" >/dev/null || die "Keycloak stored a password hash of another cost than identity's: $data"
  log "keycloak: realm $REALM with $PEERS_USERS users; stored hash: $data"
}

# Through the admin API, which hashes the password with the configured hasher (fast to set up,
# unlike registration flows). An address that exists already answers 409: left as it is.
provision_kratos() {
  local n email status created=0
  for ((n = 1; n <= PEERS_USERS; n++)); do
    # shellcheck disable=SC2059 # the pattern is ours
    email=$(printf "$EMAIL_PATTERN" "$n")
    status=$(jq -n --arg email "$email" --arg password "$(secret peers-password)" \
      '{schema_id: "default", traits: {email: $email}, credentials: {password: {config: {password: $password}}}}' |
      curl -sS -m 30 -o "$STATE/kratos/last-response.json" -w '%{http_code}' -H 'content-type: application/json' \
        --data-binary @- "$KRATOS_ADMIN_URL/admin/identities")
    case $status in
      201) created=$((created + 1)) ;;
      409) ;;
      *) die "Kratos answered $status creating $email: $(cat "$STATE/kratos/last-response.json")" ;;
    esac
  done
  rm -f "$STATE/kratos/last-response.json"
  ((created == 0)) || log "kratos: $created identities created"
}

write_env() {
  {
    echo "# Written by scripts/peers.sh up; source it: . .local/peers/env"
    printf "export %s='%s'\n" KEYCLOAK_URL "$KEYCLOAK_URL" KEYCLOAK_REALM "$REALM" KEYCLOAK_CLIENT_ID "$CLIENT_ID" \
      KRATOS_PUBLIC_URL "$KRATOS_PUBLIC_URL" KRATOS_ADMIN_URL "$KRATOS_ADMIN_URL" PEERS_USERS "$PEERS_USERS" \
      PEERS_EMAIL "$EMAIL_PATTERN" PEERS_PASSWORD "$(secret peers-password)"
  } >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

describe() {
  local pid
  if pid=$(our_pid "$1"); then echo "${HOW[$1]:-running} (pid $pid)"; else echo "not running"; fi
}

cmd_up() {
  local t0=$SECONDS
  install_missing
  mkdir -p "$PIDS" "$LOGS"
  # Keycloak boots slowest (about 45 s): start it first, then the database Kratos needs.
  start_keycloak
  start_postgres
  start_kratos
  wait_for kratos kratos_answers
  provision_kratos
  wait_for keycloak keycloak_answers
  provision_keycloak
  write_env
  log "peers: up in $((SECONDS - t0))s; env: .local/peers/env"
  printf '  %-9s %-32s %s\n' \
    keycloak "$KEYCLOAK_URL/realms/$REALM" "$(describe keycloak)" \
    kratos "$KRATOS_PUBLIC_URL" "$(describe kratos)" \
    postgres "$HOST:$PEERS_PG_PORT" "$(describe postgres)"
}

cmd_down() {
  local peer pid deadline stopped=0
  for peer in keycloak kratos; do
    pid=$(our_pid "$peer") || continue
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 30))
    while owns "$pid" "$peer"; do
      if ((SECONDS >= deadline)); then
        log "$peer (pid $pid) ignored SIGTERM for 30s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.2
    done
    rm -f "$PIDS/$peer.pid"
    log "stopped $peer (pid $pid)"
    stopped=1
  done
  if pid=$(our_pid postgres); then
    as_postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null
    log "stopped postgres (pid $pid)"
    stopped=1
  fi
  ((stopped)) || log "peers: nothing started by peers.sh is running"
}

cmd_status() {
  local all=0
  row() {
    local peer=$1 address=$2 state=down
    shift 2
    if "$@"; then state=up; else all=1; fi
    printf '  %-9s %-5s %-32s %s\n' "$peer" "$state" "$address" "$(describe "$peer")"
  }
  log "peers:"
  row keycloak "$KEYCLOAK_URL" keycloak_answers
  row kratos "$KRATOS_PUBLIC_URL" kratos_answers
  if pg_bin >/dev/null; then row postgres "$HOST:$PEERS_PG_PORT" postgres_answers; else row postgres "(not installed)" false; fi
  return $all
}

"cmd_$CMD"
