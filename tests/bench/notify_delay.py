#!/usr/bin/env python3
"""Delay from an escalation step's deadline to the receiver getting the message: 1,000 urgent
jobs on drill limits (on-site 2 s), each breach delivered to a local receiver through the
outbox. The baseline, in the same run, is the receiver answering a POST sent straight to it
from this script on one kept-alive connection (what any delivery costs at the least on this
machine); the last line gives the delay as a multiple of it. The receiver speaks HTTP/1.1 and
keeps connections open, so the engine's connection reuse shows here.

Usage: tests/bench/notify_delay.py [--binary build/release/dispatcher/halfhour] [--jobs 1000]"""
import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402
from harness import Engine, Redis, wait_for  # noqa: E402
from test_outbox import Receiver  # noqa: E402


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="build/release/dispatcher/halfhour")
    parser.add_argument("--jobs", type=int, default=1000)
    args = parser.parse_args()
    harness.BINARY = os.path.abspath(args.binary)

    arrivals = {}
    lock = threading.Lock()
    receiver = Receiver()
    inner = receiver.server.RequestHandlerClass.do_POST

    def timed(handler):
        inner(handler)
        key = handler.headers.get("Idempotency-Key", "")
        with lock:
            arrivals.setdefault(key, time.time() * 1000)
    receiver.server.RequestHandlerClass.do_POST = timed

    root = tempfile.mkdtemp(prefix="halfhour-delay-")
    redis = Redis(root)
    redis.start()
    engine = Engine(root, redis, {
        "limits": {"on_site_seconds": 2, "ack_urgent_seconds": 3600},
        "ladder": {"warn_at": [0.99], "renotify_seconds": 3600},
        # Only the centre's breach notices go out; every other notice has no address and is
        # dead-lettered at once, so the receiver measures one message per job.
        "delivery": {"webhooks": {"centre": f"http://127.0.0.1:{receiver.port}/robot"}, "poll_ms": 1000},
        # One burst pipe reported a thousand times would be one job: every ticket its own here.
        "channels": {"no_linking": True},
    })
    try:
        engine.start()
        # Baseline: the receiver's own round trip from here, 200 times.
        base = []
        conn = http.client.HTTPConnection("127.0.0.1", receiver.port)
        for i in range(200):
            t = time.perf_counter()
            conn.request("POST", "/robot", b"{}", {"Idempotency-Key": f"baseline-{i}", "Content-Type": "application/json"})
            conn.getresponse().read()
            base.append((time.perf_counter() - t) * 1000)
        conn.close()

        t0 = time.time()
        for i in range(args.jobs):  # about as fast as one client can post
            status, body, _ = engine.post_ticket({"ticket_no": f"D{i}", "content": "水管爆了", "address": "丹桂苑3号楼"})
            assert status == 201, body
        posted = time.time() - t0
        wait_for(lambda: sum(1 for k in arrivals if ":onsite:due0:centre:" in k) >= args.jobs, 120,
                 "every breach notice")
        delays = [arrivals[k] - int(k.rsplit(":", 1)[1]) for k in arrivals if ":onsite:due0:centre:" in k]
        print(f"{args.jobs} jobs posted in {posted:.1f} s; on-site breach (2 s limit) to the centre's receiver")
        print(f"  baseline POST to the receiver:   p50 {pct(base, .5):6.2f} ms   p99 {pct(base, .99):6.2f} ms")
        print(f"  deadline -> message received:    p50 {pct(delays, .5):6.2f} ms   p99 {pct(delays, .99):6.2f} ms"
              f"   max {max(delays):.0f} ms   (n={len(delays)})")
        print(f"  ratio to the baseline:           p50 {pct(delays, .5) / pct(base, .5):6.1f} x    "
              f"p99 {pct(delays, .99) / pct(base, .99):6.1f} x   ({receiver.connections} connections opened, the baseline's among them)")
    finally:
        engine.stop()
        receiver.stop()
        redis.kill()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
