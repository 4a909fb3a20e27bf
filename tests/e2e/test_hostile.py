#!/usr/bin/env python3
"""Hostile HTTP against the running engine: oversize headers and bodies, slow clients holding
connections, deep JSON, wrong content types, path traversal on the pages, and Redis-protocol and
Lua injection strings in every field. Identifiers outside their character set are refused with a
clear 4xx; free text is stored exactly as sent and touches nothing else; the engine keeps serving
throughout and writes nothing for what it refused."""
import json
import socket
import tempfile
import time
import unittest

import harness
from harness import Engine, Redis

STATE = {}
INJECTIONS = [
    "*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n$3\r\nbar\r\n",
    "'); redis.call('FLUSHALL'); --",
    "]] redis.call('DEL', KEYS[1]) [[",
    "hh:{s00}:idem",
    "{s07}",
    "\"},{\"$ne\":null}",
    "${jndi:ldap://x}",
    "../../../../etc/passwd",
    "%00%0d%0aSET x y",
    "<script>alert(1)</script>",
]


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-hostile-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {"http_read_timeout_seconds": 2})
    engine.start()


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def raw(data, read=True, timeout=10):
    with socket.create_connection(("127.0.0.1", STATE["engine"].port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
                if b"\r\n\r\n" in out and b"Content-Length" in out:
                    head, _, body = out.partition(b"\r\n\r\n")
                    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                    if len(body) >= length:
                        break
        except socket.timeout:
            pass
        return out


def healthy():
    return STATE["engine"].request("GET", "/healthz")[0] == 200


class Hostile(unittest.TestCase):
    def test_oversize_headers_are_431_and_the_engine_goes_on(self):
        out = raw(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 20000 + b"\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431"), out[:100])
        self.assertTrue(healthy())

    def test_slow_clients_are_dropped_and_hold_nothing_meanwhile(self):
        slow = []
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", STATE["engine"].port), timeout=10)
            s.sendall(b"POST /v1/hotline/tickets HTTP/1.1\r\nHost: x\r\n")  # and then nothing more
            slow.append(s)
        try:
            started = time.monotonic()
            self.assertTrue(healthy())
            self.assertLess(time.monotonic() - started, 1.0, "200 stalled clients slow nobody down")
            # Past the read timeout (2 s here) the engine has closed them.
            time.sleep(3)
            closed = 0
            for s in slow:
                s.settimeout(1)
                try:
                    closed += s.recv(1) == b""
                except (ConnectionResetError, socket.timeout):
                    closed += 1
            self.assertEqual(closed, len(slow))
        finally:
            for s in slow:
                s.close()
        self.assertTrue(healthy())

    def test_deep_json_wrong_types_and_media_types_are_refused(self):
        before = STATE["redis"].work_order_count()
        for body, ctype, want in [
            (b"[" * 30000 + b"]" * 30000, "application/json", 400),
            (b'{"ticket_no":' * 3000 + b"1" + b"}" * 3000, "application/json", 400),
            (b'{"ticket_no":"H1","content":"x"}', "text/xml", 415),
            (b'{"ticket_no":"H1","content":"x"}', "", 415),
            (b"\x00\x01\x02\x03", "application/x-protobuf", 400),
            (b'{"ticket_no":"H1","content":"\xed\xa0\x80"}', "application/json", 400),  # a lone surrogate
        ]:
            status, out, _ = STATE["engine"].request("POST", "/v1/hotline/tickets", body, {"Content-Type": ctype})
            self.assertEqual(status, want, (body[:40], out[:200]))
            self.assertIn(b'"error"', out)
        self.assertEqual(STATE["redis"].work_order_count(), before)
        self.assertTrue(healthy())

    def test_path_traversal_finds_nothing(self):
        for path in ["/crew/../deploy/redis.conf", "/crew/%2e%2e/%2e%2e/etc/passwd", "/board/..%2fcrew%2fapp.js",
                     "/walk-in/....//....//etc/passwd", "/common/../../etc/passwd", "//etc/passwd",
                     "/crew/app.js%00.html", "/crew/app.js/", "/crew/.%2e/.%2e/etc/shadow"]:
            status, out, _ = STATE["engine"].request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(b"root:", out)
            self.assertNotIn(b"appendfsync", out)

    def test_injection_strings_in_identifiers_are_refused_and_in_text_are_stored_verbatim(self):
        keys_before = int(STATE["redis"].cli("DBSIZE").strip())
        for i, evil in enumerate(INJECTIONS):
            status, out, _ = STATE["engine"].post_ticket({"ticket_no": evil, "content": "漏水"})
            self.assertEqual(status, 400, (evil, out))
            self.assertEqual(out["error"]["field"], "ticket_no")
        self.assertEqual(int(STATE["redis"].cli("DBSIZE").strip()), keys_before, "nothing written for a refusal")
        stored = []
        for i, evil in enumerate(INJECTIONS):
            ticket = {"ticket_no": f"INJ-{i}", "content": "漏水 " + evil, "address": evil, "caller_name": evil,
                      "category_hint": evil[:90], "urgency_hint": evil[:90]}
            status, out, _ = STATE["engine"].post_ticket(ticket)
            if status == 400:  # a control character (the NUL of a percent-decoded string is not one)
                self.assertIn(out["error"]["field"], ("content", "address", "caller_name"))
                continue
            self.assertEqual(status, 201, (evil, out))
            stored.append((out["id"], ticket))
        self.assertGreaterEqual(len(stored), len(INJECTIONS) - 1)
        for wo_id, ticket in stored:
            _, order = STATE["engine"].get_order(wo_id)
            self.assertEqual(order["content"], ticket["content"])
            self.assertEqual(order["address"], ticket["address"])
            self.assertEqual(order["reporter"]["name"], ticket["caller_name"])
        self.assertEqual(STATE["redis"].cli("GET", "foo").strip(), "", "no command smuggled through")
        self.assertTrue(int(STATE["redis"].cli("DBSIZE").strip()) > keys_before, "nothing flushed")
        for evil in INJECTIONS:
            for path in (f"/v1/work-orders/{evil}", f"/open311/v2/requests/{evil}.json"):
                try:
                    status, _, _ = STATE["engine"].request("GET", path.replace("\r", "%0d").replace("\n", "%0a")
                                                           .replace(" ", "%20"))
                except Exception:  # the client library itself refuses some of these
                    continue
                self.assertIn(status, (400, 401, 403, 404), path)
        self.assertTrue(healthy())


if __name__ == "__main__":
    harness.main()
