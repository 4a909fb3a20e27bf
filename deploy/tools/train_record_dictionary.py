#!/usr/bin/env python3
"""Trains a zstd dictionary for the Redis store to pack work-order records or journal parts with.

Posts every row of the corpus's dev parts (tests/data/requests_dev*.tsv; never the test parts,
which tests/bench/record_packing.py measures the dictionaries on) through the built engine, reads
back each stored record (KIND record) or journal (KIND journal) as plain protobuf and trains a
dictionary on them with `zstd --train`. A dictionary, once shipped, is never changed or removed:
what was packed with it needs it to be read. A new one takes a new id (records 0x4848xxxx,
journals 0x484Axxxx) and goes beside the others as adapters/dictionaries/KIND-ID.zdict.

Usage: deploy/tools/train_record_dictionary.py BUILD_DIR record|journal DICT_ID OUT_FILE
"""
import os
import subprocess
import sys
import tempfile

from corpus_records import engine_with, parts, rows, unpacked, unpacked_journal


def main():
    if len(sys.argv) != 5 or sys.argv[2] not in ("record", "journal"):
        sys.exit(__doc__)
    build, kind, dict_id, out = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3], os.path.abspath(sys.argv[4])
    with engine_with(build, rows("requests_dev*.tsv")) as (_, orders, _), tempfile.TemporaryDirectory() as tmp:
        files = []
        for n, value in enumerate(orders):
            record, journal = parts(value)
            sample = unpacked(record) if kind == "record" else unpacked_journal(journal)
            files.append(os.path.join(tmp, f"{n}.bin"))
            with open(files[-1], "wb") as f:
                f.write(sample)
        subprocess.run(["zstd", "--train", *files, "-o", out, "--maxdict=32768", f"--dictID={dict_id}", "-q"],
                       check=True)
        print(f"train_record_dictionary: {len(files)} {kind}s, {os.path.getsize(out)} bytes -> {out}")


if __name__ == "__main__":
    main()
