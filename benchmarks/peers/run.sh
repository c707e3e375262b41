#!/usr/bin/env bash
# Runs KithBench graph and the peers (python-igraph, networkx, SQL on SQLite and PostgreSQL) on
# the same exported edge list and query pairs. Installs the peers from PyPI into a venv.
# Usage: benchmarks/peers/run.sh MEMBERS [EDGES_PER_MEMBER] [ENGINES]   (PostgreSQL with KITH_BENCH_POSTGRES_URL)
set -euo pipefail
cd "$(dirname "$0")/../.."
MEMBERS=${1:-100000}
PER=${2:-25}
ENGINES=${3:-igraph,networkx,sqlite}
WORK=$(mktemp -d -t kith-peers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv .venv-peers
.venv-peers/bin/pip install -q --disable-pip-version-check -r benchmarks/peers/requirements.txt
swift build -c release --product KithBench --scratch-path .build-release >/dev/null
.build-release/release/KithBench graph --members "$MEMBERS" --edges-per-member "$PER" --queries 2000 --json \
    --export-edges "$WORK/edges.txt" --export-queries "$WORK/queries.txt" | sed 's/^{/{"engine": "kith", /'
.venv-peers/bin/python benchmarks/peers/peers.py --members "$MEMBERS" --edges "$WORK/edges.txt" \
    --queries "$WORK/queries.txt" --engines "$ENGINES" ${KITH_BENCH_POSTGRES_URL:+--postgres "$KITH_BENCH_POSTGRES_URL"}
