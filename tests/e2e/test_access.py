#!/usr/bin/env python3
"""No organisation reaches another's jobs: every operation of docs/openapi.yaml that names a
work order is tried with no session, a forged token, and the sessions of another firm's crew and
manager and of another committee; each is refused (401/403/404), nothing it tried is written,
and no reporter's phone leaks. The lists and live views show them nothing of the job either.

Then the outside review's findings, one test each: a replayed 12345 number, a cross-firm unlink,
Open311 reads, a flood of linked reports, descriptor exhaustion, the board's stream, sessions and
codes, a burst of guesses, markdown in 企业微信 messages, a colleague's job, and the HTTP and
page headers."""
import hashlib
import http.client
import json
import os
import resource
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import yaml

import harness
from harness import Engine, Redis, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
STATE = {}
PHONE = "13812345678"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-access-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {"board_max_streams": 5})
    engine.start()
    people = {
        "crew_b": ("13300000001", "钱师傅", "三杨物业", "crew"),
        "manager_b": ("13300000002", "孙经理", "三杨物业", "manager"),
        "committee_other": ("13300000003", "居委小吴", "凌一", "committee"),
        "crew_a": ("13300000004", "李师傅", "临客嘉物业", "crew"),
    }
    STATE["tokens"] = {}
    for who, (phone, name, org, role) in people.items():
        code = engine.crew_add(phone, name, org, role)
        status, raw, _ = engine.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                        {"Content-Type": "application/json"})
        assert status == 200, raw
        STATE["tokens"][who] = json.loads(raw)["token"]
    STATE["tokens"]["forged"] = "f" * 64
    status, job, _ = engine.post_ticket({"ticket_no": "ACC-1", "content": "厨房水管爆了", "address": "丹桂苑4号楼401室",
                                         "caller_phone": PHONE})
    assert status == 201, job
    STATE["job"] = job["id"]


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def call(method, path, token, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    status, raw, _ = STATE["engine"].request(method, path, body, headers)
    return status, raw.decode(errors="replace")


class Access(unittest.TestCase):
    def test_every_operation_on_a_work_order_refuses_other_organisations(self):
        with open(os.path.join(HERE, "..", "..", "docs", "openapi.yaml")) as f:
            doc = yaml.safe_load(f)
        job = STATE["job"]
        before = STATE["engine"].get_order(job)[1]
        tried = 0
        for path, ops in doc["paths"].items():
            if "{id}" not in path:
                continue
            for method, op in ops.items():
                if {"bearer": []} not in op.get("security", []):
                    continue  # Open311's public read: it masks phones, tested in test_open311
                for action in (["acknowledge", "contact", "arrive", "complete", "hand-over"] if "{action}" in path
                               else [None]):
                    concrete = path.replace("{id}", job).replace("{action}", action or "")
                    body = json.dumps({"member_id": "13300000001", "community": "凌兆路608弄", "key": "12345:ACC-1",
                                       "note": "试图越权", "request_id": "x", "urgency": "GENERAL",
                                       "reason": "试图越权"}).encode() if method == "post" else None
                    for who in (None, "forged", "crew_b", "manager_b", "committee_other"):
                        status, text = call(method.upper(), concrete, STATE["tokens"].get(who), body)
                        with self.subTest(method=method, path=concrete, who=who):
                            self.assertIn(status, (401, 403, 404), text)
                            self.assertNotIn(PHONE, text)
                            self.assertNotIn("138****5678", text, "not even masked: nothing of the job at all")
                        tried += 1
        self.assertGreaterEqual(tried, 40)
        after = STATE["engine"].get_order(job)[1]
        self.assertEqual(after["version"], before["version"], "nothing any of them tried was written")
        self.assertEqual(after["history"], before["history"])

    def test_lists_and_views_show_another_firm_nothing(self):
        job = STATE["job"]
        status, text = call("GET", "/v1/crew/jobs", STATE["tokens"]["crew_b"])
        self.assertEqual(status, 200)
        self.assertNotIn(job, text)
        for path in ("/v1/board", "/v1/reports/breaches?month=2026-11", "/v1/channels/walk-in/communities"):
            for who in ("crew_b", "manager_b"):
                status, text = call("GET", path, STATE["tokens"][who])
                self.assertEqual(status, 403, (path, who, text))

    def test_sessions_are_kept_as_hashes_and_every_one_expires(self):
        keys = STATE["redis"].cli("--scan", "--pattern", "hh:{auth}:session:*").split()
        self.assertGreaterEqual(len(keys), 4)
        for k in keys:
            ttl = int(STATE["redis"].cli("TTL", k).strip())
            self.assertGreater(ttl, 0, k)
            for token in STATE["tokens"].values():
                self.assertNotIn(token, k, "the token itself is never stored")

    def test_the_holders_crew_sees_the_phone_only_once_the_job_is_theirs(self):
        job = STATE["job"]
        status, text = call("GET", "/v1/work-orders/" + job, STATE["tokens"]["crew_a"])
        self.assertEqual(status, 200, text)
        self.assertNotIn(PHONE, text)
        self.assertIn("138****5678", text)


DIRECTORY = json.load(open(os.path.join(HERE, "..", "..", "deploy", "directory.json"), encoding="utf-8"))
FIRM_OF = {c["name"]: c["firm"] for c in DIRECTORY["communities"]}
COUNTER = {"n": 0}


def fresh_member(engine, name, org, role="crew"):
    """A member of its own with a token: codes log in once, so each test makes the ones it needs."""
    COUNTER["n"] += 1
    phone = f"1770000{COUNTER['n']:04d}"
    code = engine.crew_add(phone, name, org, role)
    return phone, engine.login(phone, code)


def as_member(token, method, path, body=None):
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}
    data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
    status, raw, _ = STATE["engine"].request(method, path, data, headers)
    return status, raw.decode(errors="replace")


def private_engine(test, config, **kwargs):
    """An engine and a Redis of the test's own, stopped (and checked for a clean exit) after it."""
    root = tempfile.mkdtemp(prefix="halfhour-access-own-")
    redis = Redis(root)
    redis.start()
    engine = Engine(root, redis, config, **kwargs)
    engine.start()
    test.addCleanup(harness.shut_down, engine, redis, root)
    return engine


class ReplayedTicket(unittest.TestCase):
    """Finding 1: a 12345 number posted again is a retry, answered with nothing personal."""

    def test_a_replayed_ticket_number_shows_no_reporter_and_no_staff(self):
        engine = STATE["engine"]
        ticket = {"ticket_no": "ACC-R1", "content": "卫生间水管爆了，水漫出来", "address": "金桂苑7号楼302室",
                  "caller_name": "钱阿姨", "caller_phone": "13911112222"}
        status, first, _ = engine.post_ticket(ticket)
        self.assertEqual(status, 201, first)
        crew_phone, crew = fresh_member(engine, "冯师傅", FIRM_OF["金桂苑"])
        self.assertEqual(as_member(crew, "POST", f"/v1/crew/jobs/{first['id']}/acknowledge", {})[0], 200)
        status, raw, headers = engine.request("POST", "/v1/hotline/tickets", json.dumps(ticket).encode(),
                                              {"Content-Type": "application/json"})
        text = raw.decode()
        again = json.loads(raw)
        self.assertEqual(status, 200, text)
        self.assertEqual((again["id"], again["state"]), (first["id"], "ACKNOWLEDGED"))
        self.assertTrue(again["clocks"], "the deadline is what the caller may learn")
        for secret in ("13911112222", "139****2222", "钱阿姨", "302", crew_phone, "冯师傅", "水漫出来"):
            self.assertNotIn(secret, text)
        self.assertEqual(again.get("history", []), [], "no history: it names staff")
        # A second caller about the same incident joins the job and learns nothing of the first.
        other = {"ticket_no": "ACC-R2", "content": "楼上卫生间水管爆裂，水一直往下漫", "address": "金桂苑7号楼202室",
                 "caller_name": "孙先生", "caller_phone": "13933334444"}
        status, joined, headers = engine.post_ticket(other)
        self.assertEqual((status, headers.get("Halfhour-Linked")), (200, first["id"]), joined)
        for secret in ("13911112222", "钱阿姨", crew_phone, "13933334444", "孙先生"):
            self.assertNotIn(secret, json.dumps(joined, ensure_ascii=False))

    def test_keys_close_the_hotline_door_and_an_exposed_engine_without_keys_does_not_start(self):
        key = "hotline-forwarder-key-0001"
        engine = private_engine(self, {"channels": {"hotline_api_keys": {
            "城运中心": hashlib.sha256(key.encode()).hexdigest()}}})
        ticket = {"ticket_no": "KEY-1", "content": "楼道灯不亮", "address": "丹桂苑3号楼"}
        self.assertEqual(engine.post_ticket(ticket)[0], 401)
        self.assertEqual(engine.post_ticket(ticket, headers={"X-Api-Key": "wrong"})[0], 401)
        self.assertEqual(engine.post_ticket(ticket, headers={"X-Api-Key": key})[0], 201)
        # Listening where others reach it with doors that take anyone: the engine says which keys.
        root = tempfile.mkdtemp(prefix="halfhour-access-open-")
        config = os.path.join(root, "engine.json")
        with open(config, "w") as f:
            json.dump({"listen_address": "0.0.0.0", "redis_unix_socket": os.path.join(root, "none.sock")}, f)
        out = subprocess.run([harness.binary(), "--config", config, "serve", "--port", "0"], capture_output=True,
                             text=True, timeout=20)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("channels.hotline_api_keys", out.stderr)
        self.assertIn("channels.channel_api_keys", out.stderr)


class CrossFirmUnlink(unittest.TestCase):
    """Finding 2: a key linked to another firm's job gets nothing of that job."""

    def test_unlinking_a_report_of_another_firms_job_is_refused_with_nothing_of_it(self):
        engine = STATE["engine"]
        status, job_a, _ = engine.post_ticket({"ticket_no": "ACC-U1", "content": "楼道灯不亮了",
                                               "address": "丹桂苑5号楼"})
        self.assertEqual(status, 201, job_a)
        status, linked, headers = engine.post_ticket({"ticket_no": "ACC-U2", "content": "5号楼楼道灯坏了，晚上看不见",
                                                      "address": "丹桂苑5号楼", "caller_phone": "13955556666"})
        self.assertEqual(headers.get("Halfhour-Linked"), job_a["id"], linked)
        status, job_b, _ = engine.post_ticket({"ticket_no": "ACC-U3", "content": "单元门锁坏了",
                                               "address": "三林路709弄2号"})
        self.assertEqual(status, 201, job_b)
        _, manager_b = fresh_member(engine, "孙经理", FIRM_OF["三林路709弄"], "manager")
        _, station = fresh_member(engine, "值班员", DIRECTORY["station"], "station")
        for token in (manager_b, station):
            status, text = as_member(token, "POST", f"/v1/work-orders/{job_b['id']}/unlink", {"key": "12345:ACC-U2"})
            self.assertEqual(status, 409, text)
            for secret in ("13955556666", "139****6666", job_a["id"], "楼道灯"):
                self.assertNotIn(secret, text)
        _, order = engine.get_order(job_a["id"])
        self.assertEqual([l["key"] for l in order["linked"]], ["12345:ACC-U2"], "the link is untouched")


class Open311Reads(unittest.TestCase):
    """Finding 3: reading needs a key, and no phone or room survives in any notation."""

    def test_reading_needs_a_key_and_phones_and_rooms_are_gone_however_written(self):
        key = "open311-reader-0001"
        engine = private_engine(self, {"channels": {"open311_api_keys": {
            "区平台": hashlib.sha256(key.encode()).hexdigest()}}})
        description = "厨房水管爆裂。联系138-1234-5678或１３９８７６５４３２１，也可打139 8765 4321，住1202室"
        body = urllib.parse.urlencode({"api_key": key, "service_code": "burst_pipe", "description": description,
                                       "address_string": "金谊河畔5号楼1202室"}).encode()
        status, raw, _ = engine.request("POST", "/open311/v2/requests.json", body,
                                        {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 201, raw)
        rid = json.loads(raw)[0]["service_request_id"]
        for path in (f"/open311/v2/requests/{rid}.json", "/open311/v2/requests.json"):
            self.assertEqual(engine.request("GET", path)[0], 403, path)
            self.assertEqual(engine.request("GET", path + "?api_key=wrong")[0], 403, path)
            status, raw, _ = engine.request("GET", path + "?api_key=" + key)
            self.assertEqual(status, 200, raw)
            text = raw.decode()
            for secret in ("1234-5678", "12345678", "８７６５４３２１", "8765 4321", "87654321", "1202"):
                self.assertNotIn(secret, text, path)
            got = json.loads(raw)[0]
            self.assertIn("厨房水管爆裂", got["description"])
            self.assertEqual(got["address"], "金谊河畔5号")


class LinkedFlood(unittest.TestCase):
    """Finding 4: the 51st report of one incident is counted, not stored whole."""

    def test_reports_past_fifty_are_counted_and_a_list_entry_stays_small(self):
        engine = STATE["engine"]
        status, job, _ = engine.post_ticket({"ticket_no": "FLOOD-0", "content": "楼道灯不亮", "address": "品华苑2号楼"})
        self.assertEqual(status, 201, job)
        long_text = "楼道灯不亮" + "，真的很黑" * 600
        for i in range(1, 52):
            status, body, headers = engine.post_ticket({"ticket_no": f"FLOOD-{i}", "address": "品华苑2号楼",
                                                        "content": long_text if i == 1 else f"2号楼楼道灯坏了（第{i}位）",
                                                        "caller_phone": f"1380000{i:04d}"})
            self.assertEqual(headers.get("Halfhour-Linked"), job["id"], (i, body))
        _, order = engine.get_order(job["id"])
        self.assertEqual((len(order["linked"]), order["linked_count"]), (50, 51))
        self.assertLessEqual(len(order["linked"][0]["content"]), 1010, "a report's text is clipped")
        self.assertFalse(order.get("linked_tickets"), "the counted reports' numbers are kept, not shown")
        _, crew = fresh_member(engine, "吴师傅", FIRM_OF["品华苑"])
        status, raw, _ = engine.request("GET", "/v1/crew/jobs", None, {"Authorization": "Bearer " + crew})
        entry = [j["work_order"] for j in json.loads(raw)["jobs"] if j["work_order"]["id"] == job["id"]][0]
        self.assertEqual(entry["linked_count"], 51)
        self.assertLessEqual(len(entry["linked"]), 5)
        self.assertFalse(any(l.get("content") for l in entry["linked"]))
        self.assertLess(len(json.dumps(entry, ensure_ascii=False).encode()), 8 * 1024)


def lower_descriptor_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))


class DescriptorExhaustion(unittest.TestCase):
    """Finding 5: 300 stalled clients against 128 descriptors: health answers, the log stays quiet,
    and the engine does not spin."""

    def test_health_answers_within_a_second_while_stalled_clients_hold_every_descriptor(self):
        engine = private_engine(self, {"http_read_timeout_seconds": 60}, preexec_fn=lower_descriptor_limit)
        cpu_before = self.cpu_seconds(engine)
        lines_before = len(engine.log)
        stalled = []
        try:
            for _ in range(300):
                s = socket.create_connection(("127.0.0.1", engine.port), timeout=5)
                stalled.append(s)
                try:
                    s.sendall(b"POST /v1/hotline/tickets HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
                except OSError:
                    pass  # displaced already: at its cap the engine closes the oldest connection waiting
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", engine.port, timeout=1)
            conn.request("GET", "/healthz")
            self.assertEqual(conn.getresponse().status, 200)
            self.assertLess(time.monotonic() - started, 1.0)
            conn.close()
            time.sleep(2)  # a window to watch the engine's CPU and log while the clients stall
            cpu = self.cpu_seconds(engine) - cpu_before
            self.assertLess(cpu, 1.0, f"{cpu:.2f} s of CPU in ~2 s: the engine spins")
            self.assertLess(len(engine.log) - lines_before, 15, "".join(engine.log[lines_before:][-20:]))
        finally:
            for s in stalled:
                s.close()

    @staticmethod
    def cpu_seconds(engine):
        with open(f"/proc/{engine.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class BoardStream(unittest.TestCase):
    """Finding 6: the stream ends with its session, and streams are capped."""

    def open_stream(self, token):
        conn = http.client.HTTPConnection("127.0.0.1", STATE["engine"].port, timeout=15)
        conn.request("GET", "/v1/board/events", headers={"Authorization": "Bearer " + token})
        return conn, conn.getresponse()

    def test_a_stream_closes_when_its_session_ends(self):
        _, token = fresh_member(STATE["engine"], "看板", "建管中心", "supervisor")
        conn, resp = self.open_stream(token)
        self.assertEqual(resp.status, 200)
        self.assertEqual(harness.read_event(resp), "board")
        self.assertEqual(as_member(token, "POST", "/v1/auth/logout")[0], 200)
        started = time.monotonic()
        event = harness.read_event(resp)
        while event == "board":
            event = harness.read_event(resp)
        self.assertEqual(event, "ended")
        self.assertIsNone(harness.read_event(resp), "and the connection closes")
        self.assertLess(time.monotonic() - started, 8)
        resp.close()
        conn.close()

    def test_streams_are_capped_per_session_and_in_all(self):
        _, one = fresh_member(STATE["engine"], "看板甲", "建管中心", "supervisor")
        _, two = fresh_member(STATE["engine"], "看板乙", "建管中心", "supervisor")
        opened = []
        try:
            for _ in range(3):
                opened.append(self.open_stream(one))
                self.assertEqual(opened[-1][1].status, 200)
            conn, resp = self.open_stream(one)
            self.assertEqual(resp.status, 429, "a fourth stream of one session")
            resp.close()
            conn.close()
            for _ in range(2):
                opened.append(self.open_stream(two))
                self.assertEqual(opened[-1][1].status, 200)
            conn, resp = self.open_stream(two)
            self.assertEqual(resp.status, 429, "past board_max_streams (5) in all")
            resp.close()
            conn.close()
        finally:
            for conn, resp in opened:
                resp.close()  # the response holds the socket open too
                conn.close()
        # Closed streams give their places back (the engine notices at its next heartbeat).
        def a_place():
            conn, resp = self.open_stream(two)
            resp.close()
            conn.close()
            return resp.status == 200
        wait_for(a_place, 15, "a place after the others closed")


class Sessions(unittest.TestCase):
    """Finding 7: sessions end on a new code, on removal and on logout; codes log in once and
    expire unused."""

    def test_a_new_code_removal_and_logout_end_sessions_and_codes_are_single_use_and_expire(self):
        engine = STATE["engine"]
        phone = "17800000001"
        code = engine.crew_add(phone, "蒋师傅", "临客嘉物业")
        old = engine.login(phone, code)
        status, _, _ = engine.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                      {"Content-Type": "application/json"})
        self.assertEqual(status, 401, "a code logs in once")
        self.assertEqual(as_member(old, "GET", "/v1/crew/jobs")[0], 200)
        moved = engine.crew_add(phone, "蒋师傅", "三杨物业")  # moved to another firm: a new code
        self.assertEqual(as_member(old, "GET", "/v1/crew/jobs")[0], 401, "the old firm's session ended")
        token = engine.login(phone, moved)
        self.assertEqual(as_member(token, "POST", "/v1/auth/logout")[0], 200)
        self.assertEqual(as_member(token, "GET", "/v1/crew/jobs")[0], 401)
        self.assertEqual(as_member(token, "POST", "/v1/auth/logout")[0], 401)
        # An unused code expires: its expiry moved into the past, as 72 hours would.
        late = engine.crew_add(phone, "蒋师傅", "三杨物业")
        STATE["redis"].cli("HSET", "hh:{auth}:member:" + phone, "code_expires", "1")
        status, _, _ = engine.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": late}).encode(),
                                      {"Content-Type": "application/json"})
        self.assertEqual(status, 401, "an expired code")
        fresh = engine.crew_add(phone, "蒋师傅", "三杨物业")
        token = engine.login(phone, fresh)
        out = subprocess.run([harness.binary(), "crew", "remove", "--phone", phone, "--redis-socket",
                              STATE["redis"].socket], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(as_member(token, "GET", "/v1/crew/jobs")[0], 401, "removal ends the session")
        self.assertEqual(STATE["redis"].cli("EXISTS", "hh:{auth}:member:" + phone).strip(), "0")


def login_status(engine, phone, code, results):
    try:
        status, _, _ = engine.request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                      {"Content-Type": "application/json"})
    except OSError:
        status = None
    results.append(status)


class GuessBurst(unittest.TestCase):
    """Finding 8: attempts are counted before a code is compared, per phone and per address."""

    def burst(self, engine, attempts):
        results, threads = [], []
        for phone, code in attempts:
            t = threading.Thread(target=login_status, args=(engine, phone, code, results))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        return results

    def test_a_burst_of_wrong_codes_checks_at_most_five_and_the_right_one_last_stays_out(self):
        engine = private_engine(self, {})
        phone = "17900000001"
        engine.crew_add(phone, "韩师傅", "临客嘉物业")
        before = engine.metric("halfhour_login_codes_compared_total")
        results = self.burst(engine, [(phone, f"{i:010d}") for i in range(300)])
        self.assertNotIn(200, results)
        compared = engine.metric("halfhour_login_codes_compared_total") - before
        self.assertLessEqual(compared, 5, f"{compared} codes compared in a burst of 300")

    def test_the_right_code_sent_last_in_a_burst_of_sixty_stays_out(self):
        engine = private_engine(self, {})  # its own: the burst above locked this address too
        phone = "17900000002"
        right = engine.crew_add(phone, "杨师傅", "临客嘉物业")
        results, last = [], []
        threads = [threading.Thread(target=login_status, args=(engine, phone, f"{i:010d}", results)) for i in range(59)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        login_status(engine, phone, right, last)
        for t in threads:
            t.join()
        self.assertNotIn(200, results)
        self.assertEqual(last, [429], "five guesses used the phone's attempts up: the right code is not compared")

    def test_one_address_is_limited_across_phones(self):
        engine = private_engine(self, {})
        phone = "17900000010"
        code = engine.crew_add(phone, "陶师傅", "临客嘉物业")
        for i in range(30):
            results = []
            login_status(engine, f"1790001{i:04d}", "0000000000", results)
            self.assertEqual(results, [401], i)
        results = []
        login_status(engine, phone, code, results)
        self.assertEqual(results, [429], "thirty failures from one address lock it for every phone")


class MarkdownInMessages(unittest.TestCase):
    """Finding 9: what a reporter typed reaches the 企业微信 group as text."""

    def test_an_address_cannot_put_a_heading_a_link_or_a_tag_into_the_stations_group(self):
        from test_outbox import Receiver
        receiver = Receiver()
        self.addCleanup(receiver.stop)
        engine = private_engine(self, {"delivery": {"webhooks": {"default": f"http://127.0.0.1:{receiver.port}/robot"},
                                                    "poll_ms": 200}})
        evil = "某某路1号\n# 紧急通知\n[点此领取补贴](http://evil.example/x) <font color=\"warning\">速点</font> **粗**"
        status, job, _ = engine.post_ticket({"ticket_no": "MD-1", "content": "楼道灯不亮", "address": evil})
        self.assertEqual((status, job["holder"]), (201, DIRECTORY["station"]), job)
        wait_for(lambda: receiver.bodies, 10, "the dispatch message")
        content = [b["markdown"]["content"] for _, b in receiver.bodies.values() if "markdown" in b][0]
        self.assertIn("紧急通知", content, "the text is kept, as text")
        for raw in ("\n", "](", "<font", "**"):
            self.assertNotIn(raw, content)


class ColleaguesJob(unittest.TestCase):
    """Finding 10: once a crew has a job, its colleagues cannot act on it; refusals name nobody."""

    def test_a_colleague_cannot_finish_anothers_job_and_refusals_name_nobody(self):
        engine = STATE["engine"]
        firm = FIRM_OF["樱桃苑"]
        status, job, _ = engine.post_ticket({"ticket_no": "COL-1", "content": "单元门禁坏了", "address": "樱桃苑3号"})
        self.assertEqual(status, 201, job)
        taker_phone, taker = fresh_member(engine, "朱师傅", firm)
        _, colleague = fresh_member(engine, "秦师傅", firm)
        self.assertEqual(as_member(taker, "POST", f"/v1/crew/jobs/{job['id']}/acknowledge", {})[0], 200)
        for action in ("complete", "arrive", "contact", "hand-over"):
            status, text = as_member(colleague, "POST", f"/v1/crew/jobs/{job['id']}/{action}", {"note": "试试"})
            self.assertEqual(status, 409, (action, text))
            self.assertNotIn("朱师傅", json.loads(text)["error"]["message"])
        _, order = engine.get_order(job["id"])
        self.assertEqual(order["state"], "ACKNOWLEDGED")
        _, manager = fresh_member(engine, "许经理", firm, "manager")
        other_phone, _ = fresh_member(engine, "尤师傅", "三杨物业")
        status, text = as_member(manager, "POST", f"/v1/manager/jobs/{job['id']}/assign", {"member_id": other_phone})
        self.assertIn(status, (400, 409), text)
        self.assertNotIn("尤师傅", text)
        self.assertNotIn(other_phone, text)


class Headers(unittest.TestCase):
    """Finding 11: an unknown transfer coding is refused, pages cannot be framed, and /metrics
    takes a token when one is configured."""

    def test_unknown_transfer_coding_is_refused_pages_carry_their_policy_and_metrics_take_a_token(self):
        engine = STATE["engine"]
        with socket.create_connection(("127.0.0.1", engine.port), timeout=5) as s:
            body = b'{"ticket_no":"TE-1","content":"x"}'
            s.sendall(b"POST /v1/hotline/tickets HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                      b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() +
                      b"\r\n\r\n" + body)
            head = s.recv(4096).decode(errors="replace")
        self.assertTrue(head.startswith("HTTP/1.1 501"), head)
        self.assertNotIn("TE-1", STATE["redis"].cli("--scan", "--pattern", "hh:*"))
        for page in ("/crew/", "/board/", "/walk-in/"):
            status, _, headers = engine.request("GET", page)
            self.assertEqual(status, 200)
            self.assertEqual(headers.get("X-Frame-Options"), "DENY")
            self.assertIn("frame-ancestors 'none'", headers.get("Content-Security-Policy", ""))
            self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff")
        token = "scraper-token-0001"
        own = private_engine(self, {"metrics_api_keys": {"prometheus": hashlib.sha256(token.encode()).hexdigest()}})
        self.assertEqual(own.request("GET", "/metrics")[0], 401)
        self.assertEqual(own.request("GET", "/metrics", None, {"Authorization": "Bearer wrong"})[0], 401)
        status, raw, _ = own.request("GET", "/metrics", None, {"Authorization": "Bearer " + token})
        self.assertEqual(status, 200)
        self.assertIn(b"halfhour_tickets_accepted_total", raw)


if __name__ == "__main__":
    harness.main()

