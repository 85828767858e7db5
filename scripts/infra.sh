#!/usr/bin/env bash
# Local servers for Solar Accounts, without Docker: install (cached), start, check, stop.
#
#   bash scripts/infra.sh up|down|status|clean [dev|test|chaos]  (profile defaults to dev)
#   bash scripts/infra.sh down <profile> <server>...             (stop only those: kafka mongo redis mailpit)
#
#   up      install what is missing, start what is not running, wait until every server answers,
#           write .local/<profile>/env (export lines to source) and print a summary. Idempotent.
#           The servers this run launched are listed in .local/<profile>/started (scripts/test.sh
#           stops only those afterwards).
#   down    stop only the processes this script started (pid files in .local/<profile>/pids).
#   status  show whether each server answers; exit 0 only if all do.
#   clean   down, then delete .local/<profile> (data, logs, env); the download cache stays.
#
# Servers (downloads and builds are cached in .local/cache, so a second `up` takes seconds):
#   kafka    Apache Kafka 3.9.1, single-node KRaft, run from Maven Central jars
#   mongo    mongo-java-server 1.47.0 (MongoDB wire protocol) in one JVM:
#            dev = one H2-file server per service, test = one in-memory server,
#            chaos = one H2-file server (its data survive the stops the chaos suite makes)
#   redis    redis-server from Debian (apt-get installs it if missing; needs root)
#   mailpit  Mailpit v1.33.1, built with `go install` (test profile: --enable-chaos)
#
# Ports (dev default / test default), each overridable by the environment variable named:
#   KAFKA_PORT 19092/29092             KAFKA_CONTROLLER_PORT 19093/29093
#   MONGO_IDENTITY_PORT 27018 (dev)    MONGO_NOTIFICATION_PORT 27019 (dev)
#   MONGO_LIFECYCLE_PORT 27020 (dev)   MONGO_PORT 27117 (test)
#   REDIS_PORT 16379/26379             MAILPIT_SMTP_PORT 1025/21025   MAILPIT_HTTP_PORT 8025/28025
#   chaos (the chaos suite's own servers, which it stops and starts; test-like otherwise), each
#   overridable by CHAOS_<name>, so that ports chosen for the test profile never move them:
#   KAFKA_PORT 39092  KAFKA_CONTROLLER_PORT 39093  MONGO_PORT 37117  REDIS_PORT 36379
#   MAILPIT_SMTP_PORT 31025  MAILPIT_HTTP_PORT 38025
#
# External servers: when the caller sets one of these, that server is not started and the value
# is passed through to the env file:
#   KAFKA_BROKERS, REDIS_URL, SMTP_HOST + SMTP_PORT (+ MAILPIT_URL),
#   IDENTITY_MONGO_URL, NOTIFICATION_MONGO_URL, LIFECYCLE_MONGO_URL, and MONGO_URL (test: the
#   server of all three; dev: the fallback for any of the three not set).
#   Our env files also export SOLAR_INFRA_ENV=<profile>; when it is set, a value identical to the
#   one in .local/$SOLAR_INFRA_ENV/env is ignored as inherited from sourcing that file, not chosen
#   (`. .local/dev/env; npm test` must not run the tests on the dev servers).
#
# Env file (.local/<profile>/env): KAFKA_BROKERS, MONGO_URL (test, or when given),
#   IDENTITY_MONGO_URL, NOTIFICATION_MONGO_URL, LIFECYCLE_MONGO_URL, REDIS_URL, SMTP_HOST,
#   SMTP_PORT, MAILPIT_URL, and SOLAR_INFRA_ENV (the profile).
#
# Other knobs: INFRA_TIMEOUT (seconds to wait for a server to answer, default 120),
#   INFRA_STOP_TIMEOUT (seconds before SIGKILL on down, default 30), KAFKA_HEAP_OPTS,
#   MONGO_HEAP_OPTS, INFRA_JAVA (java binary; default: java on the PATH).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly SRC="$ROOT/scripts/infra"
readonly CACHE="$ROOT/.local/cache"
readonly KAFKA_LIB="$CACHE/kafka-lib"
readonly MONGO_LIB="$CACHE/mongo-lib"
readonly MONGO_CLASSES="$CACHE/mongo-launcher"
readonly BIN="$CACHE/bin"
readonly MAILPIT_VERSION=v1.33.1
readonly MAILPIT_BIN="$BIN/mailpit"
readonly HOST=127.0.0.1
readonly SERVERS=(kafka mongo redis mailpit)

JAVA="${INFRA_JAVA:-java}"
TIMEOUT="${INFRA_TIMEOUT:-120}"
STOP_TIMEOUT="${INFRA_STOP_TIMEOUT:-30}"

usage() {
  echo "usage: bash scripts/infra.sh up|down|status|clean [dev|test|chaos]" >&2
  echo "       bash scripts/infra.sh down dev|test|chaos [kafka|mongo|redis|mailpit]..." >&2
  exit 2
}

CMD="${1:-}"
PROFILE="${2:-dev}"
case "$CMD" in up | down | status | clean) ;; *) usage ;; esac
case "$PROFILE" in dev | test | chaos) ;; *) usage ;; esac
# Only `down` takes server names (default: all).
ONLY=("${@:3}")
[[ $# -le 2 || $CMD == down ]] || usage
for _server in "${ONLY[@]}"; do
  case $_server in kafka | mongo | redis | mailpit) ;; *) usage ;; esac
done

readonly STATE="$ROOT/.local/$PROFILE"
readonly PIDS="$STATE/pids"
readonly LOGS="$STATE/logs"
readonly ENV_FILE="$STATE/env"
readonly STARTED_FILE="$STATE/started"

readonly NAME=infra DOWN_HINT="bash scripts/infra.sh down $PROFILE"
# shellcheck source-path=SCRIPTDIR source=lib/daemons.sh
. "$ROOT/scripts/lib/daemons.sh"
now() { printf '%s' "${EPOCHREALTIME/./}"; } # microseconds
elapsed() { # since $1 (from now), as seconds with one decimal
  local us=$(($(now) - $1))
  printf '%d.%ds' $((us / 1000000)) $((us % 1000000 / 100000))
}

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------
if [[ $PROFILE == dev ]]; then
  KAFKA_PORT="${KAFKA_PORT:-19092}"
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
  MONGO_IDENTITY_PORT="${MONGO_IDENTITY_PORT:-27018}"
  MONGO_NOTIFICATION_PORT="${MONGO_NOTIFICATION_PORT:-27019}"
  MONGO_LIFECYCLE_PORT="${MONGO_LIFECYCLE_PORT:-27020}"
  REDIS_PORT="${REDIS_PORT:-16379}"
  MAILPIT_SMTP_PORT="${MAILPIT_SMTP_PORT:-1025}"
  MAILPIT_HTTP_PORT="${MAILPIT_HTTP_PORT:-8025}"
elif [[ $PROFILE == chaos ]]; then
  KAFKA_PORT="${CHAOS_KAFKA_PORT:-39092}"
  KAFKA_CONTROLLER_PORT="${CHAOS_KAFKA_CONTROLLER_PORT:-39093}"
  MONGO_PORT="${CHAOS_MONGO_PORT:-37117}"
  REDIS_PORT="${CHAOS_REDIS_PORT:-36379}"
  MAILPIT_SMTP_PORT="${CHAOS_MAILPIT_SMTP_PORT:-31025}"
  MAILPIT_HTTP_PORT="${CHAOS_MAILPIT_HTTP_PORT:-38025}"
else
  KAFKA_PORT="${KAFKA_PORT:-29092}"
  KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-29093}"
  MONGO_PORT="${MONGO_PORT:-27117}"
  REDIS_PORT="${REDIS_PORT:-26379}"
  MAILPIT_SMTP_PORT="${MAILPIT_SMTP_PORT:-21025}"
  MAILPIT_HTTP_PORT="${MAILPIT_HTTP_PORT:-28025}"
fi

for _var in KAFKA_PORT KAFKA_CONTROLLER_PORT MONGO_PORT MONGO_IDENTITY_PORT MONGO_NOTIFICATION_PORT \
  MONGO_LIFECYCLE_PORT REDIS_PORT MAILPIT_SMTP_PORT MAILPIT_HTTP_PORT; do
  [[ ${!_var:-1} =~ ^[0-9]+$ ]] || die "$_var must be a port number, not '${!_var}'"
done
unset _var

# True if the caller set $1 to an address of its own (see "External servers" above).
external() {
  local name=$1 value="${!1:-}" file inherited
  [[ -n $value ]] || return 1
  case ${SOLAR_INFRA_ENV:-} in dev | test | chaos) ;; *) return 0 ;; esac
  file="$ROOT/.local/$SOLAR_INFRA_ENV/env"
  [[ -f $file ]] || return 0
  # shellcheck disable=SC1090 # our own file of export lines; read in a subshell
  inherited=$(unset "$name"; . "$file" >/dev/null 2>&1; printf '%s' "${!name:-}")
  [[ $value == "$inherited" ]] || return 0
  [[ $SOLAR_INFRA_ENV == "$PROFILE" ]] || log "note: ignoring $name=$value (inherited from .local/$SOLAR_INFRA_ENV/env)"
  return 1
}

# Decide, for each server, whether we manage it (start/check it locally) or pass an address through.
# Sets *_MANAGED=1|0 and the OUT_* values written to the env file.
resolve_config() {
  if external KAFKA_BROKERS; then
    KAFKA_MANAGED=0 OUT_KAFKA_BROKERS=$KAFKA_BROKERS
  else
    KAFKA_MANAGED=1 OUT_KAFKA_BROKERS="$HOST:$KAFKA_PORT"
  fi

  # Mongo: MONGO_SPECS are MongoLauncher arguments (<port>:memory | <port>:h2:<file>) for the
  # servers we run ourselves; MONGO_PORTS the ports they listen on.
  MONGO_SPECS=() MONGO_PORTS=() OUT_MONGO_URL=""
  local base="" svc var port
  if external MONGO_URL; then
    base=$MONGO_URL OUT_MONGO_URL=$MONGO_URL
  elif [[ $PROFILE == test ]]; then
    # One in-memory server; tests isolate themselves with a database name per test file.
    OUT_MONGO_URL="mongodb://$HOST:$MONGO_PORT" base=$OUT_MONGO_URL
    MONGO_SPECS=("$MONGO_PORT:memory") MONGO_PORTS=("$MONGO_PORT")
  elif [[ $PROFILE == chaos ]]; then
    # One server like test, but in a file: a scenario stops it and expects the data back.
    OUT_MONGO_URL="mongodb://$HOST:$MONGO_PORT" base=$OUT_MONGO_URL
    MONGO_SPECS=("$MONGO_PORT:h2:$STATE/mongo/chaos.mv") MONGO_PORTS=("$MONGO_PORT")
  fi
  for svc in identity notification lifecycle; do
    var="${svc^^}_MONGO_URL"
    if external "$var"; then
      printf -v "OUT_$var" '%s' "${!var}"
    elif [[ -n $base ]]; then
      printf -v "OUT_$var" '%s' "$base"
    else # dev: a server of its own per service ("Mongo per service"), persisted in an H2 file
      port="MONGO_${svc^^}_PORT" port=${!port}
      printf -v "OUT_$var" '%s' "mongodb://$HOST:$port/$svc"
      MONGO_SPECS+=("$port:h2:$STATE/mongo/$svc.mv") MONGO_PORTS+=("$port")
    fi
  done
  MONGO_MANAGED=$((${#MONGO_SPECS[@]} > 0 ? 1 : 0))

  if external REDIS_URL; then
    REDIS_MANAGED=0 OUT_REDIS_URL=$REDIS_URL
  else
    REDIS_MANAGED=1 OUT_REDIS_URL="redis://$HOST:$REDIS_PORT"
  fi

  if external SMTP_HOST && external SMTP_PORT; then
    MAILPIT_MANAGED=0 OUT_SMTP_HOST=$SMTP_HOST OUT_SMTP_PORT=$SMTP_PORT OUT_MAILPIT_URL="${MAILPIT_URL:-}"
    [[ -n $OUT_MAILPIT_URL ]] || log "note: SMTP_HOST/SMTP_PORT given without MAILPIT_URL; tests that read mail need it"
  else
    MAILPIT_MANAGED=1 OUT_SMTP_HOST=$HOST OUT_SMTP_PORT=$MAILPIT_SMTP_PORT
    OUT_MAILPIT_URL="http://$HOST:$MAILPIT_HTTP_PORT"
  fi
}

# ---------------------------------------------------------------------------------------------
# Probes (all bounded by `timeout`, so an unreachable host cannot hang us)
# ---------------------------------------------------------------------------------------------
# A real Kafka round trip, cheaper than a JVM tool: send ApiVersions v0 and expect a reply with
# correlation id 1 and error code 0. The port alone is not enough: the broker binds it before it
# serves requests.
kafka_answers() {
  # shellcheck disable=SC2016
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # int32 size=15 | int16 api_key=18 (ApiVersions) | int16 version=0 | int32 correlation_id=1 | string "probe"
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    # reply: int32 size | int32 correlation_id | int16 error_code ...
    reply=$(head -c 10 <&3 | od -An -tx1 | tr -d " \n")
    [[ ${reply:8:12} == 000000010000 ]]' "$1" "$2" 2>/dev/null
}

# Consumer groups work: FindCoordinator for a group answers without error. The broker answers
# ApiVersions long before that: the first request creates __consumer_offsets (50 partitions), and
# until their leaders are elected every group join waits, which a fresh broker's first tests would
# otherwise pay for within their time limits.
kafka_coordinates_groups() {
  # shellcheck disable=SC2016
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    # int32 size=22 | int16 api_key=10 (FindCoordinator) | int16 version=0 | int32 correlation_id=1 |
    # string client_id "probe" | string group_id "probe"
    printf "\x00\x00\x00\x16\x00\x0a\x00\x00\x00\x00\x00\x01\x00\x05probe\x00\x05probe" >&3
    # reply: int32 size | int32 correlation_id | int16 error_code (15 while no coordinator is available)
    reply=$(head -c 10 <&3 | od -An -tx1 | tr -d " \n")
    [[ ${reply:8:12} == 000000010000 ]]' "$1" "$2" 2>/dev/null
}
kafka_ready() { kafka_answers "$1" "$2" && kafka_coordinates_groups "$1" "$2"; }

redis_answers() { [[ "$(timeout 3 redis-cli "$@" ping 2>/dev/null)" == PONG ]]; }

mailpit_answers() { curl -fsS -m 3 -o /dev/null "$1/api/v1/info" 2>/dev/null; }
mailpit_and_smtp_answer() { mailpit_answers "$1" && tcp_open "$2" "$3"; }

# host:port of the first host of a mongodb:// URL (default port 27017).
mongo_hostport() {
  local rest=${1#mongodb://}
  rest=${rest#*@} rest=${rest%%/*} rest=${rest%%\?*} rest=${rest%%,*}
  [[ $rest == *:* ]] || rest="$rest:27017"
  printf '%s' "$rest"
}

# ---------------------------------------------------------------------------------------------
# Processes we started: .local/<profile>/pids/<server>.pid
# ---------------------------------------------------------------------------------------------
# Is $1 our running $2? Our java/mailpit processes carry the state dir on their command line
# (-Dsolar.infra.state=<dir>, --database <dir>/...); redis rewrites its process title, so it is
# recognised by name. This guards against a stale pid file naming a recycled pid.
owns() {
  local pid=$1 server=$2 cmdline state
  [[ -r /proc/$pid/stat ]] || return 1
  read -r _ _ state _ <"/proc/$pid/stat" || return 1
  [[ $state != Z ]] || return 1 # exited, not yet reaped
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case $server in
    redis) [[ $cmdline == *redis-server* ]] ;;
    *) [[ $cmdline == *"$STATE"[/\ ]* ]] ;;
  esac
}

# Prints the pid of our running $1, removing a stale pid file; fails if it is not running.
our_pid() {
  local file="$PIDS/$1.pid" pid
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && owns "$pid" "$1"; then
    printf '%s' "$pid"
  else
    rm -f "$file" "$PIDS/$1.settings"
    return 1
  fi
}

# already_running <server> <settings>: true if our $server runs with these settings (its ports);
# fails loudly if it runs with others, rather than waiting for it on ports it does not use.
already_running() {
  local pid
  pid=$(our_pid "$1") || return 1
  [[ "$(cat "$PIDS/$1.settings" 2>/dev/null)" == "$2" ]] ||
    die "$1 (pid $pid) is running with other settings ($(cat "$PIDS/$1.settings" 2>/dev/null)); run: bash scripts/infra.sh down $PROFILE"
  HOW[$1]=running
}

# launch <server> <settings> <command...>: launch_detached, remembering the settings (its ports).
launch() {
  echo "$2" >"$PIDS/$1.settings"
  launch_detached "$1" "${@:3}"
}

# ---------------------------------------------------------------------------------------------
# Installation (shared by all profiles, so serialised with a lock on the cache)
# ---------------------------------------------------------------------------------------------
fingerprint() { cat "$@" | sha256sum | cut -d' ' -f1; }

# Copy the jars of a pom's dependencies into $2, unless already done for this pom.
install_jars() {
  local pom=$1 lib=$2 sum
  sum=$(fingerprint "$pom")
  [[ "$(cat "$lib/.complete" 2>/dev/null)" == "$sum" ]] && return 0
  log "installing $(basename "$lib") (Maven Central)..."
  rm -rf "$lib.tmp"
  # Maven 3.8 prints colour resets even with -q -B; strip them from the log (pipefail keeps mvn's status).
  mvn -B -q -f "$pom" dependency:copy-dependencies -DoutputDirectory="$lib.tmp" 2>&1 |
    sed 's/\x1b\[[0-9;]*m//g'
  echo "$sum" >"$lib.tmp/.complete"
  rm -rf "$lib" && mv "$lib.tmp" "$lib"
}

install_mongo() {
  install_jars "$SRC/mongo/pom.xml" "$MONGO_LIB"
  local sum
  sum=$(fingerprint "$SRC/mongo/MongoLauncher.java" "$MONGO_LIB/.complete")
  [[ "$(cat "$MONGO_CLASSES/.complete" 2>/dev/null)" == "$sum" ]] && return 0
  log "compiling MongoLauncher..."
  rm -rf "$MONGO_CLASSES" && mkdir -p "$MONGO_CLASSES"
  javac -nowarn -cp "$MONGO_LIB/*" -d "$MONGO_CLASSES" "$SRC/mongo/MongoLauncher.java"
  echo "$sum" >"$MONGO_CLASSES/.complete"
}

install_mailpit() {
  [[ -x $MAILPIT_BIN && "$(cat "$BIN/.mailpit-version" 2>/dev/null)" == "$MAILPIT_VERSION" ]] && return 0
  command -v go >/dev/null || die "go is needed to build Mailpit"
  log "building Mailpit $MAILPIT_VERSION (go install, about a minute)..."
  mkdir -p "$BIN"
  GOBIN="$BIN" go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
  echo "$MAILPIT_VERSION" >"$BIN/.mailpit-version"
}

install_redis() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  [[ $EUID -eq 0 ]] || die "redis-server is missing: sudo apt-get install -y redis-server"
  log "installing redis-server (apt)..."
  # Debian starts a system redis on 6379 after install; ours use other ports, so that is harmless.
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
}

# Runs the needed installers in parallel (Maven and `go install` are network- and CPU-bound in
# different ways); each writes .local/cache/logs/<name>.log and the first failure is shown.
install_missing() {
  local jobs=() names=() name i rc=0
  if [[ $KAFKA_MANAGED == 1 || $MONGO_MANAGED == 1 ]]; then
    for name in "$JAVA" javac mvn; do
      command -v "$name" >/dev/null || die "$name not found (Java 17 JDK and Maven are needed)"
    done
  fi
  if [[ ! -f $KAFKA_LIB/.complete || ! -f $MONGO_CLASSES/.complete || ! -x $MAILPIT_BIN ]] ||
    ! command -v redis-server >/dev/null; then
    log "installing what is missing (a first run takes 1-2 minutes; logs in .local/cache/logs)..."
  fi
  mkdir -p "$CACHE/logs"
  exec 8>"$CACHE/.lock"
  flock 8
  # Maven runs are sequential: two Maven processes writing one ~/.m2 at the same time can clash.
  [[ $KAFKA_MANAGED == 1 || $MONGO_MANAGED == 1 ]] && names+=(maven)
  [[ $MAILPIT_MANAGED == 1 ]] && names+=(mailpit)
  [[ $REDIS_MANAGED == 1 ]] && names+=(redis)
  for name in "${names[@]}"; do
    case $name in
      maven) {
        [[ $KAFKA_MANAGED == 0 ]] || install_jars "$SRC/kafka/pom.xml" "$KAFKA_LIB"
        [[ $MONGO_MANAGED == 0 ]] || install_mongo
      } >"$CACHE/logs/maven.log" 2>&1 & ;;
      mailpit) install_mailpit >"$CACHE/logs/mailpit.log" 2>&1 & ;;
      redis) install_redis >"$CACHE/logs/redis.log" 2>&1 & ;;
    esac
    jobs+=($!)
  done
  for i in "${!jobs[@]}"; do
    if ! wait "${jobs[$i]}"; then
      rc=1
      echo "infra: installing ${names[$i]} failed; last lines of .local/cache/logs/${names[$i]}.log:" >&2
      tail -n 30 "$CACHE/logs/${names[$i]}.log" | sed 's/^/  | /' >&2
    else
      # Show the "installing..." lines of what actually had to be installed.
      grep -E '^(installing|building|compiling)' "$CACHE/logs/${names[$i]}.log" || true
    fi
  done
  flock -u 8
  exec 8>&-
  ((rc == 0)) || exit 1
}

# ---------------------------------------------------------------------------------------------
# Starting the servers. Each start_* records in HOW[server] started, running or reused, or exits.
# ---------------------------------------------------------------------------------------------
declare -A HOW=()

start_kafka() {
  local dir="$STATE/kafka" id settings="ports $KAFKA_PORT $KAFKA_CONTROLLER_PORT"
  if already_running kafka "$settings"; then return; fi
  if kafka_answers "$HOST" "$KAFKA_PORT"; then HOW[kafka]=reused; return; fi
  tcp_open "$HOST" "$KAFKA_PORT" && die "port $KAFKA_PORT is in use by something that is not Kafka (set KAFKA_PORT)"
  tcp_open "$HOST" "$KAFKA_CONTROLLER_PORT" && die "Kafka controller port $KAFKA_CONTROLLER_PORT is in use (set KAFKA_CONTROLLER_PORT)"

  mkdir -p "$dir/data"
  sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$dir/data|g" \
    "$SRC/kafka/server.properties.template" >"$dir/server.properties"
  local jvm=("$JAVA" -Dlog4j.configuration="file:$SRC/kafka/log4j.properties" -cp "$KAFKA_LIB/*")

  # KRaft storage is formatted once per profile; the data survives down/up (`clean` wipes it).
  if [[ ! -f $dir/data/meta.properties ]]; then
    # A cluster id is 16 random bytes, URL-safe base64 without padding (what `StorageTool
    # random-uuid` prints, without starting a JVM for it); no leading '-' (it looks like an option).
    id=-
    while [[ $id == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
    "${jvm[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" \
      >"$LOGS/kafka-format.log" 2>&1 || fail_with_log kafka-format "storage format failed"
  fi
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of JVM options
  launch kafka "$settings" "${jvm[0]}" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -Djava.awt.headless=true \
    -Dsolar.infra.state="$STATE" "${jvm[@]:1}" kafka.Kafka "$dir/server.properties"
  HOW[kafka]=started
  echo kafka >>"$STARTED_FILE"
}

start_mongo() {
  local port open=0 settings="${MONGO_SPECS[*]}"
  if already_running mongo "$settings"; then return; fi
  for port in "${MONGO_PORTS[@]}"; do tcp_open "$HOST" "$port" && open=$((open + 1)); done
  if ((open == ${#MONGO_PORTS[@]})); then HOW[mongo]=reused; return; fi
  ((open == 0)) || die "some of the Mongo ports ${MONGO_PORTS[*]} are in use; free them or override MONGO_*_PORT"

  mkdir -p "$STATE/mongo"
  # shellcheck disable=SC2086 # MONGO_HEAP_OPTS is a list of JVM options
  launch mongo "$settings" "$JAVA" ${MONGO_HEAP_OPTS:--Xms64m -Xmx512m} -Djava.awt.headless=true \
    -Dsolar.infra.state="$STATE" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dmongo.host="$HOST" -cp "$MONGO_CLASSES:$MONGO_LIB/*" MongoLauncher "${MONGO_SPECS[@]}"
  HOW[mongo]=started
  echo mongo >>"$STARTED_FILE"
}

start_redis() {
  local settings="port $REDIS_PORT"
  if already_running redis "$settings"; then return; fi
  # Someone else's Redis (a system one, a colleague's) is fine to share: tests use their own keys.
  if redis_answers -h "$HOST" -p "$REDIS_PORT"; then HOW[redis]=reused; return; fi
  tcp_open "$HOST" "$REDIS_PORT" && die "port $REDIS_PORT is in use by something that is not Redis (set REDIS_PORT)"

  local persistence=(--save '' --appendonly no)
  # dev keeps its data in .local/dev/redis (snapshot each minute with changes, and on shutdown).
  [[ $PROFILE == dev ]] && persistence=(--save '60 1' --appendonly no)
  mkdir -p "$STATE/redis"
  [[ ! -f $LOGS/redis.log ]] || mv -f "$LOGS/redis.log" "$LOGS/redis.log.prev"
  # redis daemonizes itself and writes its own pid file (removed again on a clean shutdown).
  # Its stdout only matters for errors before it daemonizes; both append to the same log.
  # shellcheck disable=SC2094
  redis-server --bind "$HOST" --port "$REDIS_PORT" "${persistence[@]}" --dir "$STATE/redis" \
    --daemonize yes --pidfile "$PIDS/redis.pid" --logfile "$LOGS/redis.log" \
    </dev/null >>"$LOGS/redis.log" 2>&1 9>&- || fail_with_log redis "failed to start"
  echo "$settings" >"$PIDS/redis.settings"
  HOW[redis]=started
  echo redis >>"$STARTED_FILE"
}

start_mailpit() {
  local url="http://$HOST:$MAILPIT_HTTP_PORT" settings="ports $MAILPIT_SMTP_PORT $MAILPIT_HTTP_PORT"
  if already_running mailpit "$settings"; then return; fi
  if mailpit_and_smtp_answer "$url" "$HOST" "$MAILPIT_SMTP_PORT"; then HOW[mailpit]=reused; return; fi
  tcp_open "$HOST" "$MAILPIT_HTTP_PORT" && die "port $MAILPIT_HTTP_PORT is in use (set MAILPIT_HTTP_PORT)"
  tcp_open "$HOST" "$MAILPIT_SMTP_PORT" && die "port $MAILPIT_SMTP_PORT is in use (set MAILPIT_SMTP_PORT)"

  mkdir -p "$STATE/mailpit"
  local args=(--listen "$HOST:$MAILPIT_HTTP_PORT" --smtp "$HOST:$MAILPIT_SMTP_PORT"
    --database "$STATE/mailpit/mailpit.db" --disable-version-check)
  if [[ $PROFILE == test ]]; then
    # Tests start from an empty mailbox; chaos lets delivery tests make SMTP fail (PUT /api/v1/chaos).
    rm -f "$STATE/mailpit/mailpit.db"*
    args+=(--enable-chaos)
  elif [[ $PROFILE == chaos ]]; then
    # An empty mailbox that keeps every message: a run counts more emails than the 500 kept by default.
    rm -f "$STATE/mailpit/mailpit.db"*
    args+=(--max 0)
  fi
  launch mailpit "$settings" "$MAILPIT_BIN" "${args[@]}"
  HOW[mailpit]=started
  echo mailpit >>"$STARTED_FILE"
}

write_env() {
  local tmp="$ENV_FILE.tmp" name value managed=""
  for name in "${SERVERS[@]}"; do # servers we provide, not external (for `status`)
    value="${name^^}_MANAGED"
    [[ ${!value} == 0 ]] || managed+=" $name"
  done
  {
    echo "# Written by scripts/infra.sh up $PROFILE; source it: . .local/$PROFILE/env"
    echo "# managed:$managed"
    echo "export SOLAR_INFRA_ENV=$PROFILE"
    for name in KAFKA_BROKERS MONGO_URL IDENTITY_MONGO_URL NOTIFICATION_MONGO_URL LIFECYCLE_MONGO_URL \
      REDIS_URL SMTP_HOST SMTP_PORT MAILPIT_URL; do
      value="OUT_$name" value=${!value}
      [[ -n $value ]] || continue
      printf "export %s='%s'\n" "$name" "${value//\'/\'\\\'\'}"
    done
  } >"$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

describe() { # how a server is being provided, for the summary
  local server=$1 managed=$2 pid
  if [[ $managed == 0 ]]; then
    echo "external (given by the caller)"
  elif pid=$(our_pid "$server"); then
    echo "${HOW[$server]:-running} (pid $pid)"
  else
    echo "${HOW[$server]:-?} (not started by infra.sh; left alone by down)"
  fi
}

cmd_up() {
  local t0 port
  t0=$(now)
  : >"$STARTED_FILE" # filled by start_* as they launch
  resolve_config
  install_missing
  mkdir -p "$PIDS" "$LOGS"

  # Start everything first, then wait: the JVMs boot in parallel.
  [[ $REDIS_MANAGED == 0 ]] || start_redis
  [[ $MAILPIT_MANAGED == 0 ]] || start_mailpit
  [[ $MONGO_MANAGED == 0 ]] || start_mongo
  [[ $KAFKA_MANAGED == 0 ]] || start_kafka

  [[ $REDIS_MANAGED == 0 ]] || wait_for redis redis_answers -h "$HOST" -p "$REDIS_PORT"
  [[ $MAILPIT_MANAGED == 0 ]] || wait_for mailpit mailpit_and_smtp_answer "$OUT_MAILPIT_URL" "$HOST" "$MAILPIT_SMTP_PORT"
  if [[ $MONGO_MANAGED == 1 ]]; then
    # mongo-java-server serves requests as soon as its port is bound: a port check is enough.
    for port in "${MONGO_PORTS[@]}"; do wait_for mongo tcp_open "$HOST" "$port"; done
  fi
  [[ $KAFKA_MANAGED == 0 ]] || wait_for kafka kafka_ready "$HOST" "$KAFKA_PORT"

  write_env
  log "infra $PROFILE: up in $(elapsed "$t0"); env: .local/$PROFILE/env"
  printf '  %-8s %-46s %s\n' \
    kafka "$OUT_KAFKA_BROKERS" "$(describe kafka "$KAFKA_MANAGED")" \
    mongo "${OUT_MONGO_URL:-$OUT_IDENTITY_MONGO_URL}" "$(describe mongo "$MONGO_MANAGED")"
  if [[ $PROFILE == dev ]]; then
    printf '  %-8s %s\n' "" "$OUT_NOTIFICATION_MONGO_URL" "" "$OUT_LIFECYCLE_MONGO_URL"
  fi
  printf '  %-8s %-46s %s\n' \
    redis "$OUT_REDIS_URL" "$(describe redis "$REDIS_MANAGED")" \
    mailpit "smtp $OUT_SMTP_HOST:$OUT_SMTP_PORT ${OUT_MAILPIT_URL:-}" "$(describe mailpit "$MAILPIT_MANAGED")"
}

cmd_down() {
  local server pid pids=() names=() deadline i targets=("$@")
  ((${#targets[@]})) || targets=("${SERVERS[@]}")
  for server in "${targets[@]}"; do
    if pid=$(our_pid "$server"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid") names+=("$server")
    fi
  done
  deadline=$((SECONDS + STOP_TIMEOUT))
  for i in "${!pids[@]}"; do
    while owns "${pids[$i]}" "${names[$i]}"; do
      if ((SECONDS >= deadline)); then
        log "${names[$i]} (pid ${pids[$i]}) ignored SIGTERM for ${STOP_TIMEOUT}s: SIGKILL"
        kill -KILL "${pids[$i]}" 2>/dev/null || true
        break
      fi
      sleep 0.1
    done
    rm -f "$PIDS/${names[$i]}.pid" "$PIDS/${names[$i]}.settings"
    log "stopped ${names[$i]} (pid ${pids[$i]})"
  done
  ((${#pids[@]} > 0)) || log "infra $PROFILE: nothing started by infra.sh is running"
}

cmd_status() {
  local all=0 hp url managed=" ${SERVERS[*]} "
  # Check the addresses of the last `up` (they may be external ones), else the configured ones.
  if [[ -f $ENV_FILE ]]; then
    managed=" $(sed -n 's/^# managed: *//p' "$ENV_FILE") "
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    OUT_KAFKA_BROKERS=$KAFKA_BROKERS OUT_REDIS_URL=$REDIS_URL OUT_SMTP_HOST=$SMTP_HOST
    OUT_SMTP_PORT=$SMTP_PORT OUT_MAILPIT_URL=${MAILPIT_URL:-} OUT_IDENTITY_MONGO_URL=$IDENTITY_MONGO_URL
    OUT_NOTIFICATION_MONGO_URL=$NOTIFICATION_MONGO_URL OUT_LIFECYCLE_MONGO_URL=$LIFECYCLE_MONGO_URL
  else
    resolve_config
  fi
  row() { # server, address, probe...
    local server=$1 address=$2 state=down
    shift 2
    local owner="external" pid
    if "$@"; then state=up; else all=1; fi
    if [[ $managed == *" $server "* ]]; then
      owner="not started by infra.sh"
      if pid=$(our_pid "$server"); then owner="started by infra.sh, pid $pid"; fi
    fi
    printf '  %-8s %-5s %-46s %s\n' "$server" "$state" "$address" "$owner"
  }
  log "infra $PROFILE:"
  hp=${OUT_KAFKA_BROKERS%%,*}
  row kafka "$OUT_KAFKA_BROKERS" kafka_answers "${hp%:*}" "${hp##*:}"
  for url in $(printf '%s\n' "$OUT_IDENTITY_MONGO_URL" "$OUT_NOTIFICATION_MONGO_URL" "$OUT_LIFECYCLE_MONGO_URL" | sort -u); do
    hp=$(mongo_hostport "$url")
    row mongo "$url" tcp_open "${hp%:*}" "${hp##*:}"
  done
  row redis "$OUT_REDIS_URL" redis_answers -u "$OUT_REDIS_URL"
  if [[ -n $OUT_MAILPIT_URL ]]; then
    row mailpit "smtp $OUT_SMTP_HOST:$OUT_SMTP_PORT $OUT_MAILPIT_URL" \
      mailpit_and_smtp_answer "$OUT_MAILPIT_URL" "$OUT_SMTP_HOST" "$OUT_SMTP_PORT"
  else
    row mailpit "smtp $OUT_SMTP_HOST:$OUT_SMTP_PORT" tcp_open "$OUT_SMTP_HOST" "$OUT_SMTP_PORT"
  fi
  return "$all"
}

# ---------------------------------------------------------------------------------------------
case $CMD in
  status) cmd_status ;;
  up | down | clean)
    mkdir -p "$STATE"
    # One up/down at a time per profile (dev and test may run side by side).
    exec 9>"$STATE/.lock"
    flock 9
    case $CMD in
      up) cmd_up ;;
      down) cmd_down "${ONLY[@]}" ;;
      clean)
        cmd_down
        flock -u 9
        rm -rf "$STATE"
        log "removed .local/$PROFILE"
        ;;
    esac
    ;;
esac
