#!/usr/bin/env python3
"""How small the store's packed records and journals are, on requests the dictionaries never saw.

Posts the corpus's test parts (tests/data/requests_test*.tsv and complaints_test.tsv: the
dictionaries are trained on the dev parts only) through the built engine, reads each stored
record and journal back and reports, per work order, the plain protobuf (the baseline: what
storing it as it is takes), the same packed by zstd at the store's level without a dictionary,
and what is stored; then what Redis reports the work orders' small hashes take (MEMORY USAGE),
per work order. One run, one machine.

Usage: tests/bench/record_packing.py BUILD_DIR
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "tools"))
from corpus_records import engine_with, parts, rows, unpacked, unpacked_journal  # noqa: E402


def zstd_alone(data):
    return len(subprocess.run(["zstd", "-3", "-q", "-c", "--no-check"], input=data, capture_output=True,
                              check=True).stdout)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    test_rows = rows("requests_test*.tsv") + rows("complaints_test.tsv")
    sizes = {kind: [0, 0, 0] for kind in ("record", "journal")}  # plain, zstd alone, stored
    with engine_with(os.path.abspath(sys.argv[1]), test_rows) as (redis, orders, buckets):
        for value in orders:
            record, journal = parts(value)
            for kind, stored, plain in (("record", record, unpacked(record)),
                                        ("journal", journal, unpacked_journal(journal))):
                s = sizes[kind]
                s[0] += len(plain)
                s[1] += zstd_alone(plain)
                s[2] += len(stored)
        # What Redis reports the work orders take, both parts together.
        memory = sum(redis.call("MEMORY", "USAGE", b, "SAMPLES", "0") for b in buckets)
    n = len(orders)
    print(f"packing: {len(test_rows)} held-out requests, {n} work orders; per work order:")
    for kind, (plain, alone, stored) in sizes.items():
        print(f"  {kind:8} plain protobuf (baseline) {plain / n:5.0f} B | zstd -3 alone {alone / n:5.0f} B"
              f" ({alone / plain:.2f}) | as stored {stored / n:5.0f} B ({stored / plain:.2f})")
    print(f"  the work order, both parts in its small hash: Redis MEMORY USAGE {memory / n:5.0f} B")


if __name__ == "__main__":
    main()
