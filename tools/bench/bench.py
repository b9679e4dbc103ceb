#!/usr/bin/env python3
"""anli's benchmark: anli and its peers on the same units and queries, in
one run, on this machine; ratios printed explicitly (absolute times drift on
shared machines, ratios measured in one run hold).

Measures, per corpus size (×1 and a synthetic ×N; `--corpus realistic`,
the default, recombines the report into N reports of generated regions and
years with their own schools, `--corpus copies` copies it N times, the
worst case; see tools/bench/synthetic.py):
  - index build time (median of runs) and size, anli vs every peer;
  - query latency p50/p95/p99 over tools/bench/queries.json after warm-up:
    anli in-process (with and without snippets, and with no record cache),
    the anli daemon over its Unix socket (one keep-alive client), and every
    peer in-process;
  - daemon throughput with 1, 2, 8 and 32 keep-alive clients (`anli
    bench-load`): requests/s, p99, errors; daemon RSS idle and after;
  - relevance of every engine on tools/eval/queries.json (×1 only);
  - whether each of the issue's targets holds.
Writes a JSON result file and appends a markdown section to docs/BENCHMARKS.md.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import socket as socketlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "eval"))

import peers  # noqa: E402
import score  # noqa: E402
import synthetic  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    if not values:
        return 0.0
    index = min(len(values) - 1, max(0, int(round(p / 100.0 * (len(values) - 1)))))
    return values[index]


def run(args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


def units_of(anli, corpus):
    output = run([anli, "parse", corpus, "--json"]).stdout
    return [json.loads(line) for line in output.splitlines()]


def time_build(build, repeats):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        build()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def directory_size(path):
    total = 0
    for folder, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
    return total


def time_queries(search, queries, warmup, repeats):
    """Rounds over the whole query file (as `anli bench-queries` does): a
    stream of different queries, not one query with every cache hot."""
    runs, failing = [], set()
    for round in range(warmup + repeats):
        for index, query in enumerate(queries):
            if index in failing:
                continue
            try:
                started = time.perf_counter_ns()
                search(query)
                elapsed = time.perf_counter_ns() - started
            except Exception:
                failing.add(index)
                continue
            if round >= warmup:
                runs.append(elapsed)
    return runs, len(failing)


class Daemon:
    """`anli serve` on a socket in a scratch directory, for the daemon rows."""

    def __init__(self, anli, index, directory):
        self.anli, self.socket = anli, os.path.join(directory, "anli.sock")
        self.process = subprocess.Popen([anli, "serve", "--index", index, "--socket", self.socket, "--log-level", "error"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"anli serve exited: {self.process.stderr.read().decode()}")
            try:
                probe = socketlib.socket(socketlib.AF_UNIX)
                probe.connect(self.socket)
                probe.close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("anli serve did not start")

    def rss_mb(self):
        for line in open(f"/proc/{self.process.pid}/status", encoding="utf-8"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def load(self, queries, clients, requests, snippet=120, warmup=20):
        output = subprocess.run([self.anli, "bench-load", "--socket", self.socket, "--queries", queries, "--clients", str(clients),
                                 "--requests", str(requests), "--warmup", str(warmup), "--snippet", str(snippet)],
                                capture_output=True, text=True)
        if not output.stdout.strip():
            raise RuntimeError(f"bench-load failed: {output.stderr}")
        return json.loads(output.stdout)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def queries_for(kind, copies, seed, queries):
    """The benchmark's queries for one corpus. They are written against
    corpus/, whose gazetteer the identical copies share; a realistic corpus
    has other schools (a school filter naming none of them is an error), so
    every seed school name, in the query text and in the school filter,
    becomes the name the corpus's first report gives that school."""
    if kind != "realistic":
        return queries
    names = synthetic.seed_names(copies, seed)
    expression = re.compile("|".join(re.escape(name) for name in sorted(names, key=lambda name: (-len(name), name))))
    def rename(text):
        return expression.sub(lambda match: names[match.group(0)], text)
    translated = []
    for query in queries:
        query = dict(query, q=rename(query["q"]))
        if "school" in query.get("filters", {}):
            query["filters"] = dict(query["filters"], school=[rename(value) for value in query["filters"]["school"]])
        translated.append(query)
    return translated


def corpus_label(corpus):
    """`×1`, `×200 (synthetic: realistic, seed 1)`, `×200 (synthetic: identical copies)`."""
    label = f"×{corpus['copies']}"
    if not corpus["synthetic"]:
        return label
    if corpus.get("corpus", "copies") == "realistic":
        return label + f" (synthetic: realistic, seed {corpus['seed']})"
    return label + " (synthetic: identical copies)"


def latency_summary(runs):
    return {"p50_us": percentile(runs, 50) / 1000, "p95_us": percentile(runs, 95) / 1000,
            "p99_us": percentile(runs, 99) / 1000, "runs": len(runs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anli", required=True)
    parser.add_argument("--copies", type=int, default=200, help="size of the synthetic corpus, in reports (0: skip it)")
    parser.add_argument("--corpus", choices=("realistic", "copies"), default="realistic",
                        help="synthetic corpus: recombined reports of generated regions, or identical copies")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="random seed of the realistic corpus")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--load-requests", type=int, default=5000, help="requests per throughput run")
    parser.add_argument("--out", default=os.path.join(ROOT, ".build-bench", "results.json"))
    parser.add_argument("--markdown", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    args = parser.parse_args()

    bench_queries = json.load(open(os.path.join(HERE, "queries.json"), encoding="utf-8"))["queries"]
    judged = json.load(open(os.path.join(ROOT, "tools", "eval", "queries.json"), encoding="utf-8"))["queries"]
    scratch = tempfile.mkdtemp(prefix="anli-bench-")
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "commit": commit(), "corpora": []}
    try:
        sizes = [1] + ([args.copies] if args.copies > 1 else [])
        for copies in sizes:
            corpus = os.path.join(ROOT, "corpus") if copies == 1 else os.path.join(scratch, f"synthetic-x{copies}")
            kind = None if copies == 1 else args.corpus
            if kind == "realistic":
                synthetic.synthesize_realistic(copies, corpus, seed=args.seed)
            elif kind == "copies":
                synthetic.synthesize(copies, corpus)
            units = units_of(args.anli, corpus)
            entry = {"copies": copies, "synthetic": copies > 1, "units": len(units), "build": {}, "latency": {}, "relevance": {}}
            if kind is not None:
                entry["corpus"] = kind
                if kind == "realistic":
                    entry["seed"] = args.seed
            queries = queries_for(kind, copies, args.seed, bench_queries)
            query_file = os.path.join(scratch, f"queries-x{copies}.json")
            with open(query_file, "w", encoding="utf-8") as out:
                json.dump({"queries": queries}, out, ensure_ascii=False)
            repeats = 3 if copies == 1 else 1
            # anli
            index = os.path.join(scratch, f"anli-x{copies}")
            def build_anli():
                shutil.rmtree(index, ignore_errors=True)
                run([args.anli, "index", "--corpus", corpus, "--index", index])
            seconds = time_build(build_anli, repeats)
            entry["build"]["anli"] = {"seconds": seconds, "bytes": directory_size(os.path.join(index, os.readlink(os.path.join(index, "current"))))}
            for label, snippet, cache in (("anli", 120, None), ("anli-no-snippets", 0, None), ("anli-uncached", 120, 0)):
                command = [args.anli, "bench-queries", "--index", index, "--queries", query_file,
                           "--repeat", str(args.repeat), "--warmup", str(args.warmup), "--snippet", str(snippet)]
                if cache is not None:
                    command += ["--record-cache", str(cache)]
                timed = json.loads(run(command).stdout)
                entry["latency"][label] = latency_summary([r for q in timed for r in q["runs"]])
            # The daemon: the same queries over the socket, one keep-alive
            # client (latency), then 1/2/8/32 clients (throughput).
            daemon = Daemon(args.anli, index, scratch)
            try:
                entry["daemon"] = {"rss_idle_mb": daemon.rss_mb(), "throughput": {}}
                rounds = len(queries) * args.repeat
                for label, snippet in (("anli-daemon", 120), ("anli-daemon-no-snippets", 0)):
                    result = daemon.load(query_file, 1, rounds, snippet=snippet, warmup=len(queries) * args.warmup)
                    entry["latency"][label] = {"p50_us": result["p50_us"], "p95_us": result["p95_us"], "p99_us": result["p99_us"],
                                               "runs": result["requests"], "errors": result["errors"], "took_p50_us": result["took_p50_us"]}
                for clients in (1, 2, 8, 32):
                    entry["daemon"]["throughput"][str(clients)] = daemon.load(query_file, clients, args.load_requests)
                entry["daemon"]["rss_after_mb"] = daemon.rss_mb()
            finally:
                daemon.stop()
            if copies == 1:
                rows = score.score(lambda q: score.anli_search(args.anli, index, q), judged)
                entry["relevance"]["anli"] = score.summarise(rows)
            # peers
            for peer_class in peers.PEERS:
                peer = peer_class()
                directory = os.path.join(scratch, f"{peer.name}-x{copies}")
                def build_peer():
                    shutil.rmtree(directory, ignore_errors=True)
                    peer.build(units, directory)
                seconds = time_build(build_peer, repeats)
                entry["build"][peer.name] = {"seconds": seconds, "bytes": directory_size(directory)}
                runs, errors = time_queries(lambda q: peer.search(q["q"]), queries, args.warmup, args.repeat)
                entry["latency"][peer.name] = dict(latency_summary(runs), errors=errors)
                if copies == 1:
                    def peer_search(query, peer=peer):
                        try:
                            return peer.search(query["query"], 20), None
                        except Exception as error:  # a query the peer cannot parse
                            return [], str(error)
                    entry["relevance"][peer.name] = score.summarise(score.score(peer_search, judged))
            results["corpora"].append(entry)
            print(f"{corpus_label(entry)}: done", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    json.dump(results, open(args.out, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    text = markdown(results)
    print(text)
    with open(args.markdown, "a", encoding="utf-8") as out:
        out.write("\n" + text)


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "system": platform.platform()}


def commit():
    try:
        return run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
    except Exception:
        return "unknown"


def markdown(results):
    lines = [f"## {results['date']} · commit {results['commit']} · {results['machine']['cores']} cores, {results['machine']['cpu']}", "",
             "Reproduce: `tools/bench/run` (see the top of this file).", ""]
    for corpus in results["corpora"]:
        lines += [f"### Corpus {corpus_label(corpus)}: {corpus['units']} units", "", "| engine | build s | size MB | p50 µs | p95 µs | p99 µs | errors |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for engine, latency in corpus["latency"].items():
            build = corpus["build"].get(engine.split("-")[0] if engine.startswith("anli") else engine, {})
            lines.append(f"| {engine} | {build.get('seconds', 0):.2f} | {build.get('bytes', 0) / 1048576:.1f} | {latency['p50_us']:.0f} | "
                         f"{latency['p95_us']:.0f} | {latency['p99_us']:.0f} | {latency.get('errors', 0)} |")
        anli = corpus["latency"]["anli"]["p50_us"]
        bare = corpus["latency"]["anli-no-snippets"]["p50_us"]
        lines.append("")
        latency = corpus["latency"]
        if "anli-daemon" in latency:
            lines.append(f"- p50 daemon/in-process: {latency['anli-daemon']['p50_us'] / anli:.2f} with snippets, "
                         f"{latency['anli-daemon-no-snippets']['p50_us'] / bare:.2f} without (daemon's own took_us p50: "
                         f"{latency['anli-daemon']['took_p50_us']:.0f} µs, {latency['anli-daemon-no-snippets']['took_p50_us']:.0f} µs)")
            lines.append(f"- p50 uncached/cached records: {latency['anli-uncached']['p50_us'] / anli:.2f}")
        for engine, latency in corpus["latency"].items():
            if engine.startswith("anli"):
                continue
            lines.append(f"- p50 anli/{engine}: {anli / latency['p50_us']:.2f} with snippets, {bare / latency['p50_us']:.2f} without; "
                         f"build anli/{engine}: {corpus['build']['anli']['seconds'] / corpus['build'][engine]['seconds']:.2f}")
        if "daemon" in corpus:
            daemon = corpus["daemon"]
            lines += ["", "| daemon clients | requests | req/s | p50 µs | p99 µs | errors |", "| --- | --- | --- | --- | --- | --- |"]
            for clients, result in daemon["throughput"].items():
                lines.append(f"| {clients} | {result['requests']} | {result['requests_per_second']:.0f} | {result['p50_us']:.0f} | "
                             f"{result['p99_us']:.0f} | {result['errors']} |")
            lines += ["", f"- daemon RSS: {daemon['rss_idle_mb']:.1f} MB idle, {daemon['rss_after_mb']:.1f} MB after the throughput runs"]
        if corpus["relevance"]:
            lines += ["", "| engine | nDCG@10 | recall@20 | MRR | nothing pass |", "| --- | --- | --- | --- | --- |"]
            for engine, summary in corpus["relevance"].items():
                overall = summary["overall"]
                lines.append(f"| {engine} | {overall['ndcg10']:.3f} | {overall['recall20']:.3f} | {overall['mrr']:.3f} | {overall['nothing_pass']:.2f} |")
            # nDCG@10 per category, engine by engine (pass rate for "nothing").
            engines = list(corpus["relevance"])
            categories = [c for c in next(iter(corpus["relevance"].values())) if c != "overall"]
            lines += ["", "| category | " + " | ".join(engines) + " |", "| --- |" + " --- |" * len(engines)]
            for category in categories:
                cells = []
                for engine in engines:
                    values = corpus["relevance"][engine][category]
                    cells.append(f"{values['pass']:.2f} pass" if category == "nothing" else f"{values['ndcg10']:.3f}")
                lines.append(f"| {category} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += targets(results)
    return "\n".join(lines)


def targets(results):
    """The issue's targets, each with whether it holds in this run."""
    by_copies = {corpus["copies"]: corpus for corpus in results["corpora"]}
    one = by_copies.get(1)
    if not one or "daemon" not in one:
        return []
    latency, build = one["latency"], one["build"]
    rows = []
    def row(name, value, holds):
        rows.append(f"| {name} | {value} | {'holds' if holds else 'MISSED'} |")
    ratio = latency["anli-daemon"]["p50_us"] / latency["anli"]["p50_us"]
    row("daemon p50 ≤ 1.5× in-process p50 (×1, snippets)", f"{ratio:.2f}×", ratio <= 1.5)
    for label, key in (("with snippets", "anli"), ("without snippets", "anli-no-snippets")):
        anli = latency[key]["p50_us"]
        xapian, tantivy = latency["xapian-python"]["p50_us"], latency["tantivy-ngram"]["p50_us"]
        row(f"in-process p50 ≤ Xapian-Python p50 (×1, {label})", f"{anli:.0f} vs {xapian:.0f} µs ({anli / xapian:.2f}×)", anli <= xapian)
        row(f"in-process p50 ≤ 1.5× tantivy p50 (×1, {label})", f"{anli:.0f} vs {tantivy:.0f} µs ({anli / tantivy:.2f}×)", anli <= 1.5 * tantivy)
    eight = one["daemon"]["throughput"]["8"]
    row("≥ 5,000 requests/s with 8 clients (×1), 0 errors", f"{eight['requests_per_second']:.0f} req/s, {eight['errors']} errors",
        eight["requests_per_second"] >= 5000 and eight["errors"] == 0)
    rss = max(one["daemon"]["rss_idle_mb"], one["daemon"]["rss_after_mb"])
    row("daemon RSS ≤ 60 MB (×1)", f"{rss:.1f} MB", rss <= 60)
    large = [corpus for corpus in results["corpora"] if corpus["copies"] > 1]
    if large:
        corpus = large[-1]
        anli = corpus["build"]["anli"]["seconds"]
        xapian, tantivy = corpus["build"]["xapian-python"]["seconds"], corpus["build"]["tantivy-ngram"]["seconds"]
        row(f"×{corpus['copies']} build ≥ 4× faster than Xapian-Python", f"{anli:.1f} vs {xapian:.1f} s ({xapian / anli:.2f}× faster)", xapian / anli >= 4)
        row(f"×{corpus['copies']} build within 2× of tantivy", f"{anli:.1f} vs {tantivy:.1f} s ({anli / tantivy:.2f}×)", anli <= 2 * tantivy)
    return ["### Targets", "", "| target | this run | |", "| --- | --- | --- |"] + rows + [""]


if __name__ == "__main__":
    main()
