#!/usr/bin/env bash
# Start the landscape's Prefect services on this machine: a Prefect server on 127.0.0.1
# (skipped when PREFECT_API_URL already names a server), the `landscape-process` work pool,
# the deployments of prefect.yaml, and one process worker that runs flow runs from this
# checkout with its .venv. `scripts/stop.sh` (make stop) stops what this started.
#
# Settings (environment):
#   LANDSCAPE_PREFECT_PORT   server port (default 4200)
#   LANDSCAPE_RUN_DIR        pid files, logs and the server's PREFECT_HOME (default .prefect/server)
#   PREFECT_API_URL          use this server instead of starting one
#   PREFECT_SERVER_DATABASE_CONNECTION_URL   e.g. postgresql+asyncpg://... (default: sqlite)
#   LANDSCAPE_NOTIFY_URL, LANDSCAPE_WAREHOUSE, HF_TOKEN   passed on to flow runs by the worker
set -euo pipefail

LANDSCAPE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LANDSCAPE_HOME
cd "$LANDSCAPE_HOME"
BIN="$LANDSCAPE_HOME/.venv/bin"
RUN_DIR="${LANDSCAPE_RUN_DIR:-$LANDSCAPE_HOME/.prefect/server}"
PORT="${LANDSCAPE_PREFECT_PORT:-4200}"
POOL=landscape-process
mkdir -p "$RUN_DIR"

export PREFECT_HOME="$RUN_DIR/home"
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export GX_ANALYTICS_ENABLED=false
export PREFECT_LOGGING_EXTRA_LOGGERS=ai_landscape
# Leases of concurrency slots survive a server restart (the default keeps them in memory,
# and a restart would leave the warehouse's slot taken for good).
export PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE=prefect.server.concurrency.lease_storage.filesystem

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Start a command in its own session (so stop.sh can end its whole process group) with its
# output in RUN_DIR/NAME.log and its pid in RUN_DIR/NAME.pid.
start() {
  local name=$1; shift
  setsid "$@" >"$RUN_DIR/$name.log" 2>&1 < /dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

if [[ -z "${PREFECT_API_URL:-}" ]]; then
  export PREFECT_API_URL="http://127.0.0.1:$PORT/api"
  if alive "$RUN_DIR/server.pid"; then
    echo "Prefect server already running (pid $(cat "$RUN_DIR/server.pid"))"
  else
    echo "starting Prefect server on 127.0.0.1:$PORT (log: $RUN_DIR/server.log)"
    start server "$BIN/prefect" server start --host 127.0.0.1 --port "$PORT"
  fi
  "$BIN/python" - "$PREFECT_API_URL/health" "${LANDSCAPE_SERVER_WAIT_SECONDS:-180}" <<'PY'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while True:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                break
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit(f"the Prefect server did not answer {url} in time; see its log")
    time.sleep(1)
PY
else
  echo "using the Prefect server at $PREFECT_API_URL"
fi
echo "$PREFECT_API_URL" >"$RUN_DIR/api_url"

if "$BIN/prefect" work-pool inspect "$POOL" >/dev/null 2>&1; then
  echo "work pool $POOL exists"
else
  "$BIN/prefect" work-pool create "$POOL" --type process
fi

"$BIN/prefect" --no-prompt deploy --all

if alive "$RUN_DIR/worker.pid"; then
  echo "worker already running (pid $(cat "$RUN_DIR/worker.pid"))"
else
  echo "starting a worker on $POOL (log: $RUN_DIR/worker.log)"
  start worker "$BIN/prefect" worker start --pool "$POOL" --name "landscape-$(uname -n)"
fi

cat <<MSG

Prefect is serving the landscape deployments. In this shell:
  export PREFECT_API_URL=$PREFECT_API_URL
  $BIN/prefect deployment run 'refresh-landscape/landscape-replay' --watch
  $BIN/prefect deployment ls
Stop everything with: make stop
MSG
