"""The word searches of `KithBench directory` answered by Tantivy (a Lucene-class search engine in
Rust, through its Python package) on the same members: the community-visible text and facet tokens
Kith's SQL full-text index holds (`member_search` in the SQLite file KithBench kept), and the
queries KithBench exported.

Same semantics as Kith's word search: every word must match, in the name or the text, as a prefix
(two letters or more; one letter: the whole word), plus exact facet tokens; the name counts ten
times the text (the FTS5 weights); the best 21 are returned.

Prints one JSON line per measurement: {"engine", "name", "n", "p50_ms", "p99_ms"}.
"""
import argparse
import json
import re
import sqlite3
import time

from peers import percentile, report


def facet_token(kind, raw):
    return "zq" + kind + raw.lower().encode().hex()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="the SQLite file KithBench directory kept")
    parser.add_argument("--queries", required=True, help="JSON lines written by KithBench --export-queries")
    args = parser.parse_args()

    import tantivy

    rows = sqlite3.connect(args.database).execute("SELECT rowid, name, body, facets FROM member_search").fetchall()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("name", stored=False, tokenizer_name="default", index_option="freq")
    builder.add_text_field("body", stored=False, tokenizer_name="default", index_option="freq")
    builder.add_text_field("facets", stored=False, tokenizer_name="default", index_option="basic")
    builder.add_integer_field("seq", stored=True, indexed=False, fast=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    start = time.perf_counter()
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for seq, name, body, facets in rows:
        writer.add_document(tantivy.Document(name=name, body=body, facets=facets, seq=seq))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    report("tantivy", "word_index_build", [(time.perf_counter() - start) * 1000], {"documents": len(rows)})
    searcher = index.searcher()
    Occur = tantivy.Occur
    Query = tantivy.Query

    def word_query(word):
        if len(word) >= 2:
            def field(name):
                return Query.regex_query(schema, name, re.escape(word) + ".*")
        else:
            def field(name):
                return Query.term_query(schema, name, word)
        return Query.boolean_query([
            (Occur.Should, Query.boost_query(field("name"), 10.0)),
            (Occur.Should, field("body")),
        ])

    def build(query):
        clauses = [(Occur.Must, word_query(word)) for word in query["words"]]
        if query.get("stage"):
            clauses.append((Occur.Must, Query.term_query(schema, "facets", facet_token("c", query["stage"]))))
        return Query.boolean_query(clauses)

    queries = [json.loads(line) for line in open(args.queries) if line.strip()]
    for kind in ["word", "prefix", "two_words", "word_facet"]:
        chosen = [q for q in queries if q["kind"] == kind]
        samples = []
        hits = 0
        for query in chosen:
            begin = time.perf_counter()
            result = searcher.search(build(query), limit=21)
            samples.append((time.perf_counter() - begin) * 1000)
            hits += len(result.hits)
        report("tantivy", "search_" + kind, samples, {"hits_per_query": hits // max(len(chosen), 1)})


if __name__ == "__main__":
    main()
