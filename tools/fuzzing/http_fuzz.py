#!/usr/bin/env python3
"""Black-box fuzzer for the daemon's HTTP request path: mutated requests as
raw bytes on the Unix socket of a real `anli serve` (NIO's decoder, our
protocol-error responder, form decoding, routing, parameters, the search).

libFuzzer cannot drive the daemon in-process here (SwiftNIO is built by
SwiftPM, not by the swiftc line tools/fuzz uses), so this is the
equivalent: seeded mutations of real requests (bit flips, byte insertions
and deletions, splices, truncations, CR/LF and %-escapes, oversized
parts), each on a new connection with a short timeout, and after every
batch a health check on a fresh connection. A finding is the daemon dying,
a health check that fails, or an answer that is not HTTP. Prints a JSON
summary; exit status 1 on any finding.
"""
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

SEEDS = [
    b"GET /v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&facets=school,year,kind&limit=3 HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"GET /v1/search?q=AI+%E8%B5%8B%E8%83%BD&kind=case&year=2022..2024&sort=year&offset=5&snippet=40&explain=true HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"GET /v1/units/gz-2024/case/1-12 HTTP/1.1\r\nHost: anli\r\nConnection: close\r\n\r\n",
    b"GET /v1/units/gz-2024/case/5-3/related?limit=5&kind=case,section HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"GET /v1/facets/school?kind=case HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"GET /v1/export?q=%E5%AD%A6%E6%A0%A1&format=ndjson HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"POST /v1/reload HTTP/1.1\r\nHost: anli\r\nContent-Length: 0\r\n\r\n",
    b"HEAD /v1/stats HTTP/1.1\r\nHost: anli\r\n\r\n",
    b"GET /v1/health HTTP/1.0\r\n\r\n",
    b"GET /v1/search?q=x HTTP/1.1\r\nHost: anli\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
]
TOKENS = [b"%", b"%E4", b"%ZZ", b"\r\n", b"\n", b"\x00", b"\xff\xfe", b"&", b"=", b"?", b"/", b"..", b"q=", b"facets=", b"limit=-1",
          b"limit=99999999999999999999", b"offset=100001", b"year=2024..1990", b"school=", b"Content-Length: 99999999\r\n",
          b"Transfer-Encoding: chunked\r\n", b" HTTP/1.1", b"\t", b"\xe4\xba", "產教融合".encode(), b"(((", b'"']


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.randrange(8)
        position = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(position, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1:
            data[position:position] = bytes([rng.randrange(256)])
        elif choice == 2 and data:
            del data[position:position + rng.randint(1, 16)]
        elif choice == 3:
            data[position:position] = rng.choice(TOKENS)
        elif choice == 4:
            other = rng.choice(SEEDS)
            cut = rng.randrange(len(other) + 1)
            data = data[:position] + bytearray(other[cut:])
        elif choice == 5:
            data = data[:position]
        elif choice == 6:
            data[position:position] = rng.choice(TOKENS) * rng.randint(2, 2000)
        else:
            data[position:position] = b"%" + bytes(rng.choice(b"0123456789ABCDEFabcdefXYZ") for _ in range(2))
    return bytes(data)


def exchange(path, data, timeout, half_close=False):
    """Sends `data` and reads one answer: its head, then a Content-Length
    body, a chunked body, or until the server closes or `timeout` passes
    with nothing more. Returns the answer's first line (b"" if none)."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout)
    try:
        client.connect(path)
        try:
            client.sendall(data)
            if half_close:
                # The end of the bytes is the end of the connection: the
                # decoder must cope with a request cut anywhere.
                client.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close first (a 431, a 413)
        received = b""
        try:
            while len(received) < 1 << 22:
                chunk = client.recv(65536)
                if not chunk:
                    break
                received += chunk
                head, separator, body = received.partition(b"\r\n\r\n")
                if not separator:
                    continue
                length = None
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length" and value.strip().isdigit():
                        length = int(value.strip())
                if length is not None and len(body) >= length:
                    break
                if b"chunked" in head.lower() and body.endswith(b"0\r\n\r\n"):
                    break
                if data.startswith(b"HEAD"):
                    break
        except (socket.timeout, ConnectionResetError, BrokenPipeError):
            pass
        return received.split(b"\r\n", 1)[0]
    finally:
        client.close()


def healthy(path):
    try:
        return exchange(path, b"GET /v1/health HTTP/1.1\r\nHost: anli\r\nConnection: close\r\n\r\n", 10).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def main():
    binary, index, seconds, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    scratch = tempfile.mkdtemp(prefix="anli-fuzz-http-")
    path = os.path.join(scratch, "anli.sock")
    log = open(os.path.join(scratch, "serve.log"), "wb")
    daemon = subprocess.Popen([binary, "serve", "--index", index, "--socket", path, "--log-level", "error"], stdout=log, stderr=log)
    rng = random.Random(seed)
    statuses, findings, sent = {}, [], 0
    try:
        deadline = time.time() + 30
        while not healthy(path):
            if daemon.poll() is not None or time.time() > deadline:
                raise SystemExit("anli serve did not start")
            time.sleep(0.1)
        end = time.time() + seconds
        while time.time() < end and not findings:
            for _ in range(50):
                request = mutate(rng, rng.choice(SEEDS))
                try:
                    line = exchange(path, request, 0.5, half_close=rng.random() < 0.5)
                except OSError as error:
                    line = f"connection error {error.__class__.__name__}".encode()
                sent += 1
                key = line[:12].decode("latin-1") if line.startswith(b"HTTP/1.") else ("(closed)" if not line else "(not HTTP)")
                statuses[key] = statuses.get(key, 0) + 1
                if key == "(not HTTP)" and not line.startswith(b"connection error"):
                    findings.append({"request": request[:300].decode("latin-1"), "answer": line[:200].decode("latin-1")})
                if daemon.poll() is not None:
                    findings.append({"request": request[:300].decode("latin-1"), "daemon": f"exited {daemon.returncode}"})
                    break
            if not findings and not healthy(path):
                findings.append({"after": sent, "health": "failed"})
    finally:
        if daemon.poll() is None:
            daemon.terminate()
            daemon.wait(timeout=30)
    print(json.dumps({"target": "http", "seed": seed, "requests": sent, "statuses": dict(sorted(statuses.items())),
                      "findings": findings, "daemon_log": os.path.join(scratch, "serve.log")}, ensure_ascii=False, indent=2))
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
