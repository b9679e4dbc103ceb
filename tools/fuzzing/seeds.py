#!/usr/bin/env python3
"""Writes the seed corpus of a fuzz target (tools/fuzz) from the repository:
real reports cut at their headings, and real queries."""
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def report_seeds(out):
    """The seed report in pieces of at most ~8 KB, cut before `#` headings
    (each piece is a small report the parser must handle), plus the layout
    fixtures whole."""
    count = 0
    text = open(os.path.join(ROOT, "corpus", "guangzhou-2024.md"), encoding="utf-8").read()
    pieces, current = [], ""
    for block in re.split(r"(?m)^(?=#)", text):
        if len((current + block).encode()) > 8192 and current:
            pieces.append(current)
            current = ""
        current += block
    pieces.append(current)
    for piece in pieces:
        write(out, f"report-{count:03d}", piece.encode())
        count += 1
    fixtures = os.path.join(ROOT, "Tests", "ReportsTests", "Fixtures", "layouts")
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".md"):
            write(out, f"fixture-{name}", open(os.path.join(fixtures, name), "rb").read())
            count += 1
    return count


def query_seeds(out):
    queries = [q["query"] for q in json.load(open(os.path.join(ROOT, "tools", "eval", "queries.json"), encoding="utf-8"))["queries"]]
    queries += [q["q"] for q in json.load(open(os.path.join(ROOT, "tools", "bench", "queries.json"), encoding="utf-8"))["queries"]]
    queries += [c["query"] for c in json.load(open(os.path.join(ROOT, "Tests", "SearchIndexTests", "Fixtures", "searches.json"), encoding="utf-8"))["cases"]]
    queries += ['"产教 融合" -学校 (AI OR VR)', "title:案例 school:广城 year:2022..2024", "kind:case district:番禺", "(((", '"']
    for index, query in enumerate(dict.fromkeys(queries)):
        write(out, f"query-{index:03d}", query.encode())
    return len(set(queries))


def write(out, name, data):
    with open(os.path.join(out, name), "wb") as handle:
        handle.write(data)


if __name__ == "__main__":
    target, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    count = {"report": report_seeds, "query": query_seeds}[target](out)
    print(f"{count} seeds for {target} in {out}", file=sys.stderr)
