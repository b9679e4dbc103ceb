#!/usr/bin/env python3
"""Relevance scorer for anli (and, through the benchmark harness, its peers).

Runs every query of tools/eval/queries.json through an engine, then scores
the ranked ids against the graded judgments (2 central, 1 partial):

  nDCG@10    graded gain (2^g - 1) / log2(rank + 1), normalised by the ideal order
  recall@20  share of judged units (grade >= 1) in the top 20
  MRR        1 / rank of the first central unit (grade 2; grade 1 when none is 2)
  nothing    for queries that should return nothing: passes when no hit
             scores above NOTHING_THRESHOLD of the engine's top score on a
             real query (anli: the score of hit 1 for the query's own
             category baseline), i.e. total == 0 or only weak hits.

Per query, per category and overall; JSON to stdout with --json, a table
otherwise. Usage: score.py --anli BIN --index DIR [--json]
"""
import argparse
import json
import math
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
# A "nothing" query passes when it has no hit, or when its best hit scores
# below this fraction of the median top score of the judged queries.
NOTHING_THRESHOLD = 0.25


def anli_search(binary, index, query):
    args = [binary, "search", query["query"], "--index", index, "--json", "--limit", "20"]
    for field, values in (query.get("filters") or {}).items():
        for value in values:
            args += ["--" + field, value]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        return None, run.stderr.strip()
    if not run.stdout.strip():
        return None, run.stderr.strip()
    results = json.loads(run.stdout)
    return [(hit["id"], hit["score"]) for hit in results["hits"]], None


def ndcg(ranked, judgments, k=10):
    gains = [(2 ** judgments.get(i, 0) - 1) / math.log2(r + 2) for r, i in enumerate(ranked[:k])]
    ideal = sorted(judgments.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return sum(gains) / best if best > 0 else 0.0


def recall(ranked, judgments, k=20):
    relevant = {i for i, g in judgments.items() if g >= 1}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked, judgments):
    target = 2 if 2 in judgments.values() else 1
    for r, i in enumerate(ranked):
        if judgments.get(i, 0) >= target:
            return 1.0 / (r + 1)
    return 0.0


def score(run_query, queries):
    rows = []
    top_scores = []
    raw = {}
    for query in queries:
        hits, error = run_query(query)
        raw[query["id"]] = (hits, error)
        if hits and query["judgments"]:
            top_scores.append(hits[0][1])
    top_scores.sort()
    reference = top_scores[len(top_scores) // 2] if top_scores else 0.0
    for query in queries:
        hits, error = raw[query["id"]]
        row = {"id": query["id"], "category": query["category"], "query": query["query"], "error": error}
        ranked = [i for i, _ in hits] if hits else []
        # A query judged to have no answer (category "nothing", or a filter that
        # excludes every answer) is scored by whether the engine returns nothing.
        if query["category"] == "nothing" or not query["judgments"]:
            best = hits[0][1] if hits else 0.0
            row["nothing_pass"] = error is None and (not hits or best < NOTHING_THRESHOLD * reference)
            row["hits"] = len(ranked)
        else:
            judgments = query["judgments"]
            row["ndcg10"] = ndcg(ranked, judgments)
            row["recall20"] = recall(ranked, judgments)
            row["mrr"] = reciprocal_rank(ranked, judgments)
        rows.append(row)
    return rows


def summarise(rows):
    by_category = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    def mean(values):
        values = list(values)
        return sum(values) / len(values) if values else 0.0
    summary = {}
    for category, items in sorted(by_category.items()):
        if category == "nothing":
            summary[category] = {"queries": len(items), "pass": mean(1.0 if r["nothing_pass"] else 0.0 for r in items)}
        else:
            scored = [r for r in items if "ndcg10" in r]
            summary[category] = {
                "queries": len(items),
                "ndcg10": mean(r["ndcg10"] for r in scored),
                "recall20": mean(r["recall20"] for r in scored),
                "mrr": mean(r["mrr"] for r in scored),
                "errors": sum(1 for r in items if r["error"]),
            }
    judged = [r for r in rows if "ndcg10" in r]
    summary["overall"] = {
        "queries": len(rows),
        "ndcg10": mean(r["ndcg10"] for r in judged),
        "recall20": mean(r["recall20"] for r in judged),
        "mrr": mean(r["mrr"] for r in judged),
        "nothing_pass": mean(1.0 if r["nothing_pass"] else 0.0 for r in rows if "nothing_pass" in r),
    }
    return summary


def table(summary):
    lines = ["| category | queries | nDCG@10 | recall@20 | MRR |", "| --- | --- | --- | --- | --- |"]
    for category, values in summary.items():
        if category == "nothing":
            lines.append(f"| nothing | {values['queries']} | pass {values['pass']:.2f} | | |")
        elif category == "overall":
            lines.append(f"| **overall** | {values['queries']} | {values['ndcg10']:.3f} | {values['recall20']:.3f} | {values['mrr']:.3f} (nothing pass {values['nothing_pass']:.2f}) |")
        else:
            lines.append(f"| {category} | {values['queries']} | {values['ndcg10']:.3f} | {values['recall20']:.3f} | {values['mrr']:.3f} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anli", required=True, help="the anli binary")
    parser.add_argument("--index", required=True, help="the index directory")
    parser.add_argument("--queries", default=os.path.join(HERE, "queries.json"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    queries = json.load(open(args.queries, encoding="utf-8"))["queries"]
    rows = score(lambda q: anli_search(args.anli, args.index, q), queries)
    summary = summarise(rows)
    if args.json:
        json.dump({"summary": summary, "queries": rows}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(table(summary))
        worst = sorted((r for r in rows if "ndcg10" in r), key=lambda r: r["ndcg10"])[:10]
        print("\nlowest nDCG@10:")
        for r in worst:
            print(f"  {r['ndcg10']:.3f}  {r['id']}  {r['query']}" + (f"  ERROR {r['error']}" if r["error"] else ""))
        for r in rows:
            if "nothing_pass" in r and not r["nothing_pass"]:
                print(f"  nothing-query failed: {r['id']} {r['query']} ({r['hits']} hits)")


if __name__ == "__main__":
    main()
