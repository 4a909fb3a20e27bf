#!/usr/bin/env python3
"""The monthly breach report: a simulated month's CSV and HTML byte-identical to the golden
files (regenerate them with --update after a deliberate change), the XLSX read back as a zip of
XML, the simulation's progress and speed, and GET /v1/reports/breaches over HTTP against a
real Redis with its roles and signed links."""
import hashlib
import hmac
import json
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

import harness
from harness import Engine, Redis

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "data", "golden")
SIM = ["simulate", "--month", "2026-10", "--per-day", "12"]
UPDATE = "--update" in sys.argv
if UPDATE:
    sys.argv.remove("--update")


def simulate(out, *extra, seed=7):
    started = time.monotonic()
    run = subprocess.run([harness.binary(), *SIM, "--seed", str(seed), "--out", out, *extra], capture_output=True,
                         text=True, timeout=120)
    return run, time.monotonic() - started


class Simulated(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="halfhour-report-")
        cls.result, cls.seconds = simulate(cls.dir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_a_month_is_simulated_in_seconds_with_progress_on_stderr(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        self.assertLess(self.seconds, 30)
        self.assertIn("模拟至 2026-10-", self.result.stderr)
        self.assertIn("模拟完成", self.result.stderr)
        written = sorted(os.path.basename(p) for p in self.result.stdout.split())
        self.assertEqual(written, sorted(["halfhour-2026-10.html", "halfhour-2026-10.xlsx"] +
                                         [f"halfhour-2026-10-{v}.csv" for v in
                                          ("summary", "scorecard", "firms", "committees", "communities", "rates",
                                           "breaches")]))

    def test_csv_and_html_are_byte_identical_to_the_golden_files(self):
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".xlsx"):
                continue
            with open(os.path.join(self.dir, name), "rb") as f:
                made = f.read()
            golden = os.path.join(GOLDEN, name)
            if UPDATE:
                with open(golden, "wb") as f:
                    f.write(made)
                continue
            with open(golden, "rb") as f:
                self.assertEqual(made, f.read(), f"{name} differs from tests/data/golden (--update if meant)")

    def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(self):
        again = tempfile.mkdtemp(prefix="halfhour-report-")
        other = tempfile.mkdtemp(prefix="halfhour-report-")
        try:
            simulate(again, "--quiet")
            simulate(other, "--quiet", seed=8)
            for name in ("halfhour-2026-10.html", "halfhour-2026-10-breaches.csv"):
                a, b, c = (open(os.path.join(d, name), "rb").read() for d in (self.dir, again, other))
                self.assertEqual(a, b, name)
                self.assertNotEqual(a, c, name)
        finally:
            shutil.rmtree(again, ignore_errors=True)
            shutil.rmtree(other, ignore_errors=True)

    def test_csv_opens_in_excel_and_adds_up(self):
        with open(os.path.join(self.dir, "halfhour-2026-10-firms.csv"), "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM")
        rows = [r.split(",") for r in raw[3:].decode().split("\r\n") if r]
        header, body, total = rows[0], rows[1:-1], rows[-1]
        self.assertEqual(header[0], "物业服务企业")
        self.assertEqual(total[0], "合计")
        received = header.index("受理")
        self.assertEqual(sum(int(r[received]) for r in body), int(total[received]))
        with open(os.path.join(self.dir, "halfhour-2026-10-breaches.csv"), encoding="utf-8-sig") as f:
            breaches = f.read().splitlines()
        breach_total = next(r for r in rows if r[0] == "合计")[header.index("超时合计")]
        self.assertEqual(len(breaches) - 1, int(breach_total), "one line per breach")

    def test_html_is_self_contained_with_three_charts(self):
        with open(os.path.join(self.dir, "halfhour-2026-10.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("东明路街道（模拟数据）2026年10月报修时限执行情况通报", page)
        self.assertEqual(page.count("<svg"), 3)
        for label in ("各物业超时次数", "各居委按时率", "每日受理与超时"):
            self.assertIn(label, page)
        self.assertIsNone(re.search(r'(src|href)="(https?:)?//', page), "no outside resources")

    def test_the_scorecard_grades_every_firm_but_the_station_the_worst_first(self):
        with open(os.path.join(self.dir, "halfhour-2026-10-scorecard.csv"), encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows[0][:2], ["排名", "物业服务企业"])
        body = rows[1:]
        self.assertTrue(body)
        self.assertNotIn("街道物业应急维修服务站", [r[1] for r in body])
        scores = [float(r[8]) for r in body]
        self.assertEqual(scores, sorted(scores), "the worst first")
        for r in body:
            score, grade = float(r[8]), r[9]
            expected = "绿" if score >= 90 else "黄" if score >= 80 else "橙" if score >= 70 else "红"
            self.assertTrue(grade.startswith(expected), r)

    def test_xlsx_has_a_sheet_per_view_with_chinese_headers_frozen_and_sized(self):
        z = zipfile.ZipFile(os.path.join(self.dir, "halfhour-2026-10.xlsx"))
        self.assertIsNone(z.testzip())
        sheets = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
        self.assertEqual(sheets, ["概览", "物业考核评分", "物业", "居委", "小区", "先联率、解决率与满意率", "超时明细"])
        strings = z.read("xl/sharedStrings.xml").decode()
        for header in ("物业服务企业", "按时率", "联系用时中位数（分钟）", "处置情况"):
            self.assertIn(header, strings)
        for i in range(1, 6):
            sheet = z.read(f"xl/worksheets/sheet{i}.xml").decode()
            self.assertIn('state="frozen"', sheet, i)
            self.assertIn('customWidth="1"', sheet, i)
        firms = z.read("xl/worksheets/sheet2.xml").decode()
        self.assertRegex(firms, r'<c r="B2"[^>]*><v>\d+</v>', "counts are numbers, not text")


class OverHttp(unittest.TestCase):
    SECRET = "a-link-secret-of-at-least-32-characters"

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="halfhour-report-http-")
        cls.redis = Redis(cls.root)
        cls.redis.start()
        cls.engine = Engine(cls.root, cls.redis, {"reports": {"link_secret": cls.SECRET,
                                                              "public_url": "https://halfhour.example.cn"}})
        cls.engine.start()
        cls.codes = {"centre": cls.engine.crew_add("13500000001", "建管中心王科长", "建管中心", "supervisor"),
                     "crew": cls.engine.crew_add("13500000002", "李师傅", "临客嘉物业")}
        status, body, _ = cls.engine.post_ticket({"ticket_no": "RPT-1", "content": "门禁坏了", "address": "丹桂苑2号楼"})
        assert status == 201, body

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.engine, cls.redis, cls.root)

    def token(self, who, phone):
        # A code logs in once: each member's session is kept for the class.
        tokens = self.__class__.__dict__.get("tokens") or {}
        if who not in tokens:
            status, raw, _ = self.engine.request("POST", "/v1/auth/login",
                                                 json.dumps({"phone": phone, "code": self.codes[who]}).encode(),
                                                 {"Content-Type": "application/json"})
            assert status == 200, raw
            tokens[who] = json.loads(raw)["token"]
            self.__class__.tokens = tokens
        return tokens[who]

    def get(self, query, token=None):
        headers = {"Authorization": "Bearer " + token} if token else {}
        return self.engine.request("GET", "/v1/reports/breaches?" + query, None, headers)

    def this_month(self):
        return time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))

    def test_the_centre_reads_this_months_report_in_every_format(self):
        centre = self.token("centre", "13500000001")
        month = self.this_month()
        status, body, headers = self.get(f"month={month}&format=html", centre)
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("受理工单", body.decode())
        status, body, headers = self.get(f"month={month}&format=csv&view=firms", centre)
        self.assertEqual(status, 200)
        self.assertIn("临客嘉物业", body.decode("utf-8-sig"))
        self.assertIn(f"halfhour-{month}-firms.csv", headers["Content-Disposition"])
        status, body, _ = self.get(f"month={month}&format=xlsx", centre)
        self.assertEqual((status, body[:2]), (200, b"PK"))

    def test_others_need_a_session_of_the_centre_or_the_station_or_the_signed_link(self):
        month = self.this_month()
        self.assertEqual(self.get(f"month={month}")[0], 401)
        self.assertEqual(self.get(f"month={month}", self.token("crew", "13500000002"))[0], 403)
        good = hmac.new(self.SECRET.encode(), f"halfhour report {month}".encode(), hashlib.sha256).hexdigest()[:32]
        self.assertEqual(self.get(f"month={month}&token={good}")[0], 200)
        self.assertEqual(self.get(f"month={month}&token={'0' * 32}")[0], 401)
        self.assertEqual(self.get(f"month=2020-01&token={good}")[0], 401, "a link opens its own month only")

    def test_bad_queries_are_refused(self):
        centre = self.token("centre", "13500000001")
        for query, field in (("month=2026-13", "month"), ("month=10-2026", "month"), ("month=2026-10&format=pdf", "format"),
                             ("month=2026-10&format=csv&view=everything", "view"), ("month=2099-01", "month")):
            status, body, _ = self.get(query, centre)
            self.assertEqual(status, 400, query)
            self.assertEqual(json.loads(body)["error"]["field"], field, query)


class ArchiveCommand(unittest.TestCase):
    """`halfhour archive` as an operator runs it. What a pass moves, and a pass killed at each of its
    steps, are tested against a real redis-server in tests/integration/dispatcher/archiver_test.cpp,
    on a clock the test moves: here the clock is the machine's, and nothing is a year old."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-archive-cmd-")
        self.redis = Redis(self.root)
        self.redis.start()

    def tearDown(self):
        self.redis.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def archive(self, config):
        path = os.path.join(self.root, "halfhour.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(config, f)
        return subprocess.run([harness.binary(), "--config", path, "archive", "--redis-socket", self.redis.socket],
                              capture_output=True, text=True, timeout=30)

    def test_without_an_archive_dir_nothing_may_leave_redis_and_it_says_so(self):
        run = self.archive({})
        self.assertEqual(run.returncode, 2)
        self.assertIn("archive_dir", run.stderr)

    def test_a_store_with_nothing_past_the_window_is_left_as_it_is(self):
        archive_dir = os.path.join(self.root, "archive")
        run = self.archive({"archive_dir": archive_dir})
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("months 0, written 0, out of Redis 0", run.stdout)
        self.assertFalse(os.path.exists(archive_dir) and os.listdir(archive_dir))

    def test_a_window_shorter_than_a_report_reads_is_refused_before_anything_runs(self):
        run = self.archive({"archive_dir": os.path.join(self.root, "archive"), "retention_months": 1})
        self.assertEqual(run.returncode, 2)
        self.assertIn("retention_months", run.stderr)


if __name__ == "__main__":
    harness.main()
