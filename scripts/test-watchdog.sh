#!/usr/bin/env bash
# Runs a test command and watches its output. If nothing is printed for KITH_STALL_SECONDS
# (default 300), the run is declared stalled: the tests that started but never finished are listed,
# PostgreSQL's view of its sessions is printed when KITH_TEST_POSTGRES_URL is set, the run is
# stopped, and it is run once more. A stall therefore costs minutes, names its suspects, and never
# eats CI's whole time budget. Without a stall, the exit code is the command's own.
# Usage: scripts/test-watchdog.sh swift test --skip-build
set -uo pipefail
stall_after=${KITH_STALL_SECONDS:-300}
attempts=${KITH_STALL_ATTEMPTS:-2}
# Store operations older than this many seconds are reported by the tests themselves (StoreWatch).
export KITH_STORE_WATCH_SECONDS=${KITH_STORE_WATCH_SECONDS:-60}

unfinished() {
    python3 - "$1" <<'PY'
import re, sys
started, finished = [], set()
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^◇ Test (\S+) started", line)
    if m: started.append(m.group(1))
    m = re.match(r"^[✔✘] Test (\S+) ", line)
    if m: finished.add(m.group(1))
left = [name for name in dict.fromkeys(started) if name not in finished]
print("   tests started and not finished: " + (", ".join(left) if left else "none"))
PY
}

for attempt in $(seq 1 "$attempts"); do
    log=$(mktemp -t kith-tests.XXXXXX)
    setsid "$@" > >(tee "$log") 2>&1 &
    pid=$!
    quiet=0
    last=0
    stalled=0
    while kill -0 "$pid" 2>/dev/null; do
        sleep 5
        size=$(stat -c %s "$log")
        if [ "$size" = "$last" ]; then quiet=$((quiet + 5)); else quiet=0; last=$size; fi
        if [ "$quiet" -ge "$stall_after" ]; then
            stalled=1
            echo
            echo "== STALL: no test output for ${stall_after} s (attempt $attempt of $attempts)"
            unfinished "$log"
            if [ -n "${KITH_TEST_POSTGRES_URL:-}" ]; then
                psql "$KITH_TEST_POSTGRES_URL" -c "SELECT pid, state, wait_event_type, wait_event,
                    now() - xact_start AS in_transaction, left(query, 100) AS query
                    FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                    ORDER BY xact_start NULLS LAST" || true
            fi
            if [ -n "${KITH_TEST_POSTGRES_LOG:-}" ] && [ -f "$KITH_TEST_POSTGRES_LOG" ]; then
                echo "   the PostgreSQL log's last lines:"
                tail -n 40 "$KITH_TEST_POSTGRES_LOG" || true
            fi
            kill -TERM -- "-$pid" 2>/dev/null
            sleep 5
            kill -KILL -- "-$pid" 2>/dev/null
            break
        fi
    done
    wait "$pid"
    status=$?
    rm -f "$log"
    [ "$stalled" = 0 ] && exit "$status"
done
echo "== the tests stalled on every attempt"
exit 1
