#!/usr/bin/env python3
"""The live board: the snapshot and the event stream over HTTP with their roles, and the page
in real headless Chromium showing a countdown that moves and a breach that appears, pushed by
the engine (its on-site limit is 8 seconds here, from a ticket filed once the page is up), and
待确认 on an uncertain job until a person confirms the call."""
import json
import os
import socket

import harness

HERE = os.path.dirname(os.path.abspath(__file__))


class Board(harness.EngineCase):
    PREFIX = "halfhour-board-"
    # Long enough for a slow machine's Chromium to show the countdown before it runs out.
    CONFIG = {"limits": {"on_site_seconds": 8, "ack_urgent_seconds": 60, "contact_seconds": 60,
                         "ack_general_seconds": 60}}

    def setUp(self):
        super().setUp()
        self.codes = {"centre": self.engine.crew_add("13400000001", "城运中心值班员", "建管中心", "supervisor"),
                      "crew": self.engine.crew_add("13400000002", "李师傅", "临客嘉物业")}

    def login(self, who, phone):
        status, raw, _ = self.engine.request("POST", "/v1/auth/login",
                                             json.dumps({"phone": phone, "code": self.codes[who]}).encode(),
                                             {"Content-Type": "application/json"})
        return json.loads(raw)["token"]

    def test_snapshot_and_stream_are_for_the_centre_and_the_station(self):
        status, job, _ = self.engine.post_ticket({"ticket_no": "BD-1", "content": "门禁坏了", "address": "丹桂苑6号楼"})
        self.assertEqual(status, 201, job)
        self.assertEqual(self.engine.request("GET", "/v1/board")[0], 401)
        crew = self.login("crew", "13400000002")
        self.assertEqual(self.engine.request("GET", "/v1/board", None, {"Authorization": "Bearer " + crew})[0], 403)
        centre = self.login("centre", "13400000001")
        status, raw, _ = self.engine.request("GET", "/v1/board", None, {"Authorization": "Bearer " + centre})
        self.assertEqual(status, 200)
        board = json.loads(raw)
        self.assertEqual(board["counts"]["open"], 1)
        [j] = board["jobs"]
        self.assertEqual((j["id"], j["holder"], j["urgent"]), (job["id"], "临客嘉物业", False))
        self.assertIn("contact", [c["kind"] for c in j["clocks"]])
        # The stream: the head, then a first snapshot at once.
        with socket.create_connection(("127.0.0.1", self.engine.port), timeout=10) as s:
            s.sendall(f"GET /v1/board/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {centre}\r\n\r\n".encode())
            got = b""
            while b"event: board" not in got or not got.endswith(b"\n\n"):
                chunk = s.recv(65536)
                self.assertTrue(chunk, got)
                got += chunk
        head, _, body = got.partition(b"\r\n\r\n")
        self.assertIn(b"200", head.split(b"\r\n")[0])
        self.assertIn(b"text/event-stream", head)
        self.assertIn(b"retry: 3000", body)
        data = body.split(b"data: ", 1)[1].split(b"\n", 1)[0]
        self.assertEqual(json.loads(data)["jobs"][0]["id"], job["id"])
        status, _, _ = self.engine.request("GET", "/v1/board/events", None, {"Authorization": "Bearer nope"})
        self.assertEqual(status, 401)
        # A token in the URL is no session: URLs end up in proxies' logs.
        status, _, _ = self.engine.request("GET", "/v1/board/events?access_token=" + centre)
        self.assertEqual(status, 401)

    def test_the_firms_grades_of_the_month_so_far_are_on_the_wall_the_worst_first(self):
        # Two firms' jobs done and called back: 满意 for one, 不满意 (and so a re-do) for the other.
        crew_b = self.engine.crew_add("13400000003", "钱师傅", "三杨物业")
        tokens = {"临客嘉物业": self.login("crew", "13400000002")}
        self.codes["crew_b"] = crew_b
        tokens["三杨物业"] = self.login("crew_b", "13400000003")
        for no, address, firm, outcome in (("BD-G1", "丹桂苑7号楼", "临客嘉物业", "SATISFIED"),
                                           ("BD-G2", "上浦路505弄2号楼", "三杨物业", "DISSATISFIED")):
            status, job, _ = self.engine.post_ticket({"ticket_no": no, "content": "单元门禁坏了", "address": address})
            self.assertEqual((status, job["holder"]), (201, firm), job)
            status, _, _ = self.engine.request("POST", f"/v1/crew/jobs/{job['id']}/complete",
                                               json.dumps({"request_id": no}).encode(),
                                               {"Content-Type": "application/json",
                                                "Authorization": "Bearer " + tokens[firm]})
            self.assertEqual(status, 200)
            status, raw, _ = self.engine.request(
                "POST", "/v1/hotline/callbacks",
                json.dumps({"ticket_no": no, "outcome": outcome, "called_at": "2026-12-01T10:00:00+08:00"}).encode(),
                {"Content-Type": "application/json"})
            self.assertEqual(status, 200, raw)
        self.assertEqual(self.engine.request("GET", "/v1/board/scorecard")[0], 401)
        crew = tokens["临客嘉物业"]
        self.assertEqual(self.engine.request("GET", "/v1/board/scorecard", None,
                                             {"Authorization": "Bearer " + crew})[0], 403)
        # The station reads it over HTTP; the centre's code is kept for the page's login.
        self.codes["station"] = self.engine.crew_add("13400000004", "值班员", "街道物业应急维修服务站", "station")
        station = self.login("station", "13400000004")
        status, raw, _ = self.engine.request("GET", "/v1/board/scorecard", None,
                                             {"Authorization": "Bearer " + station})
        self.assertEqual(status, 200, raw)
        card = json.loads(raw)
        self.assertEqual([(f["firm"], f["grade"], f["level"]) for f in card["firms"]],
                         [("三杨物业", "红", 1), ("临客嘉物业", "绿", 4)])
        self.assertEqual(card["firms"][1]["score"], 100)
        self.assertEqual(card["counts"], {"绿": 1, "黄": 0, "橙": 0, "红": 1})

        seen = self.run_page("board_page.mjs", f"http://127.0.0.1:{self.engine.port}/board/", "13400000001",
                             self.codes["centre"], "", os.environ.get("HALFHOUR_SCREENSHOT", ""), "grades")
        self.assertEqual([g["firm"] for g in seen["grades"]], ["三杨物业", "临客嘉物业"])
        self.assertEqual([g["grade"] for g in seen["grades"]], ["红", "绿"])
        self.assertNotEqual(seen["grades"][0]["colour"], seen["grades"][1]["colour"])
        self.assertIn("100.0分", seen["grades"][1]["text"])
        self.assertEqual(seen["grade_month"], card["title"])

    def test_the_wall_screen_counts_down_and_shows_the_breach_as_it_happens(self):
        # The page files the ticket once it shows the board: the clock starts with the page up.
        ticket = json.dumps({"ticket_no": "BD-2", "content": "3号楼电梯困人", "address": "丹桂苑3号楼"},
                            ensure_ascii=False)
        seen = self.run_page("board_page.mjs", f"http://127.0.0.1:{self.engine.port}/board/", "13400000001",
                             self.codes["centre"], ticket, os.environ.get("HALFHOUR_SCREENSHOT", ""), "countdown")
        self.assertEqual(seen["filed"], 201)
        self.assertIn("到场剩余", seen["first"])
        self.assertNotEqual(seen["first"], seen["second"], "the countdown moves")
        self.assertIn("到场超时", seen["breach"])
        self.assertIn(seen["job_id"], seen["breach"])
        self.assertIn("已超时", seen["timer_after"])
        self.assertIn("over", seen["timer_class"])
        self.assertEqual(seen["today"], "1")
        self.assertEqual(seen["reloads"], 1, "pushed, not reloaded")

    def test_an_uncertain_job_shows_待确认_on_the_wall_until_a_person_confirms_it(self):
        # "水管漏水了" does not say how bad: urgent on the safe side, uncertain.
        status, unsure, _ = self.engine.post_ticket({"ticket_no": "BD-3", "content": "水管漏水了",
                                                     "address": "丹桂苑5号楼"})
        self.assertEqual(status, 201, unsure)
        self.assertTrue(unsure["classification"]["uncertain"], unsure["classification"])
        status, sure, _ = self.engine.post_ticket({"ticket_no": "BD-4", "content": "门禁坏了", "address": "丹桂苑6号楼"})
        self.assertEqual(status, 201, sure)
        self.assertFalse(sure["classification"]["uncertain"])
        # The snapshot says it for every job.
        token = self.login("centre", "13400000001")
        status, raw, _ = self.engine.request("GET", "/v1/board", None, {"Authorization": "Bearer " + token})
        self.assertEqual(status, 200)
        jobs = {j["id"]: j for j in json.loads(raw)["jobs"]}
        self.assertEqual((jobs[unsure["id"]]["uncertain"], jobs[sure["id"]]["uncertain"]), (True, False))
        code = self.engine.crew_add("13400000003", "城运中心夜班", "建管中心", "supervisor")
        seen = self.run_page("board_page.mjs", f"http://127.0.0.1:{self.engine.port}/board/", "13400000003", code,
                             unsure["id"], os.environ.get("HALFHOUR_SCREENSHOT", ""), "unsure", sure["id"])
        self.assertEqual(seen["badge"], "待确认")
        self.assertEqual(seen["title"], "系统判断把握不大，按急修处理，请值班人员确认")
        self.assertIn("系统判断把握不大，按急修处理，请值班人员确认", seen["aria_label"])
        self.assertGreaterEqual(seen["font_px"], 16, "readable from across the room")
        self.assertEqual(seen["sure_badges"], 0, "a sure job carries no badge")
        self.assertEqual(seen["reclassify_status"], 200)
        self.assertEqual((seen["badges_after"], seen["row_after"]), (0, 1), "the badge goes, the job stays")
        self.assertEqual(seen["reloads"], 1, "pushed, not reloaded")
        self.assertFalse(self.engine.get_order(unsure["id"])[1]["classification"]["uncertain"])


if __name__ == "__main__":
    harness.main()
