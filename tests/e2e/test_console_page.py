#!/usr/bin/env python3
"""The operators' console in real headless Chromium: the station routes a job sent to it for an
unclear address to the right firm from its live queue (the firm's crew then has it), and finds it
again by its 12345 number; a crew and a committee member are turned away from the console, and
the API refuses them (403, nothing changed); a manager assigns a crew, corrects a category, sees
new jobs pushed and hands one to the station; the station splits a wrongly linked report off; the
centre sees a breach appear on the job it has open, and keeps to the jobs at risk. The directory
route the console's community list reads."""
import json

import harness

STATION = "街道物业应急维修服务站"


class Console(harness.EngineCase):
    PREFIX = "halfhour-console-"

    def setUp(self):
        super().setUp()
        self.codes = {"station": self.engine.crew_add("13500000001", "值班员", STATION, "station"),
                      "crew": self.engine.crew_add("13500000002", "李师傅", "临客嘉物业")}

    def ticket(self, no):
        status, job, _ = self.engine.post_ticket({"ticket_no": no, "content": "单元门禁坏了", "address": "凌兆路586弄",
                                                  "caller_phone": "13812345678"})
        self.assertEqual(status, 201, job)
        self.assertEqual(job["state"], "TRIAGE")
        return job

    def test_the_station_routes_a_job_from_its_live_queue_and_finds_it_again_by_its_ticket_number(self):
        job = self.ticket("CS-1")
        second = json.dumps({"ticket_no": "CS-2", "content": "楼道灯不亮", "address": "凌兆路586弄"}, ensure_ascii=False)
        seen = self.run_page("console_page.mjs", f"http://127.0.0.1:{self.engine.port}/console/", "13500000001",
                             self.codes["station"], job["id"], second, "CS-1")
        self.assertEqual(seen["second_status"], 201)
        self.assertEqual(seen["queue_after_second"], 2, "the second job pushed into the queue")
        self.assertIn("A、B两区", seen["route_reason"])
        self.assertEqual(seen["candidates"], ["凌兆路586弄A", "凌兆路586弄B"])
        self.assertIn("临客嘉物业", seen["banner"])
        self.assertIn("临客嘉物业", seen["state_after"])
        self.assertFalse(seen["route_form_after"], "routed: nothing left to route")
        self.assertEqual(seen["queue_after_route"], 1)
        self.assertIn(job["id"], seen["found"])
        self.assertIn("查找结果（1）", seen["list_title"])
        self.assertTrue(seen["fits"], "no sideways scrolling at 1366×768")
        self.assertEqual(seen["reloads"], 1, "live, not reloaded")
        crew = self.engine.login("13500000002", self.codes["crew"])
        status, raw, _ = self.engine.request("GET", "/v1/crew/jobs", None, {"Authorization": "Bearer " + crew})
        self.assertEqual(status, 200)
        self.assertIn(job["id"], [j["work_order"]["id"] for j in json.loads(raw)["jobs"]], "the firm's crew has it")

    def test_a_firm_s_manager_assigns_corrects_sees_new_jobs_pushed_and_hands_one_to_the_station(self):
        self.engine.crew_add("13500000003", "赵经理", "临客嘉物业", "manager")
        code = self.engine.crew_add("13500000003", "赵经理", "临客嘉物业", "manager")
        status, job, _ = self.engine.post_ticket({"ticket_no": "CS-4", "content": "单元门禁坏了",
                                                  "address": "丹桂苑6号楼"})
        self.assertEqual(status, 201, job)
        seen = self.run_page("console_page.mjs", f"http://127.0.0.1:{self.engine.port}/console/", "13500000003",
                             code, job["id"], "13500000002", "CS-4", "manager")
        self.assertFalse(seen["route_form"], "routing is the station's")
        self.assertIn("13500000002", seen["state_after"])
        self.assertEqual(seen["banner"], "已派单")
        self.assertIn("派给维修人员", seen["history"])
        order = self.engine.get_order(job["id"])[1]
        self.assertEqual(order["assignee"], "13500000002")
        self.assertEqual(order["classification"]["category"], "stair_light")
        self.assertIn(order["classification"]["category_name"], seen["class_after"])
        self.assertEqual(seen["unassigned"], [seen["new_id"]], "pushed in; the assigned job filtered out")
        self.assertIn(STATION, seen["handed_state"])
        handed = self.engine.get_order(seen["new_id"])[1]
        self.assertEqual((handed["state"], handed["holder"]), ("TRIAGE", STATION))
        self.assertEqual(seen["reloads"], 1)

    def test_the_station_finds_a_job_by_a_linked_report_s_number_and_splits_that_report_off(self):
        status, job, _ = self.engine.post_ticket({"ticket_no": "CS-5", "content": "楼道灯不亮了",
                                                  "address": "丹桂苑5号楼"})
        self.assertEqual(status, 201, job)
        status, linked, headers = self.engine.post_ticket({"ticket_no": "CS-6", "content": "5号楼楼道灯坏了，晚上看不见",
                                                           "address": "丹桂苑5号楼"})
        self.assertEqual(headers.get("Halfhour-Linked"), job["id"], linked)
        seen = self.run_page("console_page.mjs", f"http://127.0.0.1:{self.engine.port}/console/", "13500000001",
                             self.codes["station"], job["id"], "", "CS-6", "unlink")
        self.assertEqual(seen["linked"], 1)
        self.assertEqual(seen["linked_after"], 0)
        split = seen["banner"].rsplit(" ", 1)[1]
        self.assertNotEqual(split, job["id"])
        self.assertEqual(self.engine.get_order(split)[1]["external_no"], "CS-6")
        self.assertEqual(self.engine.get_order(job["id"])[1].get("linked", []), [])

    def test_a_crew_and_a_committee_are_turned_away_and_the_api_refuses_them_the_station_s_actions(self):
        job = self.ticket("CS-3")
        committee = self.engine.crew_add("13500000004", "居委小周", "凌五", "committee")
        for phone, code in (("13500000002", self.codes["crew"]), ("13500000004", committee)):
            seen = self.run_page("console_page.mjs", f"http://127.0.0.1:{self.engine.port}/console/", phone, code,
                                 job["id"], "{}", "CS-3", "refused")
            self.assertIn("无权", seen["banner"])
            self.assertTrue(seen["desk_hidden"])
        committee = self.engine.login("13500000004", self.engine.crew_add("13500000004", "居委小周", "凌五", "committee"))
        for path in ("/v1/console/events", "/v1/board/events"):
            status, _, _ = self.engine.request("GET", path, None, {"Authorization": "Bearer " + committee})
            self.assertEqual(status, 403, path)
        crew = self.engine.login("13500000002", self.engine.crew_add("13500000002", "李师傅", "临客嘉物业"))
        status, raw, _ = self.engine.request("POST", f"/v1/station/jobs/{job['id']}/route",
                                             json.dumps({"community": "凌兆路586弄B"}, ensure_ascii=False).encode(),
                                             {"Authorization": "Bearer " + crew, "Content-Type": "application/json"})
        self.assertEqual(status, 403, raw)
        self.assertEqual(self.engine.get_order(job["id"])[1]["state"], "TRIAGE", "nothing changed")

    def test_the_directory_lists_every_community_with_its_committee_and_firm_for_members_only(self):
        self.assertEqual(self.engine.request("GET", "/v1/directory/communities")[0], 401)
        station = self.engine.login("13500000001", self.codes["station"])
        status, raw, _ = self.engine.request("GET", "/v1/directory/communities", None,
                                             {"Authorization": "Bearer " + station})
        self.assertEqual(status, 200)
        communities = json.loads(raw)["communities"]
        self.assertEqual(len(communities), 73)
        self.assertIn({"name": "凌兆路586弄B", "committee": "凌五", "firm": "临客嘉物业"}, communities)


class ConsoleBreach(harness.EngineCase):
    PREFIX = "halfhour-console-breach-"
    # Long enough for the page to open the job after it is filed on a loaded machine, short
    # enough for the test to wait it out.
    CONFIG = {"limits": {"on_site_seconds": 20, "ack_urgent_seconds": 120, "contact_seconds": 3600,
                         "ack_general_seconds": 3600}}

    def test_the_centre_sees_a_breach_appear_on_the_job_it_has_open(self):
        code = self.engine.crew_add("13500000009", "周科长", "建管中心", "supervisor")
        status, calm, _ = self.engine.post_ticket({"ticket_no": "CS-8", "content": "7号楼信报箱坏了",
                                                   "address": "丹桂苑7号楼"})
        self.assertEqual(status, 201, calm)
        urgent = json.dumps({"ticket_no": "CS-7", "content": "3号楼电梯困人", "address": "丹桂苑3号楼"},
                            ensure_ascii=False)
        seen = self.run_page("console_page.mjs", f"http://127.0.0.1:{self.engine.port}/console/", "13500000009",
                             code, calm["id"], urgent, "CS-7", "centre")
        self.assertEqual(seen["urgent_status"], 201)
        # The urgent job was filed with the page up and opened at once: the breach is not there yet
        # (the warning at two thirds of the limit may be, on a slow machine).
        self.assertNotIn("超时 到场", seen["before"])
        self.assertIn("超时 到场", seen["breach"])
        self.assertIn("到场：超时", seen["clocks"])
        self.assertIn("已超时", seen["timer"])
        self.assertIn("临客嘉物业 · 派单通知", seen["notices"])
        self.assertIn("临客嘉物业 · 超时通报", seen["notices"])
        self.assertEqual(seen["rows_all"], 2)
        self.assertEqual(seen["rows_at_risk"], [seen["urgent_id"]], "the general job an hour from its deadline is not at risk")
        self.assertEqual(seen["reloads"], 1, "pushed, not reloaded")


if __name__ == "__main__":
    harness.main()
