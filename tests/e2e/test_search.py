#!/usr/bin/env python3
"""GET /v1/work-orders over HTTP against a real Redis: each filter (ticket number, phone in any
notation, community, state, time), pages followed by their cursors without a job read twice or
missed, each member finding only the jobs it may see with phones masked as on the job, and a
clear 400 for what cannot be read."""
import json
import tempfile
import unittest
import urllib.parse

import harness
from harness import Engine, Redis, parse_time

STATE = {}
FIRM = "临客嘉物业"  # 丹桂苑
OTHER_FIRM = "三杨物业"  # 上浦路505、565弄
STATION = "街道物业应急维修服务站"
CALLER = "13811110001"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-search-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {})
    engine.start()
    people = {"station": ("13300000001", "值班员", STATION, "station"),
              "centre": ("13300000002", "周科长", "建管中心", "supervisor"),
              "manager": ("13300000003", "赵经理", FIRM, "manager"),
              "crew": ("13300000004", "李师傅", FIRM, "crew"),
              "other_manager": ("13300000005", "孙经理", OTHER_FIRM, "manager"),
              "committee": ("13300000006", "居委小周", "凌四", "committee")}
    STATE["tokens"] = {who: engine.login(phone, engine.crew_add(phone, name, org, role))
                       for who, (phone, name, org, role) in people.items()}
    tickets = [("SR-1", "3号楼门禁坏了", "丹桂苑3号楼", "+86 138-1111-0001"),
               ("SR-2", "5号楼楼道灯不亮", "丹桂苑5号楼", "13811110002"),
               ("SR-3", "楼道灯不亮", "凌兆路586弄", CALLER),  # a split lane: the station places it
               ("SR-4", "7号楼门禁坏了", "上浦路505弄7号", "13811110004")]
    tickets += [(f"SR-{k}", f"{k}号楼信箱坏了", f"丹桂苑{k}号楼", "13811110009") for k in range(5, 11)]
    STATE["jobs"] = {}
    for no, content, address, phone in tickets:
        status, job, _ = engine.post_ticket({"ticket_no": no, "content": content, "address": address,
                                             "caller_phone": phone})
        assert status == 201, job
        STATE["jobs"][no] = job


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def search(who, **params):
    headers = {"Authorization": "Bearer " + STATE["tokens"][who]} if who else {}
    status, raw, _ = STATE["engine"].request("GET", "/v1/work-orders?" + urllib.parse.urlencode(params), None, headers)
    return status, json.loads(raw) if raw else None


def found(page):
    return [j["work_order"]["external_no"] for j in page.get("work_orders", [])]


class Search(unittest.TestCase):
    def test_the_centre_reads_every_job_newest_first_page_by_page_none_twice_none_missed(self):
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            status, page = search("centre", **params)
            self.assertEqual(status, 200, page)
            self.assertLessEqual(len(page.get("work_orders", [])), 3)
            seen += page.get("work_orders", [])
            pages += 1
            cursor = page["next_cursor"]
            if not cursor:
                break
        numbers = [j["work_order"]["external_no"] for j in seen]
        self.assertEqual(sorted(numbers), sorted(STATE["jobs"]), "every job once")
        accepted = [parse_time(j["work_order"]["accepted_at"]) for j in seen]
        self.assertEqual(accepted, sorted(accepted, reverse=True), "newest first")
        self.assertGreaterEqual(pages, 4)

    def test_a_ticket_number_finds_its_job_for_those_who_may_see_it_only(self):
        status, page = search("station", ticket_no="SR-3")
        self.assertEqual(status, 200, page)
        self.assertEqual(found(page), ["SR-3"])
        self.assertEqual(page["work_orders"][0]["work_order"]["state"], "TRIAGE")
        self.assertEqual(found(search("manager", ticket_no="SR-3")[1]), [], "at the station, not the firm's")
        self.assertEqual(found(search("centre", ticket_no="SR-404")[1]), [])

    def test_a_phone_in_any_notation_finds_the_reporter_s_jobs_masked_for_those_who_need_not_call(self):
        status, page = search("centre", phone="138 1111 0001")
        self.assertEqual(status, 200, page)
        self.assertEqual(sorted(found(page)), ["SR-1", "SR-3"])
        status, page = search("crew", phone="+8613811110001")
        self.assertEqual(found(page), ["SR-1"], "the firm's crew sees 丹桂苑's job, not the station's")
        shown = page["work_orders"][0]["work_order"]["reporter"]["phone"]
        self.assertIn("*", shown, "a crew not sent to the job does not call its reporter")
        self.assertNotIn("1111", shown)
        status, page = search("committee", phone=CALLER)
        self.assertEqual(found(page), ["SR-1"], "凌四 sees its residents' jobs")
        self.assertIn("1111", page["work_orders"][0]["work_order"]["reporter"]["phone"], "and may call them")
        status, page = search("station", phone=CALLER)
        self.assertIn(CALLER, json.dumps(page), "the station calls the reporters of what it places")

    def test_a_part_of_a_phone_number_is_refused_not_searched(self):
        status, page = search("centre", phone="1381111")
        self.assertEqual(status, 400, page)
        self.assertEqual(page["error"]["field"], "phone")

    def test_community_and_state_narrow_within_what_the_member_may_see(self):
        self.assertEqual(found(search("other_manager", community="上浦路505、565弄")[1]), ["SR-4"])
        self.assertEqual(found(search("manager", community="上浦路505、565弄")[1]), [])
        status, page = search("centre", state="TRIAGE")
        self.assertEqual(found(page), ["SR-3"])
        self.assertEqual(len(found(search("crew", state="OPEN", limit=100)[1])), 8, "丹桂苑's eight")
        self.assertEqual(found(search("centre", state="DONE")[1]), [])

    def test_a_span_of_days_before_the_jobs_holds_none(self):
        status, page = search("centre", **{"from": "2020-01-01", "to": "2020-01-31"})
        self.assertEqual(status, 200, page)
        self.assertEqual(found(page), [])
        self.assertFalse(page["next_cursor"], "nothing more to read")

    def test_what_cannot_be_read_is_a_400_naming_it_and_nobody_anonymous_searches(self):
        for params, field in (({"limit": 500}, "limit"), ({"state": "OPENED"}, "state"), ({"phon": CALLER}, "phon"),
                              ({"cursor": "abc"}, "cursor"), ({"from": "2026-12-31", "to": "2026-12-01"}, "from")):
            with self.subTest(params=params):
                status, page = search("centre", **params)
                self.assertEqual(status, 400, page)
                self.assertEqual(page["error"]["field"], field)
        status, _ = search(None)
        self.assertEqual(status, 401)


if __name__ == "__main__":
    harness.main()
