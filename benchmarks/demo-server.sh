# Sourced by the load scripts: `start_demo_server NAME MEMBERS [kith serve options…]` starts
# `kith serve --demo` on a free loopback port — the binary in KITH_BIN, or a release build made
# here; a SQLite file in a fresh directory, or KITH_DATABASE_URL — waits until it listens, and
# stops it and removes the directory when the script exits. Sets KITH, DATA, PORT, SERVER, BASE.
start_demo_server() {
    local name=$1 members=$2
    shift 2
    command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    # KITH_BIN: measure this binary instead of building one (to compare two builds run after run).
    KITH=${KITH_BIN:-.build-release/release/kith}
    [ -n "${KITH_BIN:-}" ] || swift build -c release --product kith --scratch-path .build-release >/dev/null
    DATA=$(mktemp -d -t "kith-$name.XXXXXX")
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    local store=(--data-dir "$DATA")
    if [ -n "${KITH_DATABASE_URL:-}" ]; then store=(--database-url "$KITH_DATABASE_URL"); fi
    "$KITH" serve "${store[@]}" --port "$PORT" --demo --demo-members "$members" --log-level error "$@" >"$DATA/log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
    until grep -q "Kith listening" "$DATA/log"; do
        kill -0 "$SERVER" 2>/dev/null || { cat "$DATA/log"; exit 1; }
        sleep 0.5
    done
    BASE="http://127.0.0.1:$PORT"
}
