#!/usr/bin/env bash
# Neural Playground container entrypoint.
#
#   WORKERS=1   plain `streamlit run app.py` on $PORT (no nginx).
#   WORKERS=N   N Streamlit processes on 127.0.0.1:$WORKER_BASE_PORT+i behind nginx on $PORT, with
#               cookie-based sticky sessions (see docker/nginx.conf.template). The script stays
#               in the foreground, forwards SIGTERM/SIGINT to its children, and exits as soon as
#               any child exits, so the container stops (and is restarted) instead of limping on.
#
# Environment (all optional):
#   PORT                 front-door port                              (default 8501)
#   WORKERS              number of Streamlit processes  (default: CPU cores, cgroup quota aware)
#   WORKER_BASE_PORT     first worker port                            (default 8600)
#   APP_DIR              directory holding app.py and .streamlit/     (default: this script's ../)
#   NGINX_ACCESS_LOG     nginx access_log target, or "off"            (default /dev/stdout)
#   WORKER_START_TIMEOUT seconds to wait for the workers' health      (default 120)
#   STREAMLIT_*          any Streamlit option, e.g. STREAMLIT_SERVER_MAX_UPLOAD_SIZE (nginx's body
#                        limit follows it)
#
# Runs as whatever user starts it (the image uses a non-root user); needs only a writable $TMPDIR.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # bash 5.2: no '&' magic in ${var//pat/repl}

log() { printf 'entrypoint: %s\n' "$*" >&2; }

# CPUs this container may use: nproc (CPU affinity), capped by a cgroup v2 CPU quota
# (`docker run --cpus`, Kubernetes limits), which nproc does not see.
cpu_count() {
    local n quota period
    n=$(nproc 2>/dev/null || echo 1)
    if [ -r /sys/fs/cgroup/cpu.max ] && read -r quota period </sys/fs/cgroup/cpu.max \
        && [ "$quota" != max ] && [ "${period:-0}" -gt 0 ]; then
        quota=$(((quota + period - 1) / period))
        [ "$quota" -lt "$n" ] && n=$quota
    fi
    [ "$n" -ge 1 ] || n=1
    echo "$n"
}

SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
APP_DIR=${APP_DIR:-$(cd "$SCRIPT_DIR/.." && pwd)}
PORT=${PORT:-8501}
WORKERS=${WORKERS:-$(cpu_count)}
WORKER_BASE_PORT=${WORKER_BASE_PORT:-8600}
WORKER_START_TIMEOUT=${WORKER_START_TIMEOUT:-120}
NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-/dev/stdout}
NGINX_TEMPLATE=${NGINX_TEMPLATE:-$SCRIPT_DIR/nginx.conf.template}

case "$WORKERS" in '' | *[!0-9]* | 0) log "WORKERS must be a positive integer, got '$WORKERS'"; exit 64 ;; esac
case "$PORT" in '' | *[!0-9]*) log "PORT must be a number, got '$PORT'"; exit 64 ;; esac

cd "$APP_DIR"

# Streamlit reads .streamlit/config.toml from $APP_DIR; the image also sets the same values as
# STREAMLIT_* variables (see Dockerfile). Only address and port are given here, per process.

if [ "$WORKERS" -eq 1 ]; then
    log "1 worker: streamlit on 0.0.0.0:$PORT (no nginx)"
    exec streamlit run app.py --server.address 0.0.0.0 --server.port "$PORT"
fi

command -v nginx >/dev/null 2>&1 || { log "WORKERS=$WORKERS needs nginx on PATH"; exit 69; }

# All workers share one cookie secret, so cookies Streamlit signs (auth, if ever enabled) are
# valid on every worker. Set it yourself to keep it stable across restarts and replicas.
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
    STREAMLIT_SERVER_COOKIE_SECRET=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    export STREAMLIT_SERVER_COOKIE_SECRET
fi

RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/neural-playground-nginx.XXXXXX")
PIDS=()

stop_children() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # Give them a few seconds, then make sure.
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && break
        sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$RUNTIME_DIR"
}

on_signal() {
    log "received $1, stopping"
    trap - TERM INT
    stop_children
    exit 0
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

# --- workers ------------------------------------------------------------------------------------
upstreams="" route_to_worker="" worker_to_route="" known_routes=""
for ((i = 0; i < WORKERS; i++)); do
    wport=$((WORKER_BASE_PORT + i))
    streamlit run app.py --server.address 127.0.0.1 --server.port "$wport" &
    PIDS+=("$!")
    upstreams+="        server 127.0.0.1:$wport max_fails=0;"$'\n'
    route_to_worker+="        w$i 127.0.0.1:$wport;"$'\n'
    worker_to_route+="        127.0.0.1:$wport w$i;"$'\n'
    known_routes+="        w$i \"\";"$'\n'
done
log "started $WORKERS workers on 127.0.0.1:$WORKER_BASE_PORT-$((WORKER_BASE_PORT + WORKERS - 1))"

# Wait until every worker answers its health check before opening the front door, so the first
# students are not sent to a worker that is still importing.
worker_healthy() {
    python - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen("http://127.0.0.1:%s/_stcore/health" % sys.argv[1], timeout=2).read()
EOF
}
deadline=$((SECONDS + WORKER_START_TIMEOUT))
for ((i = 0; i < WORKERS; i++)); do
    wport=$((WORKER_BASE_PORT + i))
    until worker_healthy "$wport"; do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            log "worker $i (port $wport) exited during start-up"
            stop_children
            exit 1
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "worker $i (port $wport) not healthy after ${WORKER_START_TIMEOUT}s"
            stop_children
            exit 1
        fi
        sleep 0.5
    done
done
log "all workers healthy"

# --- nginx --------------------------------------------------------------------------------------
user_line=""
if [ "$(id -u)" -eq 0 ]; then
    # Only when started as root (not in the image): keep nginx's workers the same user as the
    # Streamlit workers, so they can write the temp dir created above.
    user_line="user root;"
fi
# nginx's body limit must not be below Streamlit's upload limit (200 MB is Streamlit's default).
upload_mb=${STREAMLIT_SERVER_MAX_UPLOAD_SIZE:-200}
upload_mb=${upload_mb%%.*}
case "$upload_mb" in '' | *[!0-9]*) upload_mb=200 ;; esac

conf=$(<"$NGINX_TEMPLATE")
conf=${conf//@USER_LINE@/$user_line}
conf=${conf//@RUNTIME_DIR@/$RUNTIME_DIR}
conf=${conf//@PORT@/$PORT}
conf=${conf//@CLIENT_MAX_BODY_SIZE@/$((upload_mb + 1))m}
conf=${conf//@ACCESS_LOG@/$NGINX_ACCESS_LOG np}
if [ "$NGINX_ACCESS_LOG" = off ]; then conf=${conf//access_log off np;/access_log off;}; fi
conf=${conf//@UPSTREAM_SERVERS@/${upstreams%$'\n'}}
conf=${conf//@ROUTE_TO_WORKER@/${route_to_worker%$'\n'}}
conf=${conf//@WORKER_TO_ROUTE@/${worker_to_route%$'\n'}}
conf=${conf//@KNOWN_ROUTES@/${known_routes%$'\n'}}
printf '%s\n' "$conf" >"$RUNTIME_DIR/nginx.conf"

nginx -t -q -e stderr -p "$RUNTIME_DIR" -c "$RUNTIME_DIR/nginx.conf"
nginx -e stderr -p "$RUNTIME_DIR" -c "$RUNTIME_DIR/nginx.conf" &
PIDS+=("$!")
log "nginx listening on :$PORT, sticky sessions by cookie np_route"

# --- supervise ----------------------------------------------------------------------------------
# `wait -n` returns when any child exits (or a trapped signal arrives, handled above).
status=0
wait -n || status=$?
log "a child process exited (status $status); stopping the others"
trap - TERM INT
stop_children
[ "$status" -eq 0 ] && status=1
exit "$status"
