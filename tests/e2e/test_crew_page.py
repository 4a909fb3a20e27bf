#!/usr/bin/env python3
"""The crew page in real headless Chromium (Debian's chromium, driven by playwright-core): a
crew on a 360×640 phone screen logs in, sees a job posted through the hotline endpoint,
acknowledges it and checks in on site, and the engine reports the on-site clock stopped; the
station's duty officer sees 待确认 on an uncertain job and corrects the call from the card."""
import os

import harness

HERE = os.path.dirname(os.path.abspath(__file__))


class CrewPage(harness.EngineCase):
    PREFIX = "halfhour-page-"

    def test_crew_acknowledges_and_checks_in_from_a_phone(self):
        code = self.engine.crew_add("13900000001", "李师傅", "临客嘉物业")
        status, job, _ = self.engine.post_ticket({"ticket_no": "PAGE-1", "content": "3号楼电梯困人，有老人在里面",
                                                  "address": "丹桂苑3号楼", "caller_phone": "13812345678"})
        self.assertEqual(status, 201, job)
        # A neighbour calls about the same lift: joined to the job, shown on its card.
        status, again, _ = self.engine.post_ticket({"ticket_no": "PAGE-2", "content": "电梯困人了，在3号楼",
                                                    "address": "丹桂苑3号楼", "caller_name": "邻居刘女士",
                                                    "caller_phone": "13700001234"})
        self.assertEqual((status, again["id"]), (200, job["id"]))
        seen = self.run_page("crew_page.mjs", f"http://127.0.0.1:{self.engine.port}/crew/", "13900000001", code,
                             job["id"], os.environ.get("HALFHOUR_SCREENSHOT", ""), "crew")
        self.assertEqual(seen["badge"], "急修")
        self.assertEqual(seen["reclassify"], "申请改判", "a crew may only ask the station")
        self.assertIn("到场剩余", seen["countdown"])
        self.assertEqual(seen["cookie"], {"secure": False, "httpOnly": True, "sameSite": "Strict"},
                         "plain HTTP and no trusted proxy: not Secure")
        self.assertIn("138****5678", seen["phone_before"])
        self.assertIn("另有1位居民反映同一问题：邻居刘女士 137****1234", seen["linked"])
        self.assertRegex(job["short_code"], r"^[1-9]\d{3,5}$")
        self.assertIn("工单码 " + job["short_code"], seen["meta"], "the code an SMS reply names")
        self.assertIn("13812345678", seen["phone_after"])
        self.assertIn("到场：已按时完成", seen["after_arrival"])
        self.assertLessEqual(seen["scroll_width"], 360, "the page must fit a small phone without sideways scrolling")
        self.assertGreaterEqual(seen["min_button_height"], 44, "buttons must be big enough for a thumb")
        self.assertIn("网络不可用", seen["offline_banner"])

        _, order = self.engine.get_order(job["id"])
        on_site = next(c for c in order["clocks"] if c["kind"] == "ON_SITE")
        self.assertIn("stopped_at", on_site)
        self.assertEqual(order["state"], "ON_SITE")
        [arrived] = [e for e in order["history"] if e["kind"] == "ARRIVED"]
        self.assertAlmostEqual(arrived["position"]["latitude"], 31.1523, places=4)
        self.assertEqual(arrived["actor"], "李师傅")

    def test_the_station_sees_待确认_and_corrects_the_call_from_a_phone(self):
        code = self.engine.crew_add("13900000005", "值班员小陈", "街道物业应急维修服务站", "station")
        # Outside the district: the station triages it. "水管漏水了" does not say how bad: uncertain.
        status, job, _ = self.engine.post_ticket({"ticket_no": "PAGE-3", "content": "水管漏水了",
                                                  "address": "浦东某路88号", "caller_phone": "13812345679"})
        self.assertEqual(status, 201, job)
        self.assertEqual(job["holder"], "街道物业应急维修服务站")
        self.assertTrue(job["classification"]["uncertain"], job["classification"])
        seen = self.run_page("crew_page.mjs", f"http://127.0.0.1:{self.engine.port}/crew/", "13900000005", code,
                             job["id"], os.environ.get("HALFHOUR_SCREENSHOT", ""), "station")
        self.assertEqual((seen["badge"], seen["unsure"]), ("急修", "待确认"))
        self.assertIn("系统判断把握不大，按急修处理，请值班人员确认", seen["unsure_label"])
        self.assertEqual(seen["unsure_note"], "系统判断把握不大，按急修处理，请值班人员确认")
        self.assertEqual(seen["form_title"], "改判")
        self.assertEqual(seen["urgency_chosen"], "GENERAL", "渗水渗漏 is a general repair")
        self.assertGreaterEqual(seen["min_control_height"], 44, "controls must be big enough for a thumb")
        self.assertLessEqual(seen["scroll_width"], 360)
        self.assertEqual((seen["unsure_after"], seen["badge_after"], seen["category_after"], seen["form_after"]),
                         (0, "一般", "渗水渗漏", 0))
        self.assertEqual(seen["banner"], "已改判")
        _, order = self.engine.get_order(job["id"])
        cls = order["classification"]
        self.assertEqual((cls["urgency"], cls["category"], cls["group"], cls["uncertain"]),
                         ("GENERAL", "seepage", "G1", False))
        [e] = [e for e in order["history"] if e["kind"] == "RECLASSIFIED"]
        self.assertEqual(e["actor"], "值班员小陈")
        self.assertIn("墙面渗水", e["note"])

    def test_page_files_are_served_and_nothing_else_is(self):
        for path, ctype in (("/crew/", "text/html"), ("/crew/app.js", "text/javascript"), ("/crew/style.css", "text/css")):
            status, body, headers = self.engine.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["Content-Type"].startswith(ctype), headers)
        for path in ("/crew/../deploy/redis.conf", "/crew/%2e%2e/etc/passwd", "/crew/nope.js"):
            self.assertEqual(self.engine.request("GET", path)[0], 404, path)
        status, _, headers = self.engine.request("GET", "/")
        self.assertEqual((status, headers["Location"]), (302, "/crew/"))


if __name__ == "__main__":
    harness.main()
