# Sourced by the load scripts: `wait_quiet PID` returns once the server has used under 5% of a core
# for 3 s (a demo server starts its first weekly email run at once, which would otherwise share the
# measured seconds), or after 600 s, and says how long it waited.
wait_quiet() {
    local pid=$1 hz start before after
    hz=$(getconf CLK_TCK)
    start=$(date +%s)
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    while sleep 3; do
        after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        if (((after - before) * 100 < hz * 3 * 5)); then break; fi
        before=$after
        if (($(date +%s) - start > 600)); then
            echo "the server is still busy after 600 s; measuring anyway" >&2
            break
        fi
    done
    echo "server quiet after $(($(date +%s) - start)) s"
}
