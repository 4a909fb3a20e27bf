#!/usr/bin/env python3
"""How small the store's packed records are, on requests the dictionary never saw.

Posts the corpus's test parts (tests/data/requests_test*.tsv and complaints_test.tsv: the
dictionary is trained on the dev parts only) through the built engine, reads each stored record
back and reports, per record, the plain protobuf (the baseline: what storing it as it is takes),
the same packed by zstd at the store's level without a dictionary, and the record as stored;
then what Redis reports the record keys take (MEMORY USAGE). One run, one machine.

Usage: tests/bench/record_packing.py BUILD_DIR
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "tools"))
from corpus_records import engine_with, rows, unpacked  # noqa: E402


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    test_rows = rows("requests_test*.tsv") + rows("complaints_test.tsv")
    plain = no_dict = stored = memory = 0
    with engine_with(os.path.abspath(sys.argv[1]), test_rows) as (redis, keys):
        for k in keys:
            v = redis.call("GET", k)
            record = v[v.index(b"|") + 1:]
            protobuf = unpacked(record)
            plain += len(protobuf)
            no_dict += len(subprocess.run(["zstd", "-3", "-q", "-c", "--no-check"], input=protobuf,
                                          capture_output=True, check=True).stdout)
            stored += len(record)
            memory += redis.call("MEMORY", "USAGE", k, "SAMPLES", "0")
    n = len(keys)
    print(f"record packing: {len(test_rows)} held-out requests, {n} work orders")
    print(f"  plain protobuf (baseline):   {plain / n:7.0f} B per record")
    print(f"  zstd -3, no dictionary:      {no_dict / n:7.0f} B  ratio {no_dict / plain:.2f}")
    print(f"  as stored (packed):          {stored / n:7.0f} B  ratio {stored / plain:.2f}")
    print(f"  Redis MEMORY USAGE of the record key: {memory / n:.0f} B")


if __name__ == "__main__":
    main()
