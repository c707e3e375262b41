#!/usr/bin/env bash
# Word search on the same members and queries: KithBench directory (the directory service, the word
# index alone, and the SQL full-text index) and Tantivy (benchmarks/peers/search.py). Installs
# Tantivy from PyPI into the peers' venv.
# Usage: benchmarks/peers/search-run.sh [MEMBERS] [QUERIES]
set -euo pipefail
cd "$(dirname "$0")/../.."
MEMBERS=${1:-100000}
QUERIES=${2:-500}
WORK=$(mktemp -d -t kith-search.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv .venv-peers
.venv-peers/bin/pip install -q --disable-pip-version-check -r benchmarks/peers/requirements.txt
swift build -c release --product KithBench --scratch-path .build-release >/dev/null
.build-release/release/KithBench directory --members "$MEMBERS" --queries "$QUERIES" --json --data-dir "$WORK" \
    --export-queries "$WORK/queries.jsonl" | sed 's/^{/{"engine": "kith", /'
.venv-peers/bin/python benchmarks/peers/search.py --database "$WORK/kith.sqlite" --queries "$WORK/queries.jsonl"
