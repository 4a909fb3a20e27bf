#!/usr/bin/env python3
"""Trains a zstd dictionary for the Redis store to pack work-order records with.

Posts every row of the corpus's dev parts (tests/data/requests_dev*.tsv; never the test parts,
which tests/bench/record_packing.py measures the dictionary on) through the built engine, reads
back each stored record as protobuf and trains a dictionary on them with `zstd --train`. A
dictionary, once shipped, is never changed or removed: records and archive parts packed with it
need it to be read. A new one takes a new id (the shipped ones are 0x4848xxxx, "HH").

Usage: deploy/tools/train_record_dictionary.py BUILD_DIR DICT_ID OUT_FILE
"""
import os
import subprocess
import sys
import tempfile

from corpus_records import engine_with, rows, unpacked


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    build, dict_id, out = os.path.abspath(sys.argv[1]), sys.argv[2], os.path.abspath(sys.argv[3])
    with engine_with(build, rows("requests_dev*.tsv")) as (redis, keys), tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, k in enumerate(keys):
            v = redis.call("GET", k)
            files.append(os.path.join(tmp, f"{n}.bin"))
            with open(files[-1], "wb") as f:
                f.write(unpacked(v[v.index(b"|") + 1:]))
        subprocess.run(["zstd", "--train", *files, "-o", out, "--maxdict=32768", f"--dictID={dict_id}", "-q"],
                       check=True)
        print(f"train_record_dictionary: {len(files)} records, {os.path.getsize(out)} bytes -> {out}")


if __name__ == "__main__":
    main()
