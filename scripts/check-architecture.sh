#!/usr/bin/env bash
# The import rules of docs/ARCHITECTURE.md, checked mechanically.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() {
    local pattern=$1 where=$2 why=$3
    if grep -rnP "$pattern" $where; then
        echo "✘ $why"
        fail=1
    fi
}
check '^(public )?import (Hummingbird|SQLKit|SQLiteKit|PostgresKit|PostgresNIO|SQLiteNIO|NIO)' Sources/KithDomain "KithDomain imports no server or database package"
check '^(public )?import (?!(Foundation|Synchronization)$)' Sources/KithGraph "KithGraph depends on no package (only Foundation and Synchronization from the toolchain)"
check '^(public )?import (SQLKit|SQLiteKit|PostgresKit|PostgresNIO|SQLiteNIO)' "Sources/KithWeb Sources/KithCLI" "only KithStorage talks SQL"
if grep -rlnE '^(public )?import KithStorage' Sources/KithWeb | grep -v Composition/; then
    echo "✘ in KithWeb only the composition files import KithStorage"
    fail=1
fi
[ $fail -eq 0 ] && echo "✔ architecture rules hold"
exit $fail
