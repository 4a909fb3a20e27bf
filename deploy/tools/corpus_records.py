"""Work-order records as the store writes them for rows of the labelled corpus: the built engine
against a scratch redis-server, each row posted as a 12345 ticket with a made-up caller, and each
stored record read back. Shared by the dictionary's training and the packing benchmark."""
import glob
import http.client
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def rows(pattern):
    """(text, address) of every row of the corpus files matching `pattern` (under tests/data)."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "data", pattern))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("text\t"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 2 and cols[0]:
                    out.append((cols[0], cols[1]))
    return out


class Redis:
    """Just enough RESP over a unix socket to read binary values back unchanged."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rb")

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode() if isinstance(a, str) else a
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.read()

    def read(self):
        line = self.file.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.file.read(n + 2)[:-2]
        if kind == b"*":
            return [self.read() for _ in range(int(rest))]
        if kind == b"-":
            raise RuntimeError(rest.decode())
        return int(rest) if kind == b":" else rest


def frame_length(record):
    """The length of the zstd frame `record` starts with (RFC 8878 3.1.1): its header, then its
    blocks up to the last, then the checksum if it has one."""
    descriptor = record[4]
    single = bool(descriptor & 0x20)
    fcs = (1 if single else 0, 2, 4, 8)[descriptor >> 6]
    at = 5 + (0 if single else 1) + (0, 1, 2, 4)[descriptor & 3] + fcs
    while True:
        header = int.from_bytes(record[at:at + 3], "little")
        last, kind, size = header & 1, (header >> 1) & 3, header >> 3
        at += 3 + (1 if kind == 1 else size)  # an RLE block is one byte repeated
        if last:
            break
    return at + (4 if descriptor & 4 else 0)


def unpacked(record):
    """A stored record's protobuf: a packed one is unpacked with the dictionary its frame names
    (the frame header's dictionary id), and what a script appended after the frame (the short
    code, as protobuf) goes on the end, as the engine reads it."""
    if not record.startswith(ZSTD_MAGIC):
        return record
    descriptor = record[4]
    width = (0, 1, 2, 4)[descriptor & 3]
    at = 5 if descriptor & 0x20 else 6  # the window byte is absent in a single segment
    dict_id = int.from_bytes(record[at:at + width], "little")
    path, = glob.glob(os.path.join(ROOT, "adapters", "dictionaries", f"*-{dict_id}.zdict"))
    end = frame_length(record)
    return subprocess.run(["zstd", "-d", "-q", "-D", path, "-c"], input=record[:end], capture_output=True,
                          check=True).stdout + record[end:]


def parts(value):
    """A work order's string ("<version>:<record length>|<record><journal>") as (record, journal)."""
    bar = value.index(b"|")
    size = int(value[value.index(b":") + 1:bar])
    return value[bar + 1:bar + 1 + size], value[bar + 1 + size:]


def varint(data, at):
    value, shift = 0, 0
    while True:
        b = data[at]
        value |= (b & 0x7F) << shift
        at += 1
        if b < 0x80:
            return value, at
        shift += 7


def unpacked_journal(journal):
    """A stored journal as plain protobuf: its plain fields, then each packed part (Journal.packed,
    field 4) unpacked, in order, as the engine reads it. Every Journal field is length-delimited."""
    plain, parts, at = b"", b"", 0
    while at < len(journal):
        start = at
        tag, at = varint(journal, at)
        length, at = varint(journal, at)
        if tag >> 3 == 4:
            parts += unpacked(journal[at:at + length])
        else:
            plain += journal[start:at + length]
        at += length
    return plain + parts


def wait_for(test, what):
    for _ in range(600):
        if test():
            return
        time.sleep(0.05)
    sys.exit(f"{os.path.basename(sys.argv[0])}: {what} did not come up")


@contextmanager
def engine_with(build, corpus_rows, seed=7):
    """A Redis holding the jobs the engine made of `corpus_rows`: yields (Redis, work orders,
    buckets): each work order's value, its record and its journal (parts()), in order of id, and
    the keys of the small hashes that hold them (adapters/redis/layout.hpp)."""
    with tempfile.TemporaryDirectory() as tmp:
        sock = os.path.join(tmp, "redis.sock")
        # As deploy/redis.conf keeps the work orders' small hashes compact.
        redis = subprocess.Popen(["redis-server", "--port", "0", "--unixsocket", sock, "--save", "", "--dir", tmp,
                                  "--loglevel", "warning", "--hash-max-listpack-value", "4096"],
                                 stdout=subprocess.DEVNULL)
        engine = None
        try:
            wait_for(lambda: os.path.exists(sock), "redis-server")
            with open(os.path.join(tmp, "engine.json"), "w") as f:
                f.write("{}")
            log = os.path.join(tmp, "engine.log")
            with open(log, "w") as out:
                engine = subprocess.Popen([os.path.join(build, "dispatcher", "halfhour"), "--config",
                                           os.path.join(tmp, "engine.json"), "serve", "--port", "0",
                                           "--redis-socket", sock], stdout=out, stderr=subprocess.STDOUT)

            def port():
                with open(log, encoding="utf-8") as f:
                    m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", f.read())
                return int(m.group(1)) if m else None

            wait_for(port, "the engine")
            conn = http.client.HTTPConnection("127.0.0.1", port())
            rng = random.Random(seed)
            surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林"
            for i, (text, address) in enumerate(corpus_rows):
                body = json.dumps({"ticket_no": f"TR{i:08d}", "content": text, "address": address,
                                   "caller_name": rng.choice(surnames) + rng.choice(["先生", "女士", "阿姨"]),
                                   "caller_phone": f"13{rng.randrange(10**9):09d}"}, ensure_ascii=False)
                conn.request("POST", "/v1/hotline/tickets", body.encode(), {"Content-Type": "application/json"})
                conn.getresponse().read()
            r = Redis(sock)
            buckets, cursor = [], b"0"
            while True:
                cursor, page = r.call("SCAN", cursor, "MATCH", "hh:*:wo:*", "COUNT", "1000")
                buckets += [k for k in page if re.search(rb":wo:\d+$", k)]
                if cursor == b"0":
                    break
            orders = {}
            for b in buckets:
                fields = r.call("HGETALL", b)
                orders.update(zip(fields[::2], fields[1::2]))
            yield r, [orders[i] for i in sorted(orders)], sorted(buckets)
        finally:
            if engine:
                engine.terminate()
                engine.wait()
            redis.terminate()
            redis.wait()
