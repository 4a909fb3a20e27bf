#!/usr/bin/env python3
"""Open311 GeoReport v2 conformance over HTTP against a real Redis: the fields and status codes
of services.json, POST and GET requests.json and requests/{id}.json, API keys, and a request's
life from open to closed."""
import datetime
import hashlib
import json
import tempfile
import unittest
import urllib.parse

import harness
from harness import Engine, Redis, parse_time

STATE = {}
KEY = "open311-client-key-0001"
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-open311-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {
        "channels": {"open311_api_keys": {"区城运中心": hashlib.sha256(KEY.encode()).hexdigest()}}})
    engine.start()
    STATE["crew"] = ("13600000001", engine.crew_add("13600000001", "周师傅", "万科物业"))


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def get(path, key=KEY):
    """Reading needs the client's key as well: api_key in the query, as Open311 clients send it."""
    if key is not None and "/requests" in path:
        path += ("&" if "?" in path else "?") + "api_key=" + key
    status, raw, headers = STATE["engine"].request("GET", path)
    return status, json.loads(raw), headers


def post(fields, headers=None, key=KEY):
    if key is not None:
        fields = {"api_key": key, **fields}
    body = urllib.parse.urlencode(fields).encode()
    status, raw, _ = STATE["engine"].request(
        "POST", "/open311/v2/requests.json", body,
        {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})
    return status, json.loads(raw)


def assert_error(test, status, body, want):
    test.assertEqual(status, want, body)
    test.assertIsInstance(body, list)
    test.assertEqual(body[0]["code"], want)
    test.assertTrue(body[0]["description"])


LEAK = {"service_code": "burst_pipe", "description": "厨房水管爆裂，水漫到客厅，电话13912345678",
        "address_string": "金谊河畔5号楼1202室", "lat": "31.1523", "long": "121.5031",
        "first_name": "志明", "last_name": "林", "phone": "13912345678",
        "media_url": "https://img.example.cn/leak.jpg"}


class Services(unittest.TestCase):
    def test_services_are_the_categories_with_every_field(self):
        status, services, headers = get("/open311/v2/services.json")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertGreaterEqual(len(services), 20)
        for s in services:
            self.assertEqual(set(s), SERVICE_FIELDS, s)
            self.assertIs(s["metadata"], False)
            self.assertEqual(s["type"], "realtime")
            self.assertIn(s["group"], ("急修", "一般性维修", "物业投诉"))
        codes = {s["service_code"]: s for s in services}
        self.assertEqual(codes["burst_pipe"]["group"], "急修")
        self.assertEqual(codes["door_lock"]["group"], "一般性维修")
        # A complaint about the firm's service is a service too, on working-day clocks.
        self.assertEqual(codes["complaint_staff"]["group"], "物业投诉")
        self.assertIn("工作日", codes["complaint_staff"]["description"])
        status, body, _ = get("/open311/v2/services/burst_pipe.json")
        assert_error(self, status, body, 404)


class Requests(unittest.TestCase):
    def test_a_request_is_posted_read_back_and_closed(self):
        status, posted = post(LEAK)
        self.assertEqual(status, 201, posted)
        self.assertEqual(set(posted[0]), {"service_request_id", "service_notice", "account_id"})
        rid = posted[0]["service_request_id"]
        status, again = post(LEAK)
        self.assertEqual((status, again[0]["service_request_id"]), (200, rid), "the same form twice is a retry")

        status, one, _ = get(f"/open311/v2/requests/{rid}.json")
        self.assertEqual(status, 200)
        self.assertEqual(len(one), 1)
        r = one[0]
        self.assertEqual(set(r), REQUEST_FIELDS)
        self.assertEqual((r["service_request_id"], r["status"], r["service_code"]), (rid, "open", "burst_pipe"))
        self.assertEqual(r["agency_responsible"], "万科物业")
        self.assertIn("已派单", r["status_notes"])
        self.assertNotIn("13912345678", r["description"], "the public read masks phone numbers")
        self.assertIn("139****5678", r["description"])
        self.assertEqual((r["lat"], r["long"]), (31.1523, 121.5031))
        self.assertEqual(r["media_url"], "https://img.example.cn/leak.jpg")
        requested = parse_time(r["requested_datetime"])
        self.assertTrue(r["requested_datetime"].endswith("+08:00"))
        self.assertEqual(parse_time(r["expected_datetime"]) - requested, datetime.timedelta(minutes=30),
                         "expected = the on-site deadline of an urgent request")

        # The crew finishes: the request reads closed.
        phone, code = STATE["crew"]
        _, raw, _ = STATE["engine"].request("POST", "/v1/auth/login", json.dumps({"phone": phone, "code": code}).encode(),
                                            {"Content-Type": "application/json"})
        token = json.loads(raw)["token"]
        status, raw, _ = STATE["engine"].request("POST", f"/v1/crew/jobs/{rid}/complete", b"{}",
                                                 {"Content-Type": "application/json", "Authorization": "Bearer " + token})
        self.assertEqual(status, 200, raw)
        status, one, _ = get(f"/open311/v2/requests/{rid}.json")
        self.assertEqual((one[0]["status"], one[0]["expected_datetime"]), ("closed", None))
        self.assertIn("已完工", one[0]["status_notes"])

    def test_lists_filter_by_id_code_status_and_date(self):
        ids = []
        for i, (code, text) in enumerate([("door_lock", "单元门门禁坏了"), ("stair_light", "楼道灯不亮")]):
            status, posted = post({"service_code": code, "description": text, "address_string": f"金色雅筑{i + 1}号楼"},
                                  headers={"Idempotency-Key": f"list-{i}"})
            self.assertEqual(status, 201, posted)
            ids.append(posted[0]["service_request_id"])
        status, both, _ = get("/open311/v2/requests.json?service_request_id=" + ",".join(ids))
        self.assertEqual((status, sorted(r["service_request_id"] for r in both)), (200, sorted(ids)))
        status, lights, _ = get("/open311/v2/requests.json?service_code=stair_light")
        self.assertEqual([r["service_request_id"] for r in lights], [ids[1]])
        status, everything, _ = get("/open311/v2/requests.json")
        self.assertTrue(set(ids) <= {r["service_request_id"] for r in everything})
        status, closed, _ = get("/open311/v2/requests.json?status=closed&service_code=door_lock")
        self.assertEqual(closed, [])
        future = urllib.parse.quote("2099-01-01T00:00:00+08:00")
        status, none, _ = get(f"/open311/v2/requests.json?start_date={future}")
        self.assertEqual((status, none), (200, []))
        status, body, _ = get("/open311/v2/requests.json?start_date=last-week")
        assert_error(self, status, body, 400)
        status, body, _ = get("/open311/v2/requests.json?status=pending")
        assert_error(self, status, body, 400)
        status, body, _ = get("/open311/v2/requests/W99-999999.json")
        assert_error(self, status, body, 404)
        status, body, _ = get("/open311/v2/requests/../../etc/passwd.json")
        assert_error(self, status, body, 404)

    def test_keys_and_bad_requests_are_refused_with_the_spec_error_shape(self):
        before = STATE["redis"].work_order_count()
        for key in (None, "", "wrong-key"):
            status, body = post(LEAK, key=key)
            assert_error(self, status, body, 403)
        cases = [
            ({**LEAK, "service_code": "unicorn"}, 404),
            ({k: v for k, v in LEAK.items() if k != "service_code"}, 400),
            ({**LEAK, "description": ""}, 400),
            ({k: v for k, v in LEAK.items() if k not in ("address_string", "lat", "long")}, 400),
            ({**LEAK, "lat": "91"}, 400),
            ({**LEAK, "long": "east"}, 400),
            ({**LEAK, "media_url": "file:///etc/passwd"}, 400),
            ({**LEAK, "phone": "'; FLUSHALL"}, 400),
        ]
        for fields, want in cases:
            status, body = post(fields)
            assert_error(self, status, body, want)
        status, raw, _ = STATE["engine"].request("POST", "/open311/v2/requests.json", b"api_key=" + KEY.encode() + b"&x=%ZZ",
                                                 {"Content-Type": "application/x-www-form-urlencoded"})
        assert_error(self, status, json.loads(raw), 400)
        status, raw, _ = STATE["engine"].request("POST", "/open311/v2/requests.json", b"{}",
                                                 {"Content-Type": "text/csv"})
        self.assertIn(status, (403, 415))
        status, raw, _ = STATE["engine"].request("DELETE", "/open311/v2/requests.json")
        assert_error(self, status, json.loads(raw), 405)
        self.assertEqual(STATE["redis"].work_order_count(), before)

    def test_json_with_the_same_names_is_accepted_too(self):
        body = json.dumps({"api_key": KEY, "service_code": "window", "description": "楼道窗户玻璃碎了",
                           "address_string": "金谊河畔9号楼", "lat": 31.15, "long": 121.5}, ensure_ascii=False).encode()
        status, raw, _ = STATE["engine"].request("POST", "/open311/v2/requests.json", body,
                                                 {"Content-Type": "application/json"})
        self.assertEqual(status, 201, raw)


if __name__ == "__main__":
    harness.main()
