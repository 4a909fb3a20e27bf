#!/usr/bin/env python3
"""End-to-end: a real redis-server and `halfhour serve` as separate processes, spoken to over
HTTP on loopback. Clocks are 2 s long here, so a breach and a recovery take seconds."""
import concurrent.futures
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import harness
from harness import Engine, Redis, parse_time, wait_for

STATE = {}

def setUpModule():
    STATE["root"] = tempfile.mkdtemp(prefix="halfhour-e2e-")
    STATE["redis"] = Redis(STATE["root"])
    STATE["redis"].start()
    STATE["engine"] = Engine(STATE["root"], STATE["redis"])
    STATE["engine"].start()
    STATE["accepted"] = {}


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def breaches(order, clock):
    return [e for e in order["history"] if e["kind"] == "CLOCK_BREACHED" and e["clock"] == clock]


class Spine(unittest.TestCase):
    @property
    def engine(self):
        return STATE["engine"]

    def accept(self, ticket, expect=201):
        status, body, headers = self.engine.post_ticket(ticket)
        self.assertEqual(status, expect, body)
        STATE["accepted"][body["id"]] = ticket["ticket_no"]
        return body, headers

    def test_1_ticket_is_classified_routed_and_clocked(self):
        body, headers = self.accept({
            "ticket_no": "SH2611280001", "content": "厨房水管爆了，水漫到客厅", "address": "凌兆路521弄3号502室",
            "caller_name": "张先生", "caller_phone": "13812345678", "reported_at": "2026-11-28T09:58:00+08:00"})
        self.assertRegex(body["id"], r"^W\d\d-\d{6}$")
        self.assertEqual(headers["Location"], "/v1/work-orders/" + body["id"])
        self.assertEqual(body["classification"]["urgency"], "URGENT")
        self.assertEqual(body["classification"]["category"], "burst_pipe")
        self.assertTrue(body["classification"]["reasons"][0]["words"])
        self.assertEqual(body["resolution"]["community"], "凌兆路521弄")
        self.assertEqual(body["resolution"]["firm"], "隆江物业")
        self.assertEqual(body["holder"], "隆江物业")
        clocks = {c["kind"]: c for c in body["clocks"]}
        self.assertEqual(set(clocks), {"ACKNOWLEDGE", "ON_SITE", "COMPLETION"})
        accepted = parse_time(body["accepted_at"])
        self.assertEqual(parse_time(clocks["ON_SITE"]["deadline"]) - accepted, datetime.timedelta(seconds=2))
        self.assertEqual(body["reported_at"], "2026-11-28T01:58:00Z")
        status, again = self.engine.get_order(body["id"])
        self.assertEqual(status, 200)
        self.assertEqual([e["kind"] for e in again["history"]][:3], ["ACCEPTED", "CLASSIFIED", "ROUTED"])
        status, raw, headers = self.engine.request("GET", "/v1/work-orders/" + body["id"],
                                                   headers={"Accept": "application/x-protobuf",
                                                            "Authorization": "Bearer " + self.engine.operator_token()})
        self.assertEqual((status, headers["Content-Type"]), (200, "application/x-protobuf"))
        self.assertIn(body["id"].encode(), raw)

    def test_2_same_ticket_again_answers_200_with_the_same_order(self):
        first, _ = self.accept({"ticket_no": "SH2611280002", "content": "门禁坏了", "address": "丹桂苑"})
        before = STATE["redis"].work_order_count()
        second, _ = self.accept({"ticket_no": "SH2611280002", "content": "门禁坏了", "address": "丹桂苑"}, 200)
        self.assertEqual(first["id"], second["id"])
        self.assertEqual(STATE["redis"].work_order_count(), before)

    def test_3_concurrent_retries_make_one_order(self):
        ticket = {"ticket_no": "SH2611280003", "content": "电梯困人", "address": "金桂苑5号"}
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda _: self.engine.post_ticket(ticket), range(16)))
        statuses = sorted(r[0] for r in results)
        self.assertEqual(statuses, [200] * 15 + [201])
        self.assertEqual(len({r[1]["id"] for r in results}), 1)
        STATE["accepted"][results[0][1]["id"]] = ticket["ticket_no"]

    def test_4_bad_input_gets_a_clear_error_and_writes_nothing(self):
        before = STATE["redis"].work_order_count()
        cases = [
            ({"content": "漏水"}, "application/json", 400, "ticket_no"),
            ({"ticket_no": "X1"}, "application/json", 400, "content"),
            ({"ticket_no": 5, "content": "漏水"}, "application/json", 400, "ticket_no"),
            ({"ticket_no": "X 1", "content": "漏水"}, "application/json", 400, "ticket_no"),
            ({"ticket_no": "X2", "content": "漏水", "reported_at": "yesterday"}, "application/json", 400, "reported_at"),
            ({"ticket_no": "X3", "content": "漏水", "caller_phone": "call me"}, "application/json", 400, "caller_phone"),
            ('{"ticket_no": "X4", "content": ', "application/json", 400, ""),
            (b'{"ticket_no": "X5", "content": "\xe6\xbc"}', "application/json", 400, ""),
            ({"ticket_no": "X6", "content": "漏水"}, "text/plain", 415, ""),
            ({"ticket_no": "X7", "content": "漏" * 40000}, "application/json", 413, ""),
            ("[1, 2, 3]", "application/json", 400, ""),
        ]
        for body, ctype, status, field in cases:
            with self.subTest(body=str(body)[:60]):
                got, err, _ = self.engine.post_ticket(body, ctype)
                self.assertEqual(got, status, err)
                self.assertIn("error", err)
                self.assertTrue(err["error"]["message"])
                if field:
                    self.assertEqual(err["error"]["field"], field)
        self.assertEqual(self.engine.request("GET", "/v1/hotline/tickets")[0], 405)
        self.assertEqual(self.engine.request("GET", "/v1/nothing")[0], 404)
        self.assertEqual(self.engine.get_order("W01-999999")[0], 404)
        self.assertEqual(self.engine.get_order("..%2F..%2Fetc%2Fpasswd")[0], 404)
        self.assertEqual(STATE["redis"].work_order_count(), before)

    def test_5_two_second_clock_breaches_within_milliseconds(self):
        body, _ = self.accept({"ticket_no": "SH2611280005", "content": "3号楼电梯困人", "address": "丹桂苑3号"})
        order = wait_for(lambda: (lambda o: o if breaches(o, "ON_SITE") else None)(self.engine.get_order(body["id"])[1]),
                         10, "on-site breach")
        [breach] = breaches(order, "ON_SITE")
        clock = next(c for c in order["clocks"] if c["kind"] == "ON_SITE")
        late_ms = (parse_time(clock["breached_at"]) - parse_time(clock["deadline"])).total_seconds() * 1000
        print(f"\n  breach lateness (deadline -> breach recorded): {late_ms:.0f} ms, event late_ms={breach['late_ms']}",
              file=sys.stderr)
        self.assertLess(late_ms, 500)
        self.assertFalse(breach["on_recovery"])
        self.assertEqual(breach["organisation"], "临客嘉物业")
        # The metrics say so too: the lateness histogram, nothing overdue unfired, the outbox.
        status, raw, headers = self.engine.request("GET", "/metrics")
        text = raw.decode()
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
        values = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line and not line.startswith("#")}
        self.assertGreaterEqual(values['halfhour_breach_lateness_ms_bucket{le="+Inf"}'], 1)
        self.assertEqual(values['halfhour_breach_lateness_ms_bucket{le="+Inf"}'], values["halfhour_breach_lateness_ms_count"])
        self.assertEqual(values["halfhour_deadlines_overdue_unfired"], 0)
        self.assertIn('halfhour_deadlines_armed{clock="done"}', values)
        for name in ("halfhour_redis_errors_total", "halfhour_outbox_delivered_total", "halfhour_outbox_in_flight",
                     "halfhour_deadlines_due_not_fired"):
            self.assertIn(name, values)

    def test_6_kill9_then_restart_fires_the_missed_deadline_exactly_once(self):
        body, _ = self.accept({"ticket_no": "SH2611280006", "content": "卫生间水龙头一直滴水", "address": "丹桂苑8号楼"})
        self.assertEqual(body["classification"]["urgency"], "GENERAL")
        deadline = parse_time(next(c for c in body["clocks"] if c["kind"] == "CONTACT")["deadline"])
        self.engine.kill9()
        # The contact deadline passes while the engine is down.
        wait_for(lambda: datetime.datetime.now(datetime.timezone.utc) > deadline + datetime.timedelta(seconds=0.3),
                 10, "deadline to pass during the downtime")
        self.engine.start()
        order = wait_for(lambda: (lambda o: o if breaches(o, "CONTACT") else None)(self.engine.get_order(body["id"])[1]),
                         10, "contact breach after recovery")
        [breach] = breaches(order, "CONTACT")
        self.assertTrue(breach["on_recovery"])
        self.assertGreaterEqual(int(breach["late_ms"]), 300)
        for wo_id in STATE["accepted"]:
            status, _ = self.engine.get_order(wo_id)
            self.assertEqual(status, 200, wo_id)
        # A second crash and restart must not fire anything twice.
        self.engine.kill9()
        self.engine.start()
        time.sleep(0.3)  # give a wrongly re-armed deadline the chance to show itself
        status, again = self.engine.get_order(body["id"])
        self.assertEqual(len(breaches(again, "CONTACT")), 1)
        self.assertEqual(len(breaches(again, "ACKNOWLEDGE")), 1)
        self.assertEqual(len(again["history"]), len(order["history"]))

    def test_7_redis_outage_answers_503_and_recovers_by_itself(self):
        redis = STATE["redis"]
        redis.kill()
        start = time.monotonic()
        status, err, headers = self.engine.post_ticket({"ticket_no": "SH2611280007", "content": "停电", "address": "丹桂苑"})
        self.assertEqual(status, 503, err)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertEqual(headers.get("Retry-After"), "1")
        self.assertEqual(self.engine.request("GET", "/readyz")[0], 503)
        redis.start()
        back = time.monotonic()
        wait_for(lambda: self.engine.request("GET", "/readyz")[0] == 200, 5, "readiness after Redis returns")
        print(f"\n  reconnected {1000 * (time.monotonic() - back):.0f} ms after Redis came back", file=sys.stderr)
        self.assertLess(time.monotonic() - back, 1.5)
        self.accept({"ticket_no": "SH2611280007", "content": "停电", "address": "丹桂苑"})
        for wo_id in STATE["accepted"]:
            self.assertEqual(self.engine.get_order(wo_id)[0], 200, wo_id)

    def test_8_phone_numbers_never_reach_the_log_in_full(self):
        log = "".join(self.engine.log)
        self.assertNotIn("13812345678", log)
        self.assertIn("138****5678", log)


class Classify(unittest.TestCase):
    def test_classify_command_reads_json_and_plain_lines(self):
        lines = "\n".join([
            json.dumps({"text": "电梯困人", "address": "金桂苑5号"}, ensure_ascii=False),
            "门铃坏了",
            json.dumps({"text": "漏水", "address": "凌兆路586弄"}, ensure_ascii=False),
            "{not json",
            json.dumps({"text": "墙面开裂", "address": None}, ensure_ascii=False),
        ]) + "\n"
        out = subprocess.run([harness.binary(), "classify"], input=lines, capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1, out.stderr)  # one bad line
        rows = [json.loads(l) for l in out.stdout.splitlines()]
        self.assertEqual(len(rows), 5)
        self.assertEqual((rows[0]["urgency"], rows[0]["category"], rows[0]["community"], rows[0]["firm"], rows[0]["route"]),
                         ("URGENT", "lift_entrapment", "金桂苑", "民盈城投物业", "FIRM"))
        self.assertEqual((rows[1]["urgency"], rows[1]["community"], rows[1]["firm"], rows[1]["route"]),
                         ("GENERAL", None, None, "STATION"))
        self.assertEqual(rows[2]["route"], "STATION")
        self.assertIn("A、B", rows[2]["route_reason"])
        self.assertEqual(rows[3]["line"], 4)
        self.assertIn("error", rows[3])
        self.assertTrue(all("reasons" in r for r in rows if "error" not in r))

    def test_help_is_there_for_every_command(self):
        for args in ([], ["serve"], ["classify"]):
            out = subprocess.run([harness.binary(), *args, "--help"], capture_output=True, text=True, timeout=30)
            self.assertEqual(out.returncode, 0)
            self.assertIn("--", out.stdout)


if __name__ == "__main__":
    harness.main()
