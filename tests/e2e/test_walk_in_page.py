#!/usr/bin/env python3
"""The committees' walk-in / suggestion-box form in real headless Chromium: staff log in, see
their own communities, submit a request through the same path as every channel; a lost answer
resubmitted is one job; a neighbour's report of the same incident is joined to it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import harness
from harness import Engine, Redis

HERE = os.path.dirname(os.path.abspath(__file__))


class WalkInPage(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-walkin-")
        self.redis = Redis(self.root)
        self.redis.start()
        self.engine = Engine(self.root, self.redis, {})
        self.engine.start()

    def tearDown(self):
        rc = self.engine.stop()
        self.redis.kill()
        shutil.rmtree(self.root, ignore_errors=True)
        self.assertEqual(rc, 0, "".join(self.engine.log[-40:]))

    def test_committee_staff_write_down_a_request_and_a_neighbours_report_joins_it(self):
        code = self.engine.crew_add("13700000009", "居委小周", "凌四", "committee")
        shot = os.environ.get("HALFHOUR_SCREENSHOT", "")
        out = subprocess.run(["node", os.path.join(HERE, "browser", "walk_in_page.mjs"),
                              f"http://127.0.0.1:{self.engine.port}/walk-in/", "13700000009", code, shot],
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        seen = json.loads(out.stdout.strip().splitlines()[-1])
        print("\n  page: " + json.dumps(seen, ensure_ascii=False), file=sys.stderr)
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
