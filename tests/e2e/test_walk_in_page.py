#!/usr/bin/env python3
"""The committees' walk-in / suggestion-box form in real headless Chromium: staff log in, see
their own communities, submit a request through the same path as every channel; a lost answer
resubmitted is one job; a neighbour's report of the same incident is joined to it."""
import os

import harness

HERE = os.path.dirname(os.path.abspath(__file__))


class WalkInPage(harness.EngineCase):
    PREFIX = "halfhour-walkin-"

    def test_committee_staff_write_down_a_request_and_a_neighbours_report_joins_it(self):
        code = self.engine.crew_add("13700000009", "居委小周", "凌四", "committee")
        seen = self.run_page("walk_in_page.mjs", f"http://127.0.0.1:{self.engine.port}/walk-in/", "13700000009", code,
                             os.environ.get("HALFHOUR_SCREENSHOT", ""))
        self.assertIn("凌四居委", seen["who"])
        self.assertIn("丹桂苑", seen["communities"])
        self.assertNotIn("金桂苑", seen["communities"], "another committee's community is not offered")
        self.assertIn("请填写报修内容", seen["empty_banner"])
        self.assertIn("不会重复登记", seen["lost_banner"])
        self.assertEqual(seen["receipt_title"], "已受理")
        self.assertIn("急修", seen["receipt_text"])
        wo_id = seen["receipt_id"].split()[-1]
        self.assertIn(wo_id, seen["receipt_text"])
        self.assertEqual(seen["second_title"], "已并入在办工单")
        self.assertEqual(seen["second_id"].split()[-1], wo_id)

        self.assertEqual(self.redis.work_order_count(), 1, "a retried form and a joined report: one job")
        _, order = self.engine.get_order(wo_id)
        self.assertEqual(order["channel"], "SUGGESTION_BOX")
        self.assertEqual(order["resolution"]["community"], "丹桂苑")
        self.assertEqual(order["reporter"]["phone"], "13812345678")
        self.assertEqual([l["channel"] for l in order["linked"]], ["WALK_IN"])

    def test_page_files_are_served(self):
        for path, ctype in (("/walk-in/", "text/html"), ("/walk-in/app.js", "text/javascript"),
                            ("/walk-in/style.css", "text/css")):
            status, body, headers = self.engine.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["Content-Type"].startswith(ctype), headers)
        self.assertEqual(self.engine.request("GET", "/walk-in/../crew/app.js")[0], 404)


if __name__ == "__main__":
    harness.main()
