#!/usr/bin/env python3
"""The outbox delivered over HTTP to a local receiver this test runs: retries until the receiver
takes a message, exactly one delivery per key, dead letters for a receiver that never takes
them, and a `kill -9` between writing and sending that still ends in exactly one delivery."""
import http.server
import json
import shutil
import socket
import tempfile
import threading
import unittest

import harness
from harness import Engine, Redis, wait_for


class Receiver:
    """Records every POST; fails the first `fail_first` attempts of each key with 500, and
    every attempt on /always-fail. Speaks HTTP/1.1 and keeps connections open, as the engine's
    real receivers do, and counts the connections it accepts."""

    def __init__(self, port=0, fail_first=0):
        self.fail_first = fail_first
        self.connections = 0
        self.attempts = {}
        self.delivered = {}
        self.bodies = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            # HTTP/1.0 (the default) closes every connection after one answer, so the engine
            # could never reuse one; every answer says its Content-Length.
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with receiver.lock:
                    receiver.connections += 1

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    n = receiver.attempts[key] = receiver.attempts.get(key, 0) + 1
                    ok = self.path != "/always-fail" and n > receiver.fail_first
                    if ok:
                        receiver.delivered[key] = receiver.delivered.get(key, 0) + 1
                        receiver.bodies[key] = (self.path, json.loads(body))
                self.send_response(200 if ok else 500)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            # The engine opens up to 16 connections to one host at once: the default backlog
            # of 5 drops SYNs, which the kernel resends only after a second.
            request_queue_size = 128

        self.server = Server(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def kinds(self):
        with self.lock:
            return sorted((body.get("status") or "webhook", path) for path, body in self.bodies.values())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(port, **delivery):
    return {
        "limits": {"on_site_seconds": 2, "contact_seconds": 2, "ack_urgent_seconds": 1, "ack_general_seconds": 1},
        "ladder": {"warn_at": [0.5], "renotify_seconds": 3600},
        "delivery": {"webhooks": {"default": f"http://127.0.0.1:{port}/robot"},
                     "hotline_url": f"http://127.0.0.1:{port}/hotline",
                     "backoff_first_ms": 100, "backoff_max_ms": 400, "poll_ms": 200, "claim_idle_ms": 1000,
                     **delivery},
    }


class Outbox(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-outbox-")
        self.redis = Redis(self.root)
        self.redis.start()
        self.engine = None
        self.receiver = None

    def tearDown(self):
        if self.engine:
            self.engine.stop()
        if self.receiver:
            self.receiver.stop()
        self.redis.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def dead_letters(self):
        out = []
        for shard in range(16):
            raw = self.redis.cli("XRANGE", "hh:{s%02d}:outbox:dead" % shard, "-", "+")
            out += [line for line in raw.splitlines() if line.startswith("HTTP") or line == "centre"]
        return out

    def test_retries_until_taken_once_per_key_and_dead_letters_the_rest(self):
        self.receiver = Receiver(fail_first=2)
        port = self.receiver.port
        cfg = config(port, max_attempts=4)
        cfg["delivery"]["webhooks"]["centre"] = f"http://127.0.0.1:{port}/always-fail"
        self.engine = Engine(self.root, self.redis, cfg)
        self.engine.start()
        status, job, _ = self.engine.post_ticket({"ticket_no": "OB-1", "content": "水管爆了，水漫到楼道",
                                                  "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)
        # dispatch; ack breach to the station and the firm's fallback notice; 2 warnings;
        # breach to committee, firm and hotline (the centre's address never takes it).
        wait_for(lambda: len(self.receiver.delivered) >= 8, 20, "eight deliveries")
        wait_for(lambda: len(self.dead_letters()) >= 2, 20, "the centre's message dead-lettered")
        with self.receiver.lock:
            self.assertTrue(all(n == 1 for n in self.receiver.delivered.values()), self.receiver.delivered)
            self.assertTrue(all(self.receiver.attempts[k] == 3 for k in self.receiver.delivered), self.receiver.attempts)
            # Over thirty attempts on connections kept alive: no more than the engine's bound
            # per host (16) were ever opened.
            self.assertGreater(sum(self.receiver.attempts.values()), 16)
            self.assertLessEqual(self.receiver.connections, 16)
            hotline = [b for p, b in self.receiver.bodies.values() if p == "/hotline"]
            robots = [b for p, b in self.receiver.bodies.values() if p == "/robot"]
        self.assertEqual(len(hotline), 1)
        self.assertEqual((hotline[0]["ticket_no"], hotline[0]["status"]), ("OB-1", "breach"))
        self.assertTrue(all(b["msgtype"] == "markdown" and b["markdown"]["content"] for b in robots))
        self.assertTrue(any("【超时】" in b["markdown"]["content"] for b in robots))
        self.assertTrue(any("【预警】" in b["markdown"]["content"] for b in robots))
        self.assertIn("HTTP 500", self.dead_letters())
        # Operators see each notification and what became of it on the work order.
        _, order = self.engine.get_order(job["id"])
        notices = {(n["recipient"], n["kind"]): n for n in order["notices"]}
        self.assertEqual(notices[("hotline", "breach")]["status"], "delivered")
        self.assertIn("settled_at", notices[("hotline", "breach")])
        self.assertEqual(notices[("centre", "breach")]["status"], "dead: HTTP 500")
        self.assertEqual(notices[("holder", "dispatch")]["organisation"], "临客嘉物业")

    def test_a_long_retry_is_not_taken_over_while_its_sender_lives(self):
        # Backoff (1.2 s, 2.4 s, …) far longer than claim_idle (0.3 s): only the heartbeat keeps a
        # claim round from handing the same message out again.
        self.receiver = Receiver(fail_first=2)
        cfg = config(self.receiver.port, max_attempts=5, backoff_first_ms=1200, backoff_max_ms=2400,
                     claim_idle_ms=300, poll_ms=100)
        cfg["limits"] = {}
        self.engine = Engine(self.root, self.redis, cfg)
        self.engine.start()
        status, job, _ = self.engine.post_ticket({"ticket_no": "OB-5", "content": "门禁坏了", "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)
        wait_for(lambda: len(self.receiver.delivered) == 1, 15, "the dispatch notice")
        harness.time.sleep(0.5)  # a few more claim rounds
        with self.receiver.lock:
            self.assertEqual(list(self.receiver.attempts.values()), [3])
            self.assertEqual(list(self.receiver.delivered.values()), [1])

    def test_kill9_between_writing_and_sending_still_delivers_exactly_once(self):
        port = free_port()  # nobody listens yet: every attempt fails
        self.engine = Engine(self.root, self.redis, config(port, max_attempts=1000))
        self.engine.start()
        status, job, _ = self.engine.post_ticket({"ticket_no": "OB-2", "content": "电梯困人", "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)
        wait_for(lambda: "BREACH" in "".join(self.engine.log), 10, "the breach to be written")
        self.engine.kill9()
        self.receiver = Receiver(port=port)
        self.engine.start()  # a new sender claims what the dead one held
        # A bound, not a pace: the sanitizer build on a busy machine runs each step many times slower.
        wait_for(lambda: len(self.receiver.delivered) >= 8, 45, "every message after the restart",
                 lambda: f"delivered: {sorted(self.receiver.delivered)}\n" + "".join(self.engine.log[-60:]))
        harness.time.sleep(1.5)  # another claim round: nothing may arrive twice
        with self.receiver.lock:
            self.assertTrue(all(n == 1 for n in self.receiver.delivered.values()), self.receiver.delivered)


    def test_a_committee_without_a_webhook_gets_an_sms(self):
        self.receiver = Receiver()
        cfg = config(self.receiver.port)
        cfg["delivery"] = {"sms_url": f"http://127.0.0.1:{self.receiver.port}/sms",
                           "sms_phones": {"committee": "13700000000"}, "sms_template": "【东明路街道】{text}",
                           "poll_ms": 200}
        self.engine = Engine(self.root, self.redis, cfg)
        self.engine.start()
        status, job, _ = self.engine.post_ticket({"ticket_no": "OB-4", "content": "电梯困人", "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)

        def sms():
            with self.receiver.lock:
                return [b for p, b in self.receiver.bodies.values() if p == "/sms"]
        wait_for(lambda: len(sms()) >= 2, 10, "the warning and the breach by SMS")
        for body in sms():
            self.assertEqual(body["phone"], "13700000000")
            self.assertTrue(body["message"].startswith("【东明路街道】"), body)
            self.assertTrue(body["idempotency_key"])
        wait_for(lambda: all(n["status"] != "pending" for n in
                             [n for n in self.engine.get_order(job["id"])[1]["notices"] if n["recipient"] == "holder"]),
                 10, "the firm's notices to be settled")
        _, order = self.engine.get_order(job["id"])
        self.assertTrue(all(n["status"].startswith("dead: no address") for n in order["notices"]
                            if n["recipient"] == "holder"), order["notices"])

    def test_crew_progress_goes_back_to_the_hotline(self):
        self.receiver = Receiver()
        cfg = config(self.receiver.port)
        cfg["limits"] = {}  # the real 30 minutes: nothing breaches during this test
        self.engine = Engine(self.root, self.redis, cfg)
        self.engine.start()
        code = self.engine.crew_add("13900000001", "李师傅", "临客嘉物业")
        status, job, _ = self.engine.post_ticket({"ticket_no": "OB-3", "content": "门禁坏了", "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)
        _, raw, _ = self.engine.request("POST", "/v1/auth/login", json.dumps({"phone": "13900000001", "code": code}).encode(),
                                        {"Content-Type": "application/json"})
        token = json.loads(raw)["token"]
        for action in ("acknowledge", "contact", "contact", "complete"):
            st, body, _ = self.engine.request("POST", f"/v1/crew/jobs/{job['id']}/{action}", b"{}",
                                              {"Content-Type": "application/json", "Authorization": "Bearer " + token})
            self.assertEqual(st, 200, body)

        def statuses():
            with self.receiver.lock:
                return sorted(b["status"] for p, b in self.receiver.bodies.values() if p == "/hotline")
        wait_for(lambda: len(statuses()) == 3, 10, "three hotline statuses")
        self.assertEqual(statuses(), ["acknowledged", "contacted", "done"])
        with self.receiver.lock:
            self.assertTrue(all(b["ticket_no"] == "OB-3" for p, b in self.receiver.bodies.values() if p == "/hotline"))


if __name__ == "__main__":
    harness.main()
