#!/usr/bin/env python3
"""The reporter's own rating after 完工 (回访) against a real Redis: the completion SMS to each
reporter carries a link of their own under the public address; the page at that link, in real
headless Chromium, shows the job (nothing personal), takes one rating, shows it again on a second
visit, and refuses a forged link. Over HTTP: a link rates once (a retry is applied once, a second
answer 409), a bad answer is 400, a linked report's reporter rates the same job, and 不满意 sends
the job back to its firm."""
import json
import os
import re
import tempfile
import unittest

import harness
from harness import Engine, Redis, wait_for
from test_outbox import Receiver

STATE = {}
FIRM = "临客嘉物业"  # 丹桂苑
PUBLIC = "https://halfhour.example.cn"
CALLER = "13812345678"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-rate-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    receiver = STATE["receiver"] = Receiver()
    engine = STATE["engine"] = Engine(root, redis, {
        "delivery": {"sms_url": f"http://127.0.0.1:{receiver.port}/sms", "sms_template": "【东明路街道】{text}",
                     "poll_ms": 200, "backoff_first_ms": 100},
        "reports": {"public_url": PUBLIC, "link_secret": "rating-links-secret-of-32-chars-or-more"},
    })
    engine.start()
    STATE["crew"] = engine.login("13300000002", engine.crew_add("13300000002", "李师傅", FIRM))


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])
    STATE["receiver"].stop()


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    raw_body = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    status, raw, headers = STATE["engine"].request(method, path, raw_body, headers)
    return status, json.loads(raw) if raw else None, headers


def complete(wo_id, request_id):
    status, order, _ = call("POST", f"/v1/crew/jobs/{wo_id}/complete", {"request_id": request_id}, STATE["crew"])
    assert status == 200 and order["state"] == "DONE", order


def links_to(phone):
    """The rating links the SMS gateway was asked to send to `phone`, oldest first."""
    receiver = STATE["receiver"]
    with receiver.lock:
        messages = [b["message"] for p, b in receiver.bodies.values() if p == "/sms" and b["phone"] == phone]
    return [m for m in messages if "/r/" in m]


def link_in(message):
    m = re.search(re.escape(PUBLIC) + r"(/r/[A-Za-z0-9.\-]+)", message)
    assert m, message
    return m.group(1)


def done_job(ticket_no, building, phone=CALLER):
    status, job, _ = STATE["engine"].post_ticket({"ticket_no": ticket_no, "content": "单元门禁坏了，刷卡打不开",
                                                  "address": f"丹桂苑{building}号楼", "caller_phone": phone})
    assert status == 201, job
    before = len(links_to(phone))
    complete(job["id"], ticket_no + "-done")
    wait_for(lambda: len(links_to(phone)) > before, 10, "the completion SMS with the link")
    return job["id"], links_to(phone)[-1]


class RatePage(harness.EngineCase):
    # The module's engine serves every test; EngineCase only lends run_page.
    def setUp(self):
        pass

    def tearDown(self):
        pass

    def test_the_completion_sms_link_opens_a_page_that_rates_once_and_shows_it_again(self):
        wo_id, message = done_job("RATE-PAGE", 11)
        self.assertTrue(message.startswith("【东明路街道】"), message)
        self.assertIn("已完工", message)
        self.assertIn("7天内有效", message)
        self.assertNotIn(CALLER, message)
        path = link_in(message)
        self.assertTrue(path.startswith(f"/r/{wo_id}."), path)
        local = f"http://127.0.0.1:{STATE['engine'].port}"
        forged = path[:-1] + ("0" if path[-1] != "0" else "1")
        seen = self.run_page("rate_page.mjs", local + path, local + forged, os.environ.get("HALFHOUR_SCREENSHOT", ""))

        self.assertEqual(seen["job_id"], wo_id)
        self.assertIn("门锁门禁对讲", seen["title"])
        self.assertEqual(seen["community"], "丹桂苑")
        self.assertEqual(seen["holder"], FIRM)
        self.assertNotIn(CALLER, seen["page_text"], "nothing personal on a page a link opens")
        self.assertNotIn("刷卡打不开", seen["page_text"])
        self.assertIn("请先选择", seen["unpicked_banner"])
        self.assertEqual(seen["rated"], "基本满意")
        self.assertEqual(seen["rated_note"], "师傅来得快，门禁还有点慢")
        self.assertEqual(seen["second_visit_rated"], "基本满意", "a second visit shows the rating")
        self.assertFalse(seen["second_visit_form"], "and offers no second one")
        self.assertIn("链接无效", seen["forged_banner"])
        self.assertFalse(seen["forged_job_shown"])

        _, order = STATE["engine"].get_order(wo_id)
        self.assertEqual(order["settled_rating"], "BASICALLY_SATISFIED")
        rated = [e for e in order["history"] if e["kind"] == "RATED"]
        self.assertEqual(len(rated), 1, "the page's one submission, once")
        self.assertEqual(rated[0]["actor"], "报修人")
        self.assertIn("师傅来得快", rated[0]["note"])

    def test_the_page_keeps_its_link_to_itself(self):
        status, body, headers = STATE["engine"].request("GET", "/r/W00-000001.0123456789abcdef01234567")
        self.assertEqual(status, 200, "the page loads; its script asks about the link")
        self.assertIn("维修服务评价", body.decode())
        self.assertEqual(headers["Referrer-Policy"], "no-referrer")
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertIn("frame-ancestors 'none'", headers["Content-Security-Policy"])


class RatingsOverHttp(unittest.TestCase):
    def test_a_link_rates_once_a_retry_is_applied_once_and_a_second_answer_is_409(self):
        wo_id, message = done_job("RATE-ONCE", 12)
        api = "/v1/ratings/" + link_in(message)[len("/r/"):]
        status, view, headers = call("GET", api)
        self.assertEqual(status, 200, view)
        self.assertEqual((view["work_order_id"], view["link"], view["state"]), (wo_id, "OPEN", "DONE"))
        self.assertNotIn("reporter", view)
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertEqual(call("POST", api, {"outcome": "UNREACHED", "request_id": "p1"})[0], 400,
                         "a reporter was reached: their answer is one of three")
        self.assertEqual(call("POST", api, {"outcome": "SATISFIED", "note": "很好" * 300, "request_id": "p1"})[0], 400)
        self.assertEqual(call("POST", api, {"outcome": "SATISFIED"})[0], 400, "no request_id")
        first = call("POST", api, {"outcome": "SATISFIED", "note": "很好", "request_id": "p1"})
        self.assertEqual(first[0], 200, first[1])
        self.assertEqual((first[1]["link"], first[1]["rating"], first[1]["comment"]), ("RATED", "SATISFIED", "很好"))
        retry = call("POST", api, {"outcome": "SATISFIED", "note": "很好", "request_id": "p1"})
        self.assertEqual(retry[0], 200, "the page's retry after a lost answer")
        second = call("POST", api, {"outcome": "DISSATISFIED", "request_id": "p2"})
        self.assertEqual(second[0], 409, second[1])
        self.assertEqual(second[1]["rating"], "SATISFIED", "what was said, shown")
        _, order = STATE["engine"].get_order(wo_id)
        self.assertEqual(len([e for e in order["history"] if e["kind"] == "RATED"]), 1)
        self.assertEqual(order["state"], "DONE")

    def test_a_link_not_made_here_is_404_and_names_no_job(self):
        wo_id, message = done_job("RATE-FORGED", 13)
        token = link_in(message)[len("/r/"):]
        for bad in (token[:-1] + ("0" if token[-1] != "0" else "1"), "W99-000001." + token.split(".")[1], "nonsense",
                    wo_id + "." + "0" * 24):
            status, body, _ = call("GET", "/v1/ratings/" + bad)
            self.assertEqual(status, 404, bad)
            self.assertEqual(body["error"]["code"], "invalid_link")
            self.assertEqual(call("POST", "/v1/ratings/" + bad, {"outcome": "SATISFIED", "request_id": "x"})[0], 404)

    def test_a_linked_reports_reporter_rates_the_same_job_and_dissatisfied_sends_it_back(self):
        status, job, _ = STATE["engine"].post_ticket({"ticket_no": "RATE-LINK-1", "content": "14号楼单元门禁坏了",
                                                      "address": "丹桂苑14号楼", "caller_phone": CALLER})
        self.assertEqual(status, 201, job)
        status, again, _ = STATE["engine"].post_ticket({"ticket_no": "RATE-LINK-2", "content": "14号楼门禁打不开",
                                                        "address": "丹桂苑14号楼", "caller_phone": "13912340000"})
        self.assertEqual(again["id"], job["id"], "the neighbour's report joined the job")
        before = len(links_to("13912340000"))
        complete(job["id"], "link-done")
        wait_for(lambda: len(links_to("13912340000")) > before, 10, "the neighbour's own link")
        neighbour = link_in(links_to("13912340000")[-1])
        self.assertNotEqual(neighbour, link_in(links_to(CALLER)[-1]), "a link of their own")
        status, view, _ = call("POST", "/v1/ratings/" + neighbour[len("/r/"):],
                               {"outcome": "DISSATISFIED", "note": "还是打不开", "request_id": "n1"})
        self.assertEqual(status, 200, view)
        self.assertEqual(view["state"], "REOPENED")
        _, order = STATE["engine"].get_order(job["id"])
        self.assertEqual(order["state"], "REOPENED")
        self.assertEqual(order["holder"], FIRM)
        self.assertEqual([c["kind"] for c in order["clocks"] if c["kind"] == "REDO"], ["REDO"])


if __name__ == "__main__":
    harness.main()
