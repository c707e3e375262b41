#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on 127.0.0.1 and KITH_TEST_POSTGRES_URL set,
# then stops the cluster and removes its files. Installs PostgreSQL from Debian if it is missing.
# Usage: scripts/with-test-postgres.sh swift test --skip-build
# KITH_PG_DURABLE=1 keeps fsync and synchronous_commit on (for crash-safety tests).
set -euo pipefail

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    echo "== installing PostgreSQL from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PORT=${KITH_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}
PGDIR=$(mktemp -d -t kithpg.XXXXXX)
chown postgres:postgres "$PGDIR"
chmod 700 "$PGDIR"

stop() {
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
}
trap stop EXIT

runuser -u postgres -- "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
FAST="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${KITH_PG_DURABLE:-0}" = "1" ] && FAST=""
# max_connections: every test opens a store with a pool of up to 10 connections, and the tests run in
# parallel; a weekly plan reads its sources at once (several connections of its pool), so 300 ran out.
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w -t 60 \
    -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1 -c max_connections=1000 -c log_lock_waits=on $FAST" start >/dev/null
psql -q -h 127.0.0.1 -p "$PORT" -U postgres -c "CREATE ROLE kith LOGIN PASSWORD 'kith'" -c "CREATE DATABASE kith OWNER kith"
export KITH_TEST_POSTGRES_URL="postgres://kith:kith@127.0.0.1:$PORT/kith?sslmode=disable"
# The server log, for scripts/test-watchdog.sh to show when a run stalls.
export KITH_TEST_POSTGRES_LOG="$PGDIR/log"
echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"$@"
