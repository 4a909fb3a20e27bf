#!/usr/bin/env python3
"""The community doors over HTTP against a real Redis: 社区云 posts, WeChat group messages and
the committees' walk-in form, each idempotent on its own key; one burst pipe reported through
three doors is one job; an operator splits a wrong link off; chat that asks for nothing is
recorded, not dispatched; bad input is a clear 4xx that writes nothing."""
import concurrent.futures
import hashlib
import json
import socket
import tempfile
import unittest

import harness
from harness import Engine, Redis

STATE = {}
BOT_KEY = "bot-key-for-tests-0001"
FIRM = "临客嘉物业"  # 丹桂苑, 金桂苑, 银桂苑 …
STATION = "街道物业应急维修服务站"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-channels-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {"channels": {
        "channel_api_keys": {"社区云": hashlib.sha256(BOT_KEY.encode()).hexdigest()},
        "wechat_groups": {"东明一家亲": "翠竹苑"},
    }})
    engine.start()
    STATE["codes"] = {
        "committee": ("13700000001", engine.crew_add("13700000001", "居委小周", "凌四", "committee")),
        "station": ("13700000002", engine.crew_add("13700000002", "孙站长", STATION, "station")),
        "crew": ("13700000003", engine.crew_add("13700000003", "李师傅", FIRM)),
        "cherry": ("13700000004", engine.crew_add("13700000004", "赵师傅", "申能物业")),  # 樱桃苑
    }
    STATE["tokens"] = {}


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def call(method, path, body=None, token=None, key=BOT_KEY, content_type="application/json", raw=None):
    headers = {"Content-Type": content_type}
    if key:
        headers["X-Api-Key"] = key
    if token:
        headers["Authorization"] = "Bearer " + token
    data = raw if raw is not None else (None if body is None else json.dumps(body, ensure_ascii=False).encode())
    status, out, _ = STATE["engine"].request(method, path, data, headers)
    try:
        return status, json.loads(out) if out else None
    except ValueError:
        return status, out


def login(who):
    if who not in STATE["tokens"]:
        phone, code = STATE["codes"][who]
        status, body = call("POST", "/v1/auth/login", {"phone": phone, "code": code})
        assert status == 200, body
        STATE["tokens"][who] = body["token"]
    return STATE["tokens"][who]


def cloud(post_id, text, community="丹桂苑", address="", **extra):
    return call("POST", "/v1/channels/community-cloud",
                {"post_id": post_id, "community": community, "author": "张阿姨", "phone": "13812340000",
                 "text": text, "address": address, "posted_at": "2026-11-28T09:30:00+08:00", **extra})


def wechat(message_id, text, group="丹桂苑业主群"):
    return call("POST", "/v1/channels/wechat",
                {"message_id": message_id, "group_name": group, "sender": "5号楼李阿姨", "text": text})


def order(wo_id):
    status, body = STATE["engine"].get_order(wo_id)
    assert status == 200, body
    return body


class CommunityCloud(unittest.TestCase):
    def test_a_post_becomes_a_job_with_its_photos_and_a_retry_is_the_same_job(self):
        status, r = cloud("P-100", "楼道灯坏了，晚上一片漆黑", address="12号楼",
                          photos=["https://img.sqy.example.cn/p100-1.jpg"])
        self.assertEqual(status, 201, r)
        self.assertEqual(r["outcome"], "created")
        self.assertEqual(r["urgency"], "GENERAL")
        self.assertEqual(r["holder"], FIRM)
        self.assertIn("30分钟内与您联系", r["reply"])
        wo = order(r["work_order_id"])
        self.assertEqual(wo["channel"], "COMMUNITY_CLOUD")
        self.assertEqual(wo["external_no"], "P-100")
        self.assertEqual(wo["resolution"]["community"], "丹桂苑")
        self.assertEqual(wo["resolution"]["building"], "12")
        self.assertEqual(wo["photos"], ["https://img.sqy.example.cn/p100-1.jpg"])
        status, again = cloud("P-100", "楼道灯坏了，晚上一片漆黑", address="12号楼")
        self.assertEqual(status, 200)
        self.assertEqual(again["outcome"], "repeat")
        self.assertEqual(again["work_order_id"], r["work_order_id"])


class Wechat(unittest.TestCase):
    def test_the_group_name_or_the_configured_map_says_the_community(self):
        status, r = wechat("WX-200", "我家门禁对讲坏了", group="红枫苑业主群")
        self.assertEqual(status, 201, r)
        self.assertEqual(order(r["work_order_id"])["resolution"]["community"], "红枫苑")
        status, r = wechat("WX-201", "地下车库的道闸坏了", group="东明一家亲")
        self.assertEqual(status, 201, r)
        self.assertEqual(order(r["work_order_id"])["resolution"]["community"], "翠竹苑")

    def test_chat_thanks_and_adverts_are_recorded_as_no_request_and_nothing_is_dispatched(self):
        before = STATE["redis"].work_order_count()
        for mid, text in [("WX-300", "谢谢物业师傅，辛苦了！"), ("WX-301", "收到"),
                          ("WX-302", "周末团购水果，加微信xx123享优惠")]:
            status, r = wechat(mid, text)
            self.assertEqual(status, 200, r)
            self.assertEqual(r["outcome"], "not_a_request", text)
            self.assertTrue(r["reason"], text)
            self.assertEqual(r["work_order_id"], "")
            self.assertEqual(r["reply"], "", "the bot stays silent")
        status, again = wechat("WX-300", "谢谢物业师傅，辛苦了！")
        self.assertEqual((status, again["outcome"]), (200, "not_a_request"))
        self.assertEqual(STATE["redis"].work_order_count(), before)
        screened = "".join(STATE["redis"].cli("XRANGE", "hh:{s%02d}:screened" % s, "-", "+") for s in range(16))
        self.assertIn("WX-302", screened, "recorded for operators, with its reason")
        self.assertIn("疑似广告", screened)

    def test_a_request_for_help_in_words_the_rules_do_not_know_is_dispatched(self):
        status, r = wechat("WX-303", "我家那个东西又不行了，能不能来人看看")
        self.assertEqual(status, 201, r)
        self.assertEqual(r["outcome"], "created")


class OneIncident(unittest.TestCase):
    def test_one_burst_pipe_through_three_doors_is_one_job_and_every_reporter_is_answered(self):
        before = STATE["redis"].work_order_count()
        status, first, _ = STATE["engine"].post_ticket({
            "ticket_no": "SH-DUP-1", "content": "樱桃苑7号楼水管爆裂，楼道里都是水", "address": "樱桃苑7号楼",
            "caller_name": "王先生", "caller_phone": "13900001111"})
        self.assertEqual(status, 201, first)
        wo_id = first["id"]
        status, w = wechat("WX-DUP-1", "7号楼水管爆了！水一直往下淌", group="樱桃苑业主群")
        self.assertEqual((status, w["outcome"], w["work_order_id"]), (200, "linked", wo_id), w)
        self.assertIn(wo_id, w["reply"])
        status, c = cloud("P-DUP-1", "7号楼楼道水管爆裂漏水严重", community="樱桃苑")
        self.assertEqual((status, c["outcome"], c["work_order_id"]), (200, "linked", wo_id), c)
        # A second 12345 ticket joins too, and the hotline is told at once.
        status, second, headers = STATE["engine"].post_ticket({
            "ticket_no": "SH-DUP-2", "content": "樱桃苑7号楼楼道水管爆了", "address": "樱桃苑7号楼"})
        self.assertEqual((status, second["id"], headers.get("Halfhour-Linked")), (200, wo_id, wo_id))
        self.assertEqual(STATE["redis"].work_order_count(), before + 1)

        wo = order(wo_id)
        self.assertEqual(sorted(l["key"] for l in wo["linked"]),
                         ["12345:SH-DUP-2", "cloud:P-DUP-1", "wechat:WX-DUP-1"])
        self.assertEqual(len([e for e in wo["history"] if e["kind"] == "LINKED"]), 3)
        self.assertEqual(len([c for c in wo["clocks"] if c["kind"] == "ON_SITE"]), 1, "one set of clocks")
        self.assertIn(f"{wo_id}:hotline:SH-DUP-2:linked", [n["key"] for n in wo["notices"]])
        # The firm's crews see who else reported it; phones only once the job is theirs.
        status, seen = call("GET", f"/v1/crew/jobs/{wo_id}", token=login("cherry"), key=None)
        self.assertEqual(status, 200, seen)
        phones = [l["reporter"]["phone"] for l in seen["linked"] if l["reporter"]["phone"]]
        self.assertEqual(phones, ["138****0000"])
        # Retries of linked reports are answered with the job, and link nothing twice.
        status, again = wechat("WX-DUP-1", "7号楼水管爆了！水一直往下淌", group="樱桃苑业主群")
        self.assertEqual((status, again["outcome"], again["work_order_id"]), (200, "repeat", wo_id))
        self.assertEqual(len(order(wo_id)["linked"]), 3)

    def test_another_building_or_another_category_is_not_merged(self):
        status, first = cloud("P-SEP-1", "电梯坏了，停在3楼不动", community="金禾新苑", address="2号楼")
        self.assertEqual(status, 201, first)
        status, other_building = cloud("P-SEP-2", "电梯坏了，停在3楼不动", community="金禾新苑", address="8号楼")
        self.assertEqual((status, other_building["outcome"]), (201, "created"))
        status, other_category = wechat("WX-SEP-3", "2号楼单元门门禁坏了", group="金禾新苑业主群")
        self.assertEqual((status, other_category["outcome"]), (201, "created"))
        self.assertEqual(len({first["work_order_id"], other_building["work_order_id"],
                              other_category["work_order_id"]}), 3)

    def test_reports_arriving_together_still_make_one_job(self):
        before = STATE["redis"].work_order_count()
        sends = [
            lambda: STATE["engine"].post_ticket({"ticket_no": "SH-RACE-1", "content": "燃气味很重，可能漏气了",
                                                 "address": "永泰花苑20号楼"})[1]["id"],
            lambda: wechat("WX-RACE-2", "20号楼楼道里煤气味很重", group="永泰花苑业主群")[1]["work_order_id"],
            lambda: cloud("P-RACE-3", "20号楼闻到煤气味", community="永泰花苑", address="20号楼")[1]["work_order_id"],
        ]
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            ids = list(pool.map(lambda f: f(), sends))
        self.assertEqual(len(set(ids)), 1, ids)
        self.assertEqual(STATE["redis"].work_order_count(), before + 1)

    def test_an_operator_splits_a_wrong_link_off_into_its_own_job(self):
        status, first = cloud("P-UL-1", "水管爆了，厨房全是水", community="锦翠苑", address="30号楼")
        self.assertEqual(status, 201, first)
        wo_id = first["work_order_id"]
        status, w = wechat("WX-UL-2", "家里水管爆裂了，快来人", group="锦翠苑业主群")  # no building: joins
        self.assertEqual((status, w["outcome"]), (200, "linked"), w)
        came_in = order(wo_id)["linked"][0]["at"]
        path = f"/v1/work-orders/{wo_id}/unlink"
        status, r = call("POST", path, {"key": "wechat:WX-UL-2"}, token=login("crew"), key=None)
        self.assertEqual(status, 403, r)
        status, r = call("POST", path, {"key": "wechat:WX-UL-2"}, key=None)
        self.assertEqual(status, 401, r)
        status, r = call("POST", path, {"key": "wechat:nope"}, token=login("station"), key=None)
        self.assertEqual((status, r["error"]["code"]), (409, "not_linked"))
        status, split = call("POST", path, {"key": "wechat:WX-UL-2"}, token=login("station"), key=None)
        self.assertEqual(status, 201, split)
        self.assertNotEqual(split["id"], wo_id)
        self.assertEqual(split["channel"], "WECHAT")
        self.assertEqual(split["accepted_at"], came_in, "its clocks run from when the report came in")
        self.assertEqual(order(wo_id)["linked"], [])
        self.assertIn("UNLINKED", [e["kind"] for e in order(wo_id)["history"]])
        # Retried: the same split job; the message's own retry now finds the split job.
        status, again = call("POST", path, {"key": "wechat:WX-UL-2"}, token=login("station"), key=None)
        self.assertEqual((status, again["id"]), (200, split["id"]))
        status, w2 = wechat("WX-UL-2", "家里水管爆裂了，快来人", group="锦翠苑业主群")
        self.assertEqual((w2["outcome"], w2["work_order_id"]), ("repeat", split["id"]))


class WalkIn(unittest.TestCase):
    def form(self, form_no, community="丹桂苑", **extra):
        body = {"form_no": form_no, "kind": "walk_in", "community": community, "address": "3号楼501室",
                "name": "陈老伯", "phone": "021-58880000", "text": "卫生间下水道堵了，马桶冒水", **extra}
        return call("POST", "/v1/channels/walk-in", body, token=login("committee"), key=None)

    def test_committee_staff_write_down_a_request_for_their_own_communities_only(self):
        status, mine = call("GET", "/v1/channels/walk-in/communities", token=login("committee"), key=None)
        self.assertEqual(status, 200, mine)
        self.assertEqual(mine["committee"], "凌四")
        self.assertIn("丹桂苑", mine["communities"])
        status, r = self.form("F-1")
        self.assertEqual(status, 201, r)
        wo = order(r["work_order_id"])
        self.assertEqual((wo["channel"], wo["resolution"]["building"], wo["resolution"]["room"]), ("WALK_IN", "3", "501"))
        status, again = self.form("F-1")
        self.assertEqual((status, again["work_order_id"]), (200, r["work_order_id"]))
        status, box = self.form("F-2", kind="suggestion_box", address="18号楼", text="18号楼楼道扶手松动")
        self.assertEqual(status, 201, box)
        self.assertEqual(order(box["work_order_id"])["channel"], "SUGGESTION_BOX")
        status, other = self.form("F-3", community="金桂苑")
        self.assertEqual((status, other["error"]["code"]), (403, "not_your_community"))

    def test_only_committee_members_use_the_form(self):
        status, r = call("POST", "/v1/channels/walk-in", {"form_no": "F-9", "kind": "walk_in", "community": "丹桂苑",
                                                          "text": "漏水"}, token=login("crew"), key=None)
        self.assertEqual(status, 403, r)
        status, r = call("GET", "/v1/channels/walk-in/communities", key=None)
        self.assertEqual(status, 401, r)


class HostileInput(unittest.TestCase):
    def test_bad_payloads_are_clear_4xx_and_write_nothing(self):
        before = STATE["redis"].work_order_count()
        good = {"post_id": "P-BAD", "community": "丹桂苑", "text": "漏水"}
        cases = [
            ("/v1/channels/community-cloud", {"community": "丹桂苑", "text": "漏水"}, 400, "post_id"),
            ("/v1/channels/community-cloud", {**good, "text": "  "}, 400, "text"),
            ("/v1/channels/community-cloud", {**good, "post_id": 5}, 400, "post_id"),
            ("/v1/channels/community-cloud", {**good, "post_id": "P BAD"}, 400, "post_id"),
            ("/v1/channels/community-cloud", {**good, "photos": ["javascript:alert(1)"]}, 400, "photos"),
            ("/v1/channels/community-cloud", {**good, "photos": ["https://a.cn/%d.jpg" % i for i in range(10)]}, 400,
             "photos"),
            ("/v1/channels/community-cloud", {**good, "posted_at": "yesterday"}, 400, "posted_at"),
            ("/v1/channels/community-cloud", {**good, "phone": "<script>"}, 400, "phone"),
            ("/v1/channels/community-cloud", {**good, "author": "a\u0000b"}, 400, "author"),
            ("/v1/channels/community-cloud", {**good, "text": "漏" * 4001}, 400, "text"),
            ("/v1/channels/wechat", {"message_id": "WX-BAD", "text": "漏水"}, 400, "group_name"),
            ("/v1/channels/wechat", {"message_id": "WX-BAD", "group_name": "丹桂苑", "text": ["漏水"]}, 400, "text"),
            ("/v1/channels/wechat", {"message_id": "WX-BAD', EVAL", "group_name": "丹桂苑", "text": "漏水"}, 400,
             "message_id"),
        ]
        for path, body, want, field in cases:
            status, r = call("POST", path, body)
            self.assertEqual(status, want, (body, r))
            self.assertEqual(r["error"]["field"], field, (body, r))
            self.assertTrue(r["error"]["message"], body)
        status, r = call("POST", "/v1/channels/wechat", raw=b'{"message_id":"WX-U","group_name":"\xff\xfe","text":"x"}')
        self.assertEqual((status, r["error"]["code"]), (400, "invalid_utf8"))
        status, r = call("POST", "/v1/channels/wechat", raw=b'{"message_id":', content_type="application/json")
        self.assertEqual((status, r["error"]["code"]), (400, "invalid_json"))
        status, r = call("POST", "/v1/channels/wechat", raw=b"message_id=1", content_type="text/plain")
        self.assertEqual(status, 415, r)
        status, r = call("POST", "/v1/channels/wechat", raw=b"[" * 100000 + b"]" * 100000)
        self.assertEqual(status, 413, r)
        # 10 MB, announced the way curl sends large bodies: refused before a byte of it moves.
        with socket.create_connection(("127.0.0.1", STATE["engine"].port), timeout=10) as s:
            s.sendall(b"POST /v1/channels/community-cloud HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"X-Api-Key: " + BOT_KEY.encode() + b"\r\nExpect: 100-continue\r\n"
                      b"Content-Length: 10485760\r\n\r\n")
            self.assertTrue(s.recv(4096).startswith(b"HTTP/1.1 413"))
        status, r = call("POST", "/v1/channels/community-cloud", good, key="wrong")
        self.assertEqual((status, r["error"]["code"]), (401, "bad_api_key"))
        status, r = call("POST", "/v1/channels/community-cloud", good, key=None)
        self.assertEqual(status, 401)
        status, r = call("GET", "/v1/channels/wechat")
        self.assertEqual(status, 405)
        self.assertEqual(STATE["redis"].work_order_count(), before)
        self.assertEqual(STATE["engine"].request("GET", "/healthz")[0], 200)


if __name__ == "__main__":
    harness.main()
