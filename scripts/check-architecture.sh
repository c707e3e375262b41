#!/usr/bin/env bash
# The import rules of docs/ARCHITECTURE.md, checked mechanically.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
# Every spelling of an import: access level (`public`, `internal`, `package`, `private`,
# `fileprivate`), `@preconcurrency`, `@_exported`, `@testable` — none escapes the rules.
IMPORT='^(@[A-Za-z_]+ +)*((public|internal|package|private|fileprivate) +)?(@[A-Za-z_]+ +)*import +'
check() {
    local pattern=$1 where=$2 why=$3
    if grep -rnP "$pattern" $where; then
        echo "✘ $why"
        fail=1
    fi
}
check "${IMPORT}(?!(Foundation|Synchronization)\$)" Sources/KithSearch "KithSearch depends on no package (only Foundation and Synchronization from the toolchain)"
check "${IMPORT}(Hummingbird|SQLKit|SQLiteKit|PostgresKit|PostgresNIO|SQLiteNIO|NIO|VaporCSQLite)" Sources/KithDomain "KithDomain imports no server or database package"
check "${IMPORT}(?!(Foundation|Synchronization)\$)" Sources/KithGraph "KithGraph depends on no package (only Foundation and Synchronization from the toolchain)"
check "${IMPORT}(SQLKit|SQLiteKit|PostgresKit|PostgresNIO|SQLiteNIO|VaporCSQLite)" "Sources/KithWeb Sources/KithCLI Sources/KithApp" "only KithStorage talks SQL"
check "${IMPORT}VaporCSQLite" "$(find Sources/KithStorage -mindepth 1 -maxdepth 1 -type d ! -name Store | tr '\n' ' ')" "only the SQLite connection code (KithStorage/Store) calls SQLite's C library"
check "${IMPORT}KithStorage" Sources/KithWeb "KithWeb never sees storage: KithApp wires services to a store (Package.swift does not let KithWeb depend on KithStorage either)"
check "${IMPORT}(KithWeb|KithStorage|KithApp)" Sources/KithDomain "the domain depends on no outer layer"
# Attribute values are escaped by construction (Sources/KithWeb/Components/AttributeEscaping.swift):
# nothing else in KithWeb builds a raw attribute or raw markup, and every Plot helper that writes
# a String or a URL into an attribute has an escaping twin there.
if grep -rnE 'Attribute(<[A-Za-z.]+>)?\(name:|\.raw\(|\.comment\(' Sources/KithWeb | grep -v 'Components/AttributeEscaping.swift'; then
    echo "✘ KithWeb writes attributes only through AttributeEscaping.swift, and no raw markup"
    fail=1
fi
plot=$(find .build/checkouts/Plot/Sources/Plot/API -name 'HTMLAttributes.swift' -o -name 'HTMLComponents.swift' 2>/dev/null | sort)
if [ -n "$plot" ]; then
    helpers=$(grep -hoE 'static func `?[a-zA-Z]+`?\((_ [a-zA-Z]+|named name): (String|URLRepresentable)' $plot \
        | sed -E 's/static func `?([a-zA-Z]+)`?.*/\1/' | sort -u)
    for helper in $helpers; do
        if ! grep -qE "static func \`?$helper\`?\(" Sources/KithWeb/Components/AttributeEscaping.swift; then
            echo "✘ Plot's .$helper(String) writes an attribute unescaped: declare its escaping twin in AttributeEscaping.swift"
            fail=1
        fi
    done
else
    echo "✘ Plot's sources are not checked out (.build/checkouts/Plot): build first"
    fail=1
fi
[ $fail -eq 0 ] && echo "✔ architecture rules hold"
exit $fail
