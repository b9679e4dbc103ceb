#!/usr/bin/env python3
"""anli's benchmark: anli and its peers on the same units and queries, in
one run, on this machine; ratios printed explicitly (absolute times drift on
shared machines, ratios measured in one run hold).

Measures, per corpus size (×1, then each synthetic ×N of `--copies`, e.g.
`--copies 20,200,2000`, in the order given; `--corpus realistic`, the
default, recombines the report into N reports of generated regions and
years with their own schools, `--corpus copies` copies it N times, the
worst case; see tools/bench/synthetic.py; each size's corpus and indexes
are deleted as soon as its measurements are done; `--skip-peers-above N`
leaves the peers out of sizes above ×N):
  - index build time (median of runs) and size, anli vs every peer;
  - query latency p50/p95/p99 over tools/bench/queries.json after warm-up:
    anli in-process (with and without snippets, and with no record cache),
    the anli daemon over its Unix socket (one keep-alive client), and every
    peer in-process;
  - daemon throughput with 1, 2, 8 and 32 keep-alive clients (`anli
    bench-load`): requests/s, p99, errors; daemon RSS idle and after;
  - relevance of every engine on tools/eval/queries.json (×1 only);
  - how each cost grows with the corpus, engine by engine (per ×10);
  - whether each of the issue's targets holds.
Writes a JSON result file (rewritten after every size, so a run that fails
at a large size keeps the smaller ones) and appends a markdown section to
docs/BENCHMARKS.md.
"""
import argparse
import datetime
import gc
import json
import math
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

    def __init__(self, anli, index, directory, count_cache=None):
        self.anli, self.socket = anli, os.path.join(directory, "anli.sock")
        extra = [] if count_cache is None else ["--count-cache", str(count_cache)]
        self.process = subprocess.Popen([anli, "serve", "--index", index, "--socket", self.socket, "--log-level", "error"] + extra,
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


def sizes_argument(text):
    """`--copies 20,200,2000`: the synthetic sizes, in the order given. 0 (or
    1: ×1 is corpus/ itself, always measured) adds none."""
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            size = int(part)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a corpus size: {part!r}")
        if size < 0:
            raise argparse.ArgumentTypeError(f"a corpus size cannot be negative: {size}")
        if size <= 1:
            continue
        if size in sizes:
            raise argparse.ArgumentTypeError(f"×{size} listed twice")
        sizes.append(size)
    return sizes


def discard(path, scratch):
    """Deletes a corpus, index or file of the run; only ever inside the
    scratch directory (never corpus/)."""
    path = os.path.abspath(path)
    if not path.startswith(os.path.abspath(scratch) + os.sep):
        return
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        os.remove(path)


def save(results, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as out:
        json.dump(results, out, ensure_ascii=False, indent=2)
    os.replace(partial, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anli", required=True)
    parser.add_argument("--copies", type=sizes_argument, default="200",
                        help="synthetic corpus sizes, in reports, comma-separated and measured in this order after ×1 "
                             "(e.g. 20,200,2000; 0: no synthetic corpus)")
    parser.add_argument("--skip-peers-above", type=int, default=0, metavar="N",
                        help="leave the peers out of synthetic sizes above ×N (0: never)")
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
    sizes = [1] + args.copies
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), "commit": commit(), "sizes": sizes,
               "skip_peers_above": args.skip_peers_above, "corpora": []}
    try:
        for copies in sizes:
            with_peers = not (args.skip_peers_above > 0 and copies > args.skip_peers_above)
            entry = measure_size(args, copies, scratch, bench_queries, judged, with_peers)
            results["corpora"].append(entry)
            save(results, args.out)
            print(f"{corpus_label(entry)}: done", file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    save(results, args.out)
    text = markdown(results)
    print(text)
    with open(args.markdown, "a", encoding="utf-8") as out:
        out.write("\n" + text)


def measure_size(args, copies, scratch, bench_queries, judged, with_peers):
    """Every measurement at one size. A synthetic corpus and every index of
    this size live in the scratch directory and are deleted as soon as the
    measurements that need them are done (×2000: a 260 MB corpus, indexes
    of several GB): the corpus and anli's index once anli is measured, each
    peer's index once that peer is."""
    synthetic_corpus = copies > 1
    corpus = os.path.join(scratch, f"synthetic-x{copies}") if synthetic_corpus else os.path.join(ROOT, "corpus")
    index = os.path.join(scratch, f"anli-x{copies}")
    query_file = os.path.join(scratch, f"queries-x{copies}.json")
    try:
        kind = args.corpus if synthetic_corpus else None
        if kind == "realistic":
            synthetic.synthesize_realistic(copies, corpus, seed=args.seed)
        elif kind == "copies":
            synthetic.synthesize(copies, corpus)
        units = units_of(args.anli, corpus)
        entry = {"copies": copies, "synthetic": synthetic_corpus, "units": len(units), "build": {}, "latency": {}, "relevance": {}}
        if kind is not None:
            entry["corpus"] = kind
            if kind == "realistic":
                entry["seed"] = args.seed
        queries = queries_for(kind, copies, args.seed, bench_queries)
        with open(query_file, "w", encoding="utf-8") as out:
            json.dump({"queries": queries}, out, ensure_ascii=False)
        repeats = 3 if copies == 1 else 1
        measure_anli(args, entry, corpus, index, query_file, queries, judged if copies == 1 else None, repeats, scratch)
        discard(index, scratch)
        if synthetic_corpus:
            discard(corpus, scratch)
        if with_peers:
            for peer_class in peers.PEERS:
                directory = os.path.join(scratch, f"{peer_class.name}-x{copies}")
                try:
                    measure_peer(args, peer_class, entry, units, queries, directory, judged if copies == 1 else None, repeats)
                finally:
                    gc.collect()  # the peer's open database, before its files go
                    discard(directory, scratch)
        else:
            entry["peers_skipped"] = [peer_class.name for peer_class in peers.PEERS]
        return entry
    finally:
        discard(index, scratch)
        discard(query_file, scratch)
        if synthetic_corpus:
            discard(corpus, scratch)


def measure_anli(args, entry, corpus, index, query_file, queries, judged, repeats, scratch):
    def build_anli():
        shutil.rmtree(index, ignore_errors=True)
        run([args.anli, "index", "--corpus", corpus, "--index", index])
    seconds = time_build(build_anli, repeats)
    entry["build"]["anli"] = {"seconds": seconds, "bytes": directory_size(os.path.join(index, os.readlink(os.path.join(index, "current"))))}
    # Every timed run counts its matches (--count-cache 0): the rounds
    # repeat the same queries, and kept counts would time a second asking.
    # "anli-count-cache" is that second asking (the next page, a query
    # asked again), with the default count cache.
    for label, snippet, cache, counts in (("anli", 120, None, 0), ("anli-no-snippets", 0, None, 0), ("anli-uncached", 120, 0, 0),
                                          ("anli-count-cache", 120, None, None)):
        command = [args.anli, "bench-queries", "--index", index, "--queries", query_file,
                   "--repeat", str(args.repeat), "--warmup", str(args.warmup), "--snippet", str(snippet)]
        if cache is not None:
            command += ["--record-cache", str(cache)]
        if counts is not None:
            command += ["--count-cache", str(counts)]
        timed = json.loads(run(command).stdout)
        entry["latency"][label] = latency_summary([r for q in timed for r in q["runs"]])
    # The daemon: the same queries over the socket, one keep-alive
    # client (latency), then 1/2/8/32 clients (throughput).
    daemon = Daemon(args.anli, index, scratch, count_cache=0)
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
    # 8 clients again with the daemon's default count cache (kept counts).
    daemon = Daemon(args.anli, index, scratch)
    try:
        entry["daemon"]["throughput_count_cache"] = {"8": daemon.load(query_file, 8, args.load_requests)}
    finally:
        daemon.stop()
    if judged is not None:
        rows = score.score(lambda q: score.anli_search(args.anli, index, q), judged)
        entry["relevance"]["anli"] = score.summarise(rows)


def measure_peer(args, peer_class, entry, units, queries, directory, judged, repeats):
    peer = peer_class()
    def build_peer():
        shutil.rmtree(directory, ignore_errors=True)
        peer.build(units, directory)
    seconds = time_build(build_peer, repeats)
    entry["build"][peer.name] = {"seconds": seconds, "bytes": directory_size(directory)}
    runs, errors = time_queries(lambda q: peer.search(q["q"]), queries, args.warmup, args.repeat)
    entry["latency"][peer.name] = dict(latency_summary(runs), errors=errors)
    if judged is not None:
        def peer_search(query):
            try:
                return peer.search(query["query"], 20), None
            except Exception as error:  # a query the peer cannot parse
                return [], str(error)
        entry["relevance"][peer.name] = score.summarise(score.score(peer_search, judged))


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


DASH = "—"


def number(value, digits=0):
    """A cell: the value, or — when it was not measured."""
    return DASH if value is None else f"{value:.{digits}f}"


def quotient(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def peer_names(results):
    """Every peer any size measured, in the order first seen: a peer left
    out of a size still gets its row there, with —."""
    names = []
    for corpus in results["corpora"]:
        for engines in (corpus["build"], corpus["latency"], corpus.get("relevance", {})):
            for engine in engines:
                if not engine.startswith("anli") and engine not in names:
                    names.append(engine)
    return names


def measure_of(corpus, engine, key):
    """build s, size MB, p50 µs, p95 µs or 8-client req/s of one engine at
    one size; None when not measured."""
    build = corpus["build"].get(engine, {})
    latency = corpus["latency"].get(engine, {})
    if key == "build_s":
        return build.get("seconds")
    if key == "size_mb":
        return None if build.get("bytes") is None else build["bytes"] / 1048576
    if key in ("p50_us", "p95_us"):
        return latency.get(key)
    if key == "rps8":
        if engine != "anli":
            return None
        return corpus.get("daemon", {}).get("throughput", {}).get("8", {}).get("requests_per_second")
    raise KeyError(key)


def growth_per_ten(value_a, value_b, size_a, size_b):
    """How much a measure multiplies by per ×10 of the corpus between sizes
    a and b: (value_b / value_a) ** (1 / log10(b / a))."""
    if not value_a or not value_b or value_a <= 0 or value_b <= 0 or size_b == size_a:
        return None
    return (value_b / value_a) ** (1 / math.log10(size_b / size_a))


def markdown(results):
    lines = [f"## {results['date']} · commit {results['commit']} · {results['machine']['cores']} cores, {results['machine']['cpu']}", "",
             "Reproduce: `tools/bench/run` (see the top of this file).", ""]
    names = peer_names(results)
    skip = results.get("skip_peers_above", 0)
    sizes = ", ".join(f"×{corpus['copies']}" for corpus in results["corpora"])
    lines += [f"Sizes: {sizes}" + (f"; peers left out above ×{skip} (`--skip-peers-above {skip}`)." if skip else "."), ""]
    for corpus in results["corpora"]:
        lines += [f"### Corpus {corpus_label(corpus)}: {corpus['units']} units", "", "| engine | build s | size MB | p50 µs | p95 µs | p99 µs | errors |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        latency = corpus["latency"]
        engines = [engine for engine in latency if engine.startswith("anli")] + names
        for engine in engines:
            build = corpus["build"].get("anli" if engine.startswith("anli") else engine, {})
            timing = latency.get(engine)
            if timing is None and not build:
                lines.append(f"| {engine} | " + " | ".join([DASH] * 6) + " |")
                continue
            timing = timing or {}
            size = None if build.get("bytes") is None else build["bytes"] / 1048576
            lines.append(f"| {engine} | {number(build.get('seconds'), 2)} | {number(size, 1)} | {number(timing.get('p50_us'))} | "
                         f"{number(timing.get('p95_us'))} | {number(timing.get('p99_us'))} | {timing.get('errors', 0) if timing else DASH} |")
        anli = latency.get("anli", {}).get("p50_us")
        bare = latency.get("anli-no-snippets", {}).get("p50_us")
        lines.append("")
        if corpus.get("peers_skipped"):
            lines.append(f"- peers not measured at this size: {', '.join(corpus['peers_skipped'])}")
        if "anli-daemon" in latency:
            daemon, daemon_bare = latency["anli-daemon"], latency.get("anli-daemon-no-snippets", {})
            lines.append(f"- p50 daemon/in-process: {number(quotient(daemon.get('p50_us'), anli), 2)} with snippets, "
                         f"{number(quotient(daemon_bare.get('p50_us'), bare), 2)} without (daemon's own took_us p50: "
                         f"{number(daemon.get('took_p50_us'))} µs, {number(daemon_bare.get('took_p50_us'))} µs)")
            lines.append(f"- p50 uncached/cached records: {number(quotient(latency.get('anli-uncached', {}).get('p50_us'), anli), 2)}")
            kept = latency.get("anli-count-cache", {})
            if kept:
                lines.append(f"- with kept counts (the same request asked again, the next page; `--count-cache`): p50 {number(kept.get('p50_us'))} µs, "
                             f"p95 {number(kept.get('p95_us'))} µs ({number(quotient(kept.get('p50_us'), anli), 2)}× the counted p50)")
        anli_build = corpus["build"].get("anli", {}).get("seconds")
        for engine in names:
            peer = latency.get(engine, {}).get("p50_us")
            peer_build = corpus["build"].get(engine, {}).get("seconds")
            lines.append(f"- p50 anli/{engine}: {number(quotient(anli, peer), 2)} with snippets, {number(quotient(bare, peer), 2)} without; "
                         f"build anli/{engine}: {number(quotient(anli_build, peer_build), 2)}")
        if "daemon" in corpus:
            daemon = corpus["daemon"]
            lines += ["", "| daemon clients | requests | req/s | p50 µs | p99 µs | errors |", "| --- | --- | --- | --- | --- | --- |"]
            for clients, result in daemon["throughput"].items():
                lines.append(f"| {clients} | {result['requests']} | {result['requests_per_second']:.0f} | {result['p50_us']:.0f} | "
                             f"{result['p99_us']:.0f} | {result['errors']} |")
            kept = daemon.get("throughput_count_cache", {}).get("8")
            if kept:
                lines += ["", f"- 8 clients with the daemon's count cache (kept counts): {kept['requests_per_second']:.0f} req/s, "
                              f"p50 {kept['p50_us']:.0f} µs, {kept['errors']} errors"]
            lines += ["", f"- daemon RSS: {number(daemon.get('rss_idle_mb'), 1)} MB idle, "
                          f"{number(daemon.get('rss_after_mb'), 1)} MB after the throughput runs"]
        if corpus.get("relevance"):
            relevance = corpus["relevance"]
            engines = [engine for engine in relevance if engine.startswith("anli")] + names
            lines += ["", "| engine | nDCG@10 | recall@20 | MRR | nothing pass |", "| --- | --- | --- | --- | --- |"]
            for engine in engines:
                if engine not in relevance:
                    lines.append(f"| {engine} | {DASH} | {DASH} | {DASH} | {DASH} |")
                    continue
                overall = relevance[engine]["overall"]
                lines.append(f"| {engine} | {overall['ndcg10']:.3f} | {overall['recall20']:.3f} | {overall['mrr']:.3f} | {overall['nothing_pass']:.2f} |")
            # nDCG@10 per category, engine by engine (pass rate for "nothing").
            categories = [c for c in next(iter(relevance.values())) if c != "overall"]
            lines += ["", "| category | " + " | ".join(engines) + " |", "| --- |" + " --- |" * len(engines)]
            for category in categories:
                cells = []
                for engine in engines:
                    values = relevance.get(engine, {}).get(category)
                    if values is None:
                        cells.append(DASH)
                    else:
                        cells.append(f"{values['pass']:.2f} pass" if category == "nothing" else f"{values['ndcg10']:.3f}")
                lines.append(f"| {category} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += growth(results)
    lines += targets(results)
    return "\n".join(lines)


def growth(results):
    """Cost growth: every engine's costs at every size, then per engine how
    much each cost multiplies by per ×10 of the corpus between consecutive
    sizes."""
    corpora = sorted(results["corpora"], key=lambda corpus: corpus["copies"])
    if len(corpora) < 2:
        return []
    measures = (("build_s", "build s", 2, "build"), ("size_mb", "size MB", 1, "size"), ("p50_us", "p50 µs", 0, "p50"),
                ("p95_us", "p95 µs", 0, "p95"), ("rps8", "daemon req/s, 8 clients", 0, "req/s"))
    engines = ["anli"] + peer_names(results)
    lines = ["### Cost growth", "",
             "In-process p50/p95 (anli: exact total, requested facets, ten snippets; peers: top ten ids); "
             "daemon throughput with 8 keep-alive clients, anli only.", "",
             "| engine | corpus | units | " + " | ".join(label for _, label, _, _ in measures) + " |",
             "| --- | --- | --- |" + " --- |" * len(measures)]
    for engine in engines:
        for corpus in corpora:
            cells = [number(measure_of(corpus, engine, key), digits) for key, _, digits, _ in measures]
            lines.append(f"| {engine} | ×{corpus['copies']} | {corpus['units']} | " + " | ".join(cells) + " |")
    lines += ["", "Growth per ×10 of the corpus between consecutive sizes a → b: (value at b / value at a) ^ (1 / log10(b / a)); "
                  "10 = grows in proportion to the corpus, 1 = flat (for req/s, below 1 = falls); — where a size was not measured.", ""]
    for engine in engines:
        parts = []
        for a, b in zip(corpora, corpora[1:]):
            factors = []
            for key, _, _, short in measures:
                if key == "rps8" and engine != "anli":
                    continue
                factor = growth_per_ten(measure_of(a, engine, key), measure_of(b, engine, key), a["copies"], b["copies"])
                factors.append(f"{short} {number(factor, 2)}")
            parts.append(f"×{a['copies']} → ×{b['copies']}: " + ", ".join(factors))
        lines.append(f"- {engine}, growth per ×10: " + "; ".join(parts))
    return lines + [""]


def targets(results):
    """The targets of issue 11, each with whether it holds in this run; a
    target at a size this run did not measure is left out, one against a
    peer not measured at that size is shown with —."""
    by_copies = {corpus["copies"]: corpus for corpus in results["corpora"]}
    rows = []
    def row(name, value, holds):
        status = DASH if holds is None else ("holds" if holds else "MISSED")
        rows.append(f"| {name} | {value} | {status} |")
    def latency(corpus, engine, key):
        return corpus["latency"].get(engine, {}).get(key)
    def build(corpus, engine, key):
        return corpus["build"].get(engine, {}).get(key)
    def versus(name, corpus, anli, peer, peer_name, bound, unit, format_value):
        """anli ≤ bound × peer."""
        if anli is None:
            row(name, "anli not measured", None)
        elif peer is None:
            row(name, f"{format_value(anli)} {unit}; {peer_name} not measured at ×{corpus['copies']}", None)
        else:
            row(name, f"{format_value(anli)} vs {format_value(peer)} {unit} ({number(quotient(anli, peer), 2)}×)", anli <= bound * peer)
    def eight_clients(corpus):
        return corpus.get("daemon", {}).get("throughput", {}).get("8")
    whole = lambda value: f"{value:.0f}"
    tenth = lambda value: f"{value:.1f}"

    medium = by_copies.get(200)
    if medium:
        versus("×200 in-process p50 ≤ tantivy-ngram p50 (anli: exact total, requested facets, 10 snippets)", medium,
               latency(medium, "anli", "p50_us"), latency(medium, "tantivy-ngram", "p50_us"), "tantivy-ngram", 1, "µs", whole)
        versus("×200 in-process p95 ≤ 2× tantivy-ngram p95", medium,
               latency(medium, "anli", "p95_us"), latency(medium, "tantivy-ngram", "p95_us"), "tantivy-ngram", 2, "µs", whole)
        eight = eight_clients(medium)
        if eight:
            row("×200 daemon, 8 keep-alive clients: ≥ 2,000 requests/s, 0 errors",
                f"{eight['requests_per_second']:.0f} req/s, {eight['errors']} errors",
                eight["requests_per_second"] >= 2000 and eight["errors"] == 0)
    one = by_copies.get(1)
    if one:
        eight = eight_clients(one)
        if eight:
            row("×1 daemon, 8 clients: ≥ 6,000 requests/s", f"{eight['requests_per_second']:.0f} req/s, {eight['errors']} errors",
                eight["requests_per_second"] >= 6000)
    if medium:
        versus("×200 build ≤ 0.5× xapian-python's", medium,
               build(medium, "anli", "seconds"), build(medium, "xapian-python", "seconds"), "xapian-python", 0.5, "s", tenth)
        versus("×200 build ≤ 5× tantivy-ngram's", medium,
               build(medium, "anli", "seconds"), build(medium, "tantivy-ngram", "seconds"), "tantivy-ngram", 5, "s", tenth)
        megabytes = lambda value: None if value is None else value / 1048576
        versus("×200 index size ≤ xapian-python's", medium,
               megabytes(build(medium, "anli", "bytes")), megabytes(build(medium, "xapian-python", "bytes")), "xapian-python", 1, "MB", tenth)
    large = by_copies.get(2000)
    if large:
        seconds = build(large, "anli", "seconds")
        if seconds is not None:
            row("×2000 build ≤ 600 s", f"{seconds:.1f} s", seconds <= 600)
        p50, p95 = latency(large, "anli", "p50_us"), latency(large, "anli", "p95_us")
        if p50 is not None:
            row("×2000 in-process p50 ≤ 5 ms", f"{p50 / 1000:.2f} ms", p50 <= 5000)
        if p95 is not None:
            row("×2000 in-process p95 ≤ 50 ms", f"{p95 / 1000:.2f} ms", p95 <= 50000)
        daemon = large.get("daemon", {})
        measured = [daemon[key] for key in ("rss_idle_mb", "rss_after_mb") if daemon.get(key) is not None]
        if measured:
            rss = max(measured)
            row("×2000 daemon RSS (max of idle and after) ≤ 250 MB", f"{rss:.1f} MB", rss <= 250)
    if one and "anli" in one.get("relevance", {}):
        overall = one["relevance"]["anli"]["overall"]
        # Compared at the precision the bar is written in (0.898).
        row("relevance (×1): anli nDCG@10 ≥ 0.898", f"{overall['ndcg10']:.3f}", round(overall["ndcg10"], 3) >= 0.898)
        row("relevance (×1): anli nothing pass = 1.00", f"{overall['nothing_pass']:.2f}", overall["nothing_pass"] >= 1 - 1e-9)
    if not rows:
        return []
    return ["### Targets", "", "| target | this run | |", "| --- | --- | --- |"] + rows + [""]


if __name__ == "__main__":
    main()
