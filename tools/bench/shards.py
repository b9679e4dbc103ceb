#!/usr/bin/env python3
"""Local shards against remote shards (issue 14): one command, one corpus.

For a realistic synthetic corpus of N reports (tools/bench/synthetic.py),
builds the index as one database and in each shard count asked for; serves
each sharded build's shards with stock `xapian-tcpsrv` processes on
127.0.0.1 (one per shard, as separate hosts would) and describes them with
a stub of `remote 127.0.0.1:PORT` lines. Then, for every configuration —
one database, local shards, remote shards — in one run on the same
machine:
  - in-process latency p50/p95 over tools/bench/queries.json
    (`anli bench-queries`, every match counted: --count-cache 0);
  - daemon throughput with 8 keep-alive clients (`anli bench-load`).
Prints a markdown table with each configuration's ratio to one database.

    tools/bench/shards.py --anli .build/release/anli [--copies 2000] [--shards 2,4]
                          [--baseline OTHER_ANLI]

--baseline measures the remote configurations with another anli binary as
well (same index schema), in the same run: a change's effect as a ratio.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402
import synthetic  # noqa: E402


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ShardServers:
    """One xapian-tcpsrv per shard, each in its own process group (it forks
    per connection and ignores SIGTERM)."""

    def __init__(self, revision, shards, scratch):
        self.processes, ports = [], []
        for shard in range(shards):
            port = free_port()
            self.processes.append(subprocess.Popen(
                ["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port), "--idle-timeout", "0", "--quiet",
                 os.path.join(revision, f"shard-{shard}")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True))
            ports.append(port)
        for port in ports:
            deadline = time.time() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"xapian-tcpsrv did not listen on {port}")
                    time.sleep(0.05)
        self.description = tempfile.mkdtemp(prefix="remote-", dir=scratch)
        with open(os.path.join(self.description, "XAPIANDB"), "w", encoding="utf-8") as stub:
            stub.writelines(f"remote 127.0.0.1:{port}\n" for port in ports)

    def stop(self):
        for process in self.processes:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(args, anli, index, query_file, queries, scratch):
    timed = json.loads(bench.run([anli, "bench-queries", "--index", index, "--queries", query_file, "--repeat", str(args.repeat),
                                  "--warmup", str(args.warmup), "--count-cache", "0"]).stdout)
    result = bench.latency_summary([r for q in timed for r in q["runs"]])
    daemon = bench.Daemon(anli, index, scratch, count_cache=0)
    try:
        result["eight_clients"] = daemon.load(query_file, 8, args.load_requests)
    finally:
        daemon.stop()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anli", required=True)
    parser.add_argument("--copies", type=int, default=2000, help="reports in the realistic synthetic corpus")
    parser.add_argument("--shards", default="2,4", help="shard counts, comma-separated")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--load-requests", type=int, default=2000)
    parser.add_argument("--baseline", help="another anli binary to measure the remote configurations with too")
    args = parser.parse_args()
    shard_counts = [int(part) for part in args.shards.split(",") if part.strip()]

    scratch = tempfile.mkdtemp(prefix="anli-shards-")
    servers = []
    try:
        corpus = os.path.join(scratch, "corpus")
        synthetic.synthesize_realistic(args.copies, corpus, seed=args.seed)
        queries = bench.queries_for("realistic", args.copies, args.seed,
                                    json.load(open(os.path.join(HERE, "queries.json"), encoding="utf-8"))["queries"])
        query_file = os.path.join(scratch, "queries.json")
        json.dump({"queries": queries}, open(query_file, "w", encoding="utf-8"), ensure_ascii=False)

        configurations = []
        for shards in [1] + shard_counts:
            index = os.path.join(scratch, f"index-{shards}")
            started = time.time()
            bench.run([args.anli, "index", "--corpus", corpus, "--index", index, "--shards", str(shards)])
            print(f"built {shards} shard(s) in {time.time() - started:.0f} s", file=sys.stderr)
            configurations.append((f"{shards} local" if shards > 1 else "1 database", args.anli, index))
            if shards > 1:
                revision = os.path.realpath(os.path.join(index, "current"))
                server = ShardServers(revision, shards, scratch)
                servers.append(server)
                configurations.append((f"{shards} remote (loopback)", args.anli, server.description))
                if args.baseline:
                    configurations.append((f"{shards} remote (loopback), baseline", args.baseline, server.description))

        results = {}
        for label, anli, index in configurations:
            results[label] = measure(args, anli, index, query_file, queries, scratch)
            print(f"{label}: done", file=sys.stderr)
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(scratch, ignore_errors=True)

    base = results["1 database"]
    machine = bench.machine()
    lines = [f"### Shards: ×{args.copies} (synthetic: realistic, seed {args.seed}), {bench.commit()}", "",
             f"{machine['cores']} cores ({machine['cpu']}); bench-queries --repeat {args.repeat} --count-cache 0; bench-load 8 clients, {args.load_requests} requests, --count-cache 0.", "",
             "| configuration | p50 µs | p95 µs | p50 ratio | p95 ratio | 8 clients req/s | req/s ratio | errors |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for label, result in results.items():
        throughput = result["eight_clients"]["requests_per_second"]
        base_throughput = base["eight_clients"]["requests_per_second"]
        lines.append(f"| {label} | {result['p50_us']:.0f} | {result['p95_us']:.0f} | {result['p50_us'] / base['p50_us']:.2f} | "
                     f"{result['p95_us'] / base['p95_us']:.2f} | {throughput:.0f} | {throughput / base_throughput:.2f} | {result['eight_clients']['errors']} |")
    print("\n".join(lines))
    print(json.dumps(results, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
