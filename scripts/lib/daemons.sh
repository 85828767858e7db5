# shellcheck shell=bash
# Helpers shared by scripts/infra.sh and scripts/peers.sh for the servers they run in the background.
# The sourcing script defines: ROOT, PIDS and LOGS (folders), TIMEOUT (seconds), NAME (its name in
# messages, e.g. "infra"), DOWN_HINT (how to stop what it started) and `owns <pid> <server>` (is that
# pid our running server?).

log() { printf '%s\n' "$*"; }
die() {
  printf '%s: %s\n' "$NAME" "$*" >&2
  exit 1
}

# shellcheck disable=SC2016 # the single-quoted script gets its values as $0 $1
tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# launch_detached <server> <command...>: run detached (own session, stdin closed, output to its log),
# so it survives this script and the caller's terminal/process group. fd 9 may be the caller's lock:
# the server must not inherit it.
launch_detached() {
  local server=$1 log="$LOGS/$1.log"
  shift
  [[ ! -f $log ]] || mv -f "$log" "$log.prev"
  setsid "$@" </dev/null >"$log" 2>&1 9>&- &
  echo $! >"$PIDS/$server.pid"
}

# wait_for <server> <probe command...>: poll until the probe succeeds; fail early if our process
# died, or after $TIMEOUT seconds, showing the end of the server's log.
wait_for() {
  local server=$1 deadline=$((SECONDS + TIMEOUT)) pid=""
  shift
  [[ -f "$PIDS/$server.pid" ]] && pid=$(<"$PIDS/$server.pid")
  until "$@"; do
    if [[ -n $pid ]] && ! owns "$pid" "$server"; then
      fail_with_log "$server" "exited during startup"
    elif ((SECONDS >= deadline)); then
      fail_with_log "$server" "did not answer within ${TIMEOUT}s"
    fi
    sleep 0.2
  done
}

fail_with_log() {
  local log="$LOGS/$1.log"
  {
    echo "$NAME: $1 $2. Last lines of ${log#"$ROOT"/}:"
    [[ -f $log ]] && tail -n 40 "$log" | sed 's/^/  | /'
    echo "$NAME: what already started keeps running; stop it with: $DOWN_HINT"
  } >&2
  exit 1
}
