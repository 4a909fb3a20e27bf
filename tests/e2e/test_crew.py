#!/usr/bin/env python3
"""The crew API over HTTP against a real Redis: login and sessions, cross-firm 403, expired
401, idempotent retries, 409 on an action that no longer applies, and the hand-over to the
station."""
import concurrent.futures
import hashlib
import json
import os
import sys
import tempfile
import unittest
import uuid

import harness
from harness import Engine, Redis

STATE = {}
FIRM_A, FIRM_B, STATION = "临客嘉物业", "三杨物业", "街道物业应急维修服务站"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-crew-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    # Long clocks: nothing breaches while these tests act; a short session to check its TTL.
    engine = STATE["engine"] = Engine(root, redis, {"session_ttl_seconds": 600})
    engine.start()
    STATE["codes"] = {
        "a1": ("13900000001", engine.crew_add("13900000001", "李师傅", FIRM_A)),
        "a2": ("13900000002", engine.crew_add("13900000002", "王师傅", FIRM_A)),
        "am": ("13900000003", engine.crew_add("13900000003", "赵经理", FIRM_A, "manager")),
        "b1": ("13900000004", engine.crew_add("13900000004", "钱师傅", FIRM_B)),
        "st": ("13900000005", engine.crew_add("13900000005", "孙站长", STATION, "station")),
        "lock": ("13900000006", engine.crew_add("13900000006", "吴师傅", FIRM_A)),
        # Codes log in once: these two are for the tests that log in by hand.
        "fresh1": ("13900000007", engine.crew_add("13900000007", "周师傅", FIRM_A)),
        "fresh2": ("13900000008", engine.crew_add("13900000008", "郑师傅", FIRM_A)),
    }
    STATE["tokens"] = {}


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def api(method, path, token=None, body=None):
    headers = {}
    if token:
        headers["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body, ensure_ascii=False).encode()
    status, raw, _ = STATE["engine"].request(method, path, data, headers)
    return status, json.loads(raw) if raw else None


def login(who):
    if who not in STATE["tokens"]:
        phone, code = STATE["codes"][who]
        status, body = api("POST", "/v1/auth/login", body={"phone": phone, "code": code})
        assert status == 200, body
        STATE["tokens"][who] = body["token"]
    return STATE["tokens"][who]


def new_job(ticket_no, content="电梯困人", address=None):
    # Each job in a building of its own: the same report twice in one building is one incident,
    # and would join the first job instead of opening a second.
    STATE["buildings"] = STATE.get("buildings", 10) + 1
    address = address or f"丹桂苑{STATE['buildings']}号楼"
    status, body, _ = STATE["engine"].post_ticket(
        {"ticket_no": ticket_no, "content": content, "address": address, "caller_phone": "13812345678"})
    assert status == 201, body
    assert body["holder"] == FIRM_A
    return body["id"]


def events(wo_id, kind):
    _, order = STATE["engine"].get_order(wo_id)
    return [e for e in order["history"] if e["kind"] == kind]


class Login(unittest.TestCase):
    def test_login_gives_a_token_that_is_stored_only_as_its_hash(self):
        phone, code = STATE["codes"]["fresh1"]
        status, body = api("POST", "/v1/auth/login", body={"phone": phone, "code": code})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["member"], {"id": phone, "name": "周师傅", "organisation": FIRM_A, "role": "CREW"})
        token = body["token"]
        redis = STATE["redis"]
        keys = redis.cli("--scan", "--pattern", "hh:*").split()
        self.assertFalse(any(token in k for k in keys))
        session_key = "hh:{auth}:session:" + hashlib.sha256(token.encode()).hexdigest()
        self.assertIn(session_key, keys)
        ttl = int(redis.cli("TTL", session_key))
        self.assertTrue(0 < ttl <= 600, ttl)
        self.assertNotIn(code, redis.cli("HGETALL", "hh:{auth}:member:" + phone))

    def test_wrong_code_is_401_and_repeated_failures_lock_the_phone(self):
        phone, code = STATE["codes"]["lock"]
        for i in range(4):
            status, body = api("POST", "/v1/auth/login", body={"phone": phone, "code": "0000000000"})
            self.assertEqual(status, 401, body)
        status, _ = api("POST", "/v1/auth/login", body={"phone": phone, "code": "0000000000"})
        self.assertEqual(status, 429)
        status, body = api("POST", "/v1/auth/login", body={"phone": phone, "code": code})
        self.assertEqual(status, 429, "the right code must not get through a locked phone")
        status, _ = api("POST", "/v1/auth/login", body={"phone": "13999999999", "code": "1234567890"})
        self.assertEqual(status, 401)

    def test_missing_forged_and_expired_tokens_are_401(self):
        self.assertEqual(api("GET", "/v1/crew/jobs")[0], 401)
        self.assertEqual(api("GET", "/v1/crew/jobs", token="f" * 64)[0], 401)
        self.assertEqual(api("GET", "/v1/crew/jobs", token="not a token")[0], 401)
        phone, code = STATE["codes"]["fresh2"]
        _, body = api("POST", "/v1/auth/login", body={"phone": phone, "code": code})
        token = body["token"]
        self.assertEqual(api("GET", "/v1/crew/jobs", token=token)[0], 200)
        # Expire this session the way time would: its key's TTL runs out.
        STATE["redis"].cli("PEXPIRE", "hh:{auth}:session:" + hashlib.sha256(token.encode()).hexdigest(), "1")
        harness.wait_for(lambda: api("GET", "/v1/crew/jobs", token=token)[0] == 401, 5, "session expiry")

    def test_bad_login_bodies_are_400(self):
        self.assertEqual(api("POST", "/v1/auth/login", body={"phone": "abc", "code": "1"})[0], 400)
        self.assertEqual(api("POST", "/v1/auth/login", body={"phone": "13900000001"})[0], 400)


class Jobs(unittest.TestCase):
    def test_another_firm_never_sees_or_touches_the_job(self):
        wo = new_job("CR-1")
        status, body = api("GET", "/v1/crew/jobs", token=login("b1"))
        self.assertEqual(status, 200)
        self.assertNotIn(wo, [j["work_order"]["id"] for j in body["jobs"]])
        self.assertEqual(api("GET", f"/v1/crew/jobs/{wo}", token=login("b1"))[0], 403)
        for action in ("acknowledge", "contact", "arrive", "complete"):
            self.assertEqual(api("POST", f"/v1/crew/jobs/{wo}/{action}", token=login("b1"), body={})[0], 403)
        self.assertEqual(events(wo, "ACKNOWLEDGED"), [])

    def test_acknowledge_is_idempotent_for_its_crew_and_409_for_another(self):
        wo = new_job("CR-2")
        _, listed = api("GET", "/v1/crew/jobs", token=login("a1"))
        entry = next(j for j in listed["jobs"] if j["work_order"]["id"] == wo)
        job = entry["work_order"]
        self.assertEqual(job["reporter"]["phone"], "138****5678")  # not yet this crew's job
        self.assertEqual(entry["clock"], "ACKNOWLEDGE")  # 10 minutes to 接单 come before 30 to 到场
        self.assertTrue(0 < int(entry["time_left_ms"]) <= 600_000, entry["time_left_ms"])
        self.assertIn("server_time", listed)
        status, body = api("POST", f"/v1/crew/jobs/{wo}/acknowledge", token=login("a1"), body={})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["state"], "ACKNOWLEDGED")
        self.assertEqual(body["reporter"]["phone"], "13812345678")
        status, body = api("POST", f"/v1/crew/jobs/{wo}/acknowledge", token=login("a1"), body={})
        self.assertEqual(status, 200, body)
        status, body = api("POST", f"/v1/crew/jobs/{wo}/acknowledge", token=login("a2"), body={})
        self.assertEqual(status, 409, body)
        self.assertEqual(body["work_order"]["state"], "ACKNOWLEDGED")
        self.assertTrue(body["error"]["message"])
        self.assertEqual(body["work_order"]["reporter"]["phone"], "138****5678")
        self.assertEqual(len(events(wo, "ACKNOWLEDGED")), 1)
        # The other crew no longer lists a job its colleague took; the manager still does.
        _, other = api("GET", "/v1/crew/jobs", token=login("a2"))
        self.assertNotIn(wo, [j["work_order"]["id"] for j in other["jobs"]])
        _, manager = api("GET", "/v1/crew/jobs", token=login("am"))
        self.assertIn(wo, [j["work_order"]["id"] for j in manager["jobs"]])

    def test_a_retried_check_in_is_recorded_once_and_stops_the_clock(self):
        wo = new_job("CR-3")
        request_id = str(uuid.uuid4())
        check_in = {"request_id": request_id, "device_time": "2026-11-28T10:00:00+08:00",
                    "position": {"latitude": 31.152, "longitude": 121.503, "accuracy_m": 15}}
        first = api("POST", f"/v1/crew/jobs/{wo}/arrive", token=login("a1"), body=check_in)
        again = api("POST", f"/v1/crew/jobs/{wo}/arrive", token=login("a1"), body=check_in)
        self.assertEqual((first[0], again[0]), (200, 200), (first, again))
        [arrived] = events(wo, "ARRIVED")
        self.assertEqual(arrived["position"]["latitude"], 31.152)
        self.assertEqual(arrived["actor"], "李师傅")
        self.assertEqual(arrived["organisation"], FIRM_A)
        _, order = STATE["engine"].get_order(wo)
        on_site = next(c for c in order["clocks"] if c["kind"] == "ON_SITE")
        self.assertIn("stopped_at", on_site)
        self.assertNotIn("breached_at", on_site)

    def test_two_crews_racing_for_one_job_get_one_acknowledgement(self):
        wo = new_job("CR-4")
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda who: api("POST", f"/v1/crew/jobs/{wo}/acknowledge", token=login(who), body={}),
                                    ["a1", "a2"]))
        self.assertEqual(sorted(r[0] for r in results), [200, 409], results)
        self.assertEqual(len(events(wo, "ACKNOWLEDGED")), 1)

    def test_hand_over_moves_the_job_to_the_station(self):
        wo = new_job("CR-5")
        self.assertEqual(api("POST", f"/v1/crew/jobs/{wo}/hand-over", token=login("a1"), body={})[0], 400)  # no reason
        status, body = api("POST", f"/v1/crew/jobs/{wo}/hand-over", token=login("a1"), body={"note": "今晚无人值班"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["holder"], body["responsible_firm"]), (STATION, FIRM_A))
        status, body = api("POST", f"/v1/crew/jobs/{wo}/arrive", token=login("a1"), body={})
        self.assertEqual(status, 409)
        self.assertEqual(body["error"]["code"], "moved")
        _, firm = api("GET", "/v1/crew/jobs", token=login("am"))
        self.assertNotIn(wo, [j["work_order"]["id"] for j in firm["jobs"]])
        _, station = api("GET", "/v1/crew/jobs", token=login("st"))
        self.assertIn(wo, [j["work_order"]["id"] for j in station["jobs"]])
        self.assertEqual(api("POST", f"/v1/crew/jobs/{wo}/complete", token=login("st"), body={"note": "已修复"})[0], 200)
        _, station = api("GET", "/v1/crew/jobs", token=login("st"))
        self.assertNotIn(wo, [j["work_order"]["id"] for j in station["jobs"]])
        status, body = api("POST", f"/v1/crew/jobs/{wo}/complete", token=login("st"), body={})
        self.assertEqual(status, 409)
        self.assertEqual(body["work_order"]["state"], "DONE")

    def test_bad_action_requests_are_refused_clearly(self):
        wo = new_job("CR-6")
        token = login("a1")
        self.assertEqual(api("POST", f"/v1/crew/jobs/{wo}/fly", token=token, body={})[0], 404)
        self.assertEqual(api("GET", f"/v1/crew/jobs/{wo}/arrive", token=token)[0], 405)
        status, body = api("POST", f"/v1/crew/jobs/{wo}/arrive", token=token, body={"position": {"latitude": 91}})
        self.assertEqual((status, body["error"]["field"]), (400, "position"))
        status, body = api("POST", f"/v1/crew/jobs/{wo}/contact", token=token, body={"device_time": "soon"})
        self.assertEqual((status, body["error"]["field"]), (400, "device_time"))
        self.assertEqual(api("GET", "/v1/crew/jobs/W01-999999", token=token)[0], 404)
        self.assertEqual(events(wo, "ARRIVED"), [])

    def test_manager_assigns_and_the_crew_lists_it(self):
        wo = new_job("CR-7", content="门禁坏了")
        a2 = STATE["codes"]["a2"][0]
        self.assertEqual(api("POST", f"/v1/manager/jobs/{wo}/assign", token=login("a1"),
                             body={"member_id": a2})[0], 403)  # crews do not assign
        self.assertEqual(api("POST", f"/v1/manager/jobs/{wo}/assign", token=login("am"),
                             body={"member_id": STATE["codes"]["b1"][0]})[0], 409)  # not this firm's crew
        status, body = api("POST", f"/v1/manager/jobs/{wo}/assign", token=login("am"), body={"member_id": a2})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["assignee"], body["state"]), (a2, "ACKNOWLEDGED"))
        _, listed = api("GET", "/v1/crew/jobs", token=login("a2"))
        self.assertIn(wo, [j["work_order"]["id"] for j in listed["jobs"]])
        _, listed = api("GET", "/v1/crew/jobs", token=login("a1"))
        self.assertNotIn(wo, [j["work_order"]["id"] for j in listed["jobs"]])
        self.assertEqual(api("POST", f"/v1/manager/jobs/{wo}/assign", token=login("am"),
                             body={"member_id": "13999999999"})[0], 400)

    def test_station_routes_an_unmarked_split_lane_to_its_firm(self):
        status, job, _ = STATE["engine"].post_ticket(
            {"ticket_no": "CR-8", "content": "电梯困人", "address": "凌兆路586弄7号", "caller_phone": "13812345678"})
        self.assertEqual(status, 201)
        self.assertEqual(job["holder"], STATION)
        wo = job["id"]
        _, queue = api("GET", "/v1/crew/jobs", token=login("st"))
        self.assertIn(wo, [j["work_order"]["id"] for j in queue["jobs"]])
        self.assertEqual(api("POST", f"/v1/station/jobs/{wo}/route", token=login("am"),
                             body={"community": "凌兆路586弄B"})[0], 403)
        status, body = api("POST", f"/v1/station/jobs/{wo}/route", token=login("st"), body={"community": "不存在"})
        self.assertEqual((status, body["error"]["field"]), (400, "community"))
        status, body = api("POST", f"/v1/station/jobs/{wo}/route", token=login("st"), body={"community": "凌兆路586弄B"})
        self.assertEqual(status, 200, body)
        self.assertEqual((body["holder"], body["responsible_firm"], body["resolution"]["community"]),
                         (FIRM_A, FIRM_A, "凌兆路586弄B"))
        self.assertEqual(body["clocks"], job["clocks"])  # nothing restarted
        _, listed = api("GET", "/v1/crew/jobs", token=login("a1"))
        self.assertIn(wo, [j["work_order"]["id"] for j in listed["jobs"]])

    def test_every_job_route_refuses_another_firm_and_the_anonymous(self):
        wo = new_job("CR-9")
        _, before = STATE["engine"].get_order(wo)
        routes = [("GET", f"/v1/crew/jobs/{wo}", None)]
        routes += [("POST", f"/v1/crew/jobs/{wo}/{a}", {"note": "x"})
                   for a in ("acknowledge", "contact", "arrive", "complete", "hand-over")]
        routes += [("POST", f"/v1/manager/jobs/{wo}/assign", {"member_id": STATE["codes"]["b1"][0]}),
                   ("POST", f"/v1/station/jobs/{wo}/route", {"community": "丹桂苑"})]
        for method, path, body in routes:
            with self.subTest(path=path):
                self.assertEqual(api(method, path, body=body)[0], 401)
                self.assertEqual(api(method, path, token="0" * 64, body=body)[0], 401)
                self.assertIn(api(method, path, token=login("b1"), body=body)[0], (403,))
        _, listed = api("GET", "/v1/crew/jobs", token=login("b1"))
        self.assertNotIn(wo, [j["work_order"]["id"] for j in listed["jobs"]])
        _, after = STATE["engine"].get_order(wo)
        self.assertEqual(after["history"], before["history"])  # nothing any of them did stuck

    def test_crew_add_refuses_an_organisation_not_in_the_directory(self):
        import subprocess
        out = subprocess.run([harness.binary(), "crew", "add", "--phone", "13900000099", "--name", "某", "--org", "不存在物业",
                              "--redis-socket", STATE["redis"].socket], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 2)
        self.assertIn("不存在物业", out.stderr)


if __name__ == "__main__":
    harness.main()
