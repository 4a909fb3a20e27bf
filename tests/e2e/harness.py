"""Shared by the end-to-end tests: a real redis-server and `halfhour serve` as processes,
spoken to over HTTP on loopback, and a bounded wait for conditions."""
import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import sys
import time
import unittest

BINARY = None  # set by each test module from its --binary argument


def parse_time(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def wait_for(predicate, timeout, what, detail=None):
    """Polls a condition until it holds; fails the test after `timeout` seconds, with what
    `detail()` returns (the state that could explain it) in the message."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}" + (f"\n{detail()}" if detail else ""))


def binary():
    return BINARY


class Redis:
    def __init__(self, root):
        self.dir = os.path.join(root, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.socket = os.path.join(self.dir, "redis.sock")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", self.socket, "--dir", self.dir,
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--loglevel", "warning",
             "--hash-max-listpack-value", "4096"],  # as deploy/redis.conf
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: os.path.exists(self.socket), 10, "redis socket")

    def kill(self):
        self.proc.kill()
        self.proc.wait()
        if os.path.exists(self.socket):
            os.unlink(self.socket)

    def cli(self, *args):
        return subprocess.run(["redis-cli", "-s", self.socket, *args], capture_output=True, text=True,
                              check=True).stdout

    def work_order_count(self):
        return len(work_orders_in(self.cli))


def work_orders_in(cli):
    """The ids of the work orders a Redis holds, through its `cli`: the fields of the work-order
    buckets, hh:{sNN}:wo:<n> (adapters/redis/layout.hpp)."""
    ids = set()
    for key in cli("--scan", "--pattern", "hh:*:wo:*").split():
        if re.search(r":wo:\d+$", key):
            ids |= set(cli("HKEYS", key).split())
    return ids


def order_bucket(work_order_id):
    """The key of a work order's bucket: 32 ids of its shard to a bucket."""
    shard, number = re.match(r"W(\d\d)-(\d+)$", work_order_id).groups()
    return f"hh:{{s{shard}}}:wo:{int(number) // 32}"


class Engine:
    def __init__(self, root, redis, config=None, preexec_fn=None):
        self.config = os.path.join(root, "engine.json")
        with open(self.config, "w") as f:
            json.dump(config if config is not None else {"limits": {"on_site_seconds": 2, "contact_seconds": 2,
                                            "ack_urgent_seconds": 1, "ack_general_seconds": 1}}, f)
        self.redis = redis
        self.preexec_fn = preexec_fn  # run in the child before exec: e.g. a lower descriptor limit
        self.proc = None
        self.port = None
        self.log = []

    def start(self):
        # Without a Redis of its own the engine finds one by its configuration (Sentinel).
        where = ["--redis-socket", self.redis.socket] if self.redis else []
        self.proc = subprocess.Popen(
            [binary(), "--config", self.config, "serve", "--port", "0", *where],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=self.preexec_fn)
        port_seen = threading.Event()

        def drain(proc):
            for line in proc.stdout:
                self.log.append(line)
                m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
                    port_seen.set()

        self.drainer = threading.Thread(target=drain, args=(self.proc,), daemon=True)
        self.drainer.start()
        if not port_seen.wait(10):
            raise AssertionError("engine did not start: " + "".join(self.log))
        wait_for(lambda: self.request("GET", "/readyz")[0] == 200, 10, "engine ready")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self._reap()

    def _reap(self):
        self.proc.wait()
        self.drainer.join(5)
        self.proc.stdout.close()

    def stop(self):
        """Stops the engine with SIGTERM and returns its exit code (non-zero: it failed to shut
        down cleanly, or a sanitizer found something on the way out)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self._reap()
        return self.proc.returncode

    def crew_add(self, phone, name, org, role="crew"):
        where = ["--redis-socket", self.redis.socket] if self.redis else []
        out = subprocess.run([binary(), "--config", self.config, "crew", "add", "--phone", phone, "--name", name,
                              "--org", org, "--role", role, *where], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise AssertionError(out.stderr)
        return out.stdout.strip().rsplit(": ", 1)[1]

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read(), dict(resp.getheaders())
        finally:
            conn.close()

    def post_ticket(self, ticket, content_type="application/json", headers=None):
        body = ticket if isinstance(ticket, (bytes, str)) else json.dumps(ticket, ensure_ascii=False)
        if isinstance(body, str):
            body = body.encode()
        status, data, got = self.request("POST", "/v1/hotline/tickets", body,
                                         {"Content-Type": content_type, **(headers or {})})
        return status, json.loads(data) if data else None, got

    def login(self, phone, code):
        """A session token for a member; a login code logs in once."""
        status, raw, _ = self.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                      {"Content-Type": "application/json"})
        assert status == 200, raw
        return json.loads(raw)["token"]

    def metric(self, name):
        """The value of an unlabelled Prometheus series of /metrics."""
        _, raw, _ = self.request("GET", "/metrics")
        m = re.search(r"^" + re.escape(name) + r" (\S+)$", raw.decode(), re.M)
        return float(m.group(1)) if m else None

    def operator_token(self):
        """A session of the centre (supervisor), who may read every work order."""
        if getattr(self, "_operator_token", None) is None:
            code = self.crew_add("19900000009", "测试督查员", "建管中心", "supervisor")
            status, raw, _ = self.request("POST", "/v1/auth/login",
                                          json.dumps({"phone": "19900000009", "code": code}).encode(),
                                          {"Content-Type": "application/json"})
            assert status == 200, raw
            self._operator_token = json.loads(raw)["token"]
        return self._operator_token

    def get_order(self, wo_id, token=None):
        status, data, _ = self.request("GET", "/v1/work-orders/" + wo_id, None,
                                       {"Authorization": "Bearer " + (token or self.operator_token())})
        return status, json.loads(data) if data else None




def shut_down(engine, redis, root):
    """Stops the engine (SIGTERM) and Redis and removes the work folder; fails if the engine did
    not exit cleanly (a sanitizer finding on the way out shows as a non-zero exit)."""
    rc = engine.stop()
    redis.kill()
    shutil.rmtree(root, ignore_errors=True)
    if rc != 0:
        raise AssertionError(f"engine exited with {rc} on SIGTERM:\n" + "".join(engine.log[-40:]))


class EngineCase(unittest.TestCase):
    """A test case with its own redis-server and engine per test, configured by CONFIG; the
    engine must shut down cleanly at the end of each test."""
    CONFIG = {}
    PREFIX = "halfhour-"

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix=self.PREFIX)
        self.redis = Redis(self.root)
        self.redis.start()
        self.engine = Engine(self.root, self.redis, self.CONFIG)
        self.engine.start()

    def tearDown(self):
        rc = self.engine.stop()
        self.redis.kill()
        shutil.rmtree(self.root, ignore_errors=True)
        self.assertEqual(rc, 0, "".join(self.engine.log[-40:]))

    def run_page(self, script, *args):
        """Runs a browser script of browser/ and returns the JSON line it prints last."""
        here = os.path.dirname(os.path.abspath(__file__))
        out = subprocess.run(["node", os.path.join(here, "browser", script), *args], capture_output=True, text=True,
                             timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        print("\n  page: " + json.dumps(seen, ensure_ascii=False), file=sys.stderr)
        return seen


def main():
    """Runs a test module: `--binary PATH` names the halfhour binary under test."""
    global BINARY
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(module="__main__", argv=[sys.argv[0], "-v", *rest])


def read_event(resp):
    """The name of the next server-sent event on `resp` that carries data; None when it closed."""
    name = None
    while True:
        line = resp.fp.readline()
        if not line:
            return None
        line = line.decode().strip()
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name:
            return name
