#!/usr/bin/env bash
# Stop what scripts/deploy.sh started: the worker first (no new runs start), then the server.
# Each was started in its own session, so its whole process group goes (a worker's flow-run
# subprocesses, the server's workers): TERM, then KILL after a grace period.
set -euo pipefail

LANDSCAPE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${LANDSCAPE_RUN_DIR:-$LANDSCAPE_HOME/.prefect/server}"
GRACE="${LANDSCAPE_STOP_GRACE_SECONDS:-10}"

stop() {
  local name=$1 pidfile="$RUN_DIR/$1.pid" pid
  if [[ ! -f "$pidfile" ]]; then
    echo "$name: not started here"
    return
  fi
  pid=$(cat "$pidfile")
  if kill -TERM -- "-$pid" 2>/dev/null; then
    for _ in $(seq "$GRACE"); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 -- "-$pid" 2>/dev/null; then
      echo "$name: still running after ${GRACE}s, killing"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    echo "$name: stopped (pid $pid)"
  else
    echo "$name: was not running"
  fi
  rm -f "$pidfile"
}

stop worker
stop server
