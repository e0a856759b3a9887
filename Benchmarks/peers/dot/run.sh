#!/usr/bin/env bash
# Starts / stops the DOT peer under Debian's gunicorn on 127.0.0.1, as the SimpleJWT peer runs: sync workers,
# 2 x cores + 1 of them, no access log.
#   ./run.sh start     prints the port; PID in .run/gunicorn.pid
#   ./run.sh stop      SIGTERM to that PID, SIGKILL after 20 s
set -euo pipefail
cd "$(dirname "$0")"
PIDFILE=.run/gunicorn.pid
case "${1:-}" in
  start)
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    /usr/bin/gunicorn dotpeer.wsgi:application --bind "127.0.0.1:$port" --workers $((2 * $(nproc) + 1)) \
      --worker-class sync --log-level warning --error-logfile .run/gunicorn.log >> .run/gunicorn.log 2>&1 &
    echo $! > "$PIDFILE"
    # Ready when the token endpoint answers (400 or 401 to an empty POST): all of Django loaded.
    for _ in $(seq 1 60); do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST "http://127.0.0.1:$port/o/token/" || true)
      case "$code" in 400|401) echo "$port"; exit 0 ;; esac
      sleep 0.5
    done
    echo "gunicorn did not come up; see .run/gunicorn.log" >&2; exit 1 ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    pid=$(cat "$PIDFILE")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; exit 0; }; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true; rm -f "$PIDFILE" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
