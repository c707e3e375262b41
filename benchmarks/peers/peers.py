"""The same graph queries as `KithBench graph`, answered by python-igraph, networkx and plain SQL
(SQLite and, with --postgres URL, PostgreSQL) on the edge list and query pairs KithBench exported.

Prints one JSON line per (engine, query): {"engine", "name", "n", "p50_ms", "p99_ms"}.
"""
import argparse
import json
import math
import sqlite3
import statistics
import sys
import time


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(len(ordered) * p) - 1))]


def report(engine, name, samples, extra=None):
    line = {"engine": engine, "name": name, "n": len(samples),
            "p50_ms": round(percentile(samples, 0.5), 4), "p99_ms": round(percentile(samples, 0.99), 4)}
    line.update(extra or {})
    print(json.dumps(line), flush=True)


def timed(function, items):
    samples = []
    for item in items:
        start = time.perf_counter()
        function(*item) if isinstance(item, tuple) else function(item)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def load(edges_path):
    edges = []
    with open(edges_path) as handle:
        for line in handle:
            a, b = line.split()
            edges.append((int(a), int(b)))
    return edges


def run_igraph(n, edges, pairs, sources):
    import igraph
    start = time.perf_counter()
    graph = igraph.Graph(n=n, edges=edges, directed=False)
    report("igraph", "build", [(time.perf_counter() - start) * 1000])
    neighbors = graph.neighbors

    def degree(a, b):
        if a == b:
            return None
        distance = graph.distances(source=a, target=b)[0][0]
        return distance if distance <= 3 else None

    def mutual(a, b):
        return len(set(neighbors(a)) & set(neighbors(b)))

    def second(a):
        return len(graph.neighborhood(a, order=2, mindist=2))

    def path(a, b):
        return graph.get_shortest_path(a, b) if a != b else []

    def suggestions(a):
        first = set(neighbors(a))
        scores = {}
        for x in first:
            weight = 1 / math.log(graph.degree(x)) if graph.degree(x) > 1 else 0
            for y in neighbors(x):
                if y != a and y not in first:
                    scores[y] = scores.get(y, 0) + weight
        return sorted(scores.items(), key=lambda item: -item[1])[:20]

    report("igraph", "degree", timed(degree, pairs))
    report("igraph", "mutual_count", timed(mutual, pairs))
    report("igraph", "second_degree_size", timed(second, sources))
    report("igraph", "path", timed(path, pairs))
    report("igraph", "suggestions", timed(suggestions, sources))


def run_networkx(n, edges, pairs, sources):
    import networkx
    start = time.perf_counter()
    graph = networkx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    report("networkx", "build", [(time.perf_counter() - start) * 1000])

    def degree(a, b):
        if a == b:
            return None
        try:
            distance = networkx.shortest_path_length(graph, a, b)
        except networkx.NetworkXNoPath:
            return None
        return distance if distance <= 3 else None

    def mutual(a, b):
        return len(list(networkx.common_neighbors(graph, a, b))) if a != b else 0

    def second(a):
        lengths = networkx.single_source_shortest_path_length(graph, a, cutoff=2)
        return sum(1 for value in lengths.values() if value == 2)

    def path(a, b):
        try:
            return networkx.shortest_path(graph, a, b)
        except networkx.NetworkXNoPath:
            return []

    def suggestions(a):
        first = set(graph[a])
        candidates = {y for x in first for y in graph[x] if y != a and y not in first}
        scored = networkx.adamic_adar_index(graph, [(a, c) for c in candidates])
        return sorted(scored, key=lambda item: -item[2])[:20]

    report("networkx", "degree", timed(degree, pairs))
    report("networkx", "mutual_count", timed(mutual, pairs))
    report("networkx", "second_degree_size", timed(second, sources))
    report("networkx", "path", timed(path, pairs))
    report("networkx", "suggestions", timed(suggestions, sources))


SQL = {
    "degree": [
        "SELECT 1 FROM arcs WHERE a = {p} AND b = {p}",
        "SELECT 1 FROM arcs x JOIN arcs y ON y.a = x.b WHERE x.a = {p} AND y.b = {p} LIMIT 1",
        "SELECT 1 FROM arcs x JOIN arcs y ON y.a = x.b JOIN arcs z ON z.a = y.b WHERE x.a = {p} AND z.b = {p} LIMIT 1",
    ],
    "mutual_count": "SELECT COUNT(*) FROM arcs x JOIN arcs y ON y.b = x.b WHERE x.a = {p} AND y.a = {p}",
    "second_degree_size": """SELECT COUNT(DISTINCT y.b) FROM arcs x JOIN arcs y ON y.a = x.b
        WHERE x.a = {p} AND y.b <> {p} AND y.b NOT IN (SELECT b FROM arcs WHERE a = {p})""",
    "suggestions": """SELECT y.b, COUNT(*) AS mutuals FROM arcs x JOIN arcs y ON y.a = x.b
        WHERE x.a = {p} AND y.b <> {p} AND y.b NOT IN (SELECT b FROM arcs WHERE a = {p})
        GROUP BY y.b ORDER BY mutuals DESC LIMIT 20""",
}


def run_sql(engine, connection, placeholder, edges, pairs, sources):
    cursor = connection.cursor()
    start = time.perf_counter()
    cursor.execute("DROP TABLE IF EXISTS arcs")
    cursor.execute("CREATE TABLE arcs (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b))")
    arcs = sorted(set([(a, b) for a, b in edges] + [(b, a) for a, b in edges]))
    if engine == "postgres":
        cursor.execute("ALTER TABLE arcs DROP CONSTRAINT arcs_pkey")
        with cursor.copy("COPY arcs (a, b) FROM STDIN") as copy:
            for arc in arcs:
                copy.write_row(arc)
        cursor.execute("ALTER TABLE arcs ADD PRIMARY KEY (a, b)")
        cursor.execute("ANALYZE arcs")
    else:
        cursor.executemany(f"INSERT INTO arcs VALUES ({placeholder}, {placeholder})", arcs)
    connection.commit()
    report(engine, "build", [(time.perf_counter() - start) * 1000])
    p = placeholder

    def degree(a, b):
        if a == b:
            return None
        for hops, query in enumerate(SQL["degree"], start=1):
            cursor.execute(query.format(p=p), (a, b))
            if cursor.fetchone():
                return hops
        return None

    def scalar(name, *args):
        cursor.execute(SQL[name].format(p=p), args)
        return cursor.fetchall()

    report(engine, "degree", timed(degree, pairs))
    report(engine, "mutual_count", timed(lambda a, b: scalar("mutual_count", a, b), pairs))
    report(engine, "second_degree_size", timed(lambda a: scalar("second_degree_size", a, a, a), sources))
    report(engine, "suggestions", timed(lambda a: scalar("suggestions", a, a, a), sources))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--engines", default="igraph,networkx,sqlite")
    parser.add_argument("--sql-queries", type=int, default=200, help="SQL is slow: time this many queries")
    parser.add_argument("--postgres")
    args = parser.parse_args()
    edges = load(args.edges)
    pairs, sources = [], []
    with open(args.queries) as handle:
        for line in handle:
            a, b, s = map(int, line.split())
            pairs.append((a, b))
            sources.append(s)
    engines = args.engines.split(",")
    if "igraph" in engines:
        run_igraph(args.members, edges, pairs, sources)
    if "networkx" in engines:
        run_networkx(args.members, edges, pairs, sources)
    few = args.sql_queries
    if "sqlite" in engines:
        run_sql("sqlite", sqlite3.connect(":memory:"), "?", edges, pairs[:few], sources[:few])
    if args.postgres:
        import psycopg
        run_sql("postgres", psycopg.connect(args.postgres), "%s", edges, pairs[:few], sources[:few])


if __name__ == "__main__":
    sys.exit(main())
