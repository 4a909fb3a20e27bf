#!/usr/bin/env python3
"""Call-backs after 完工 (回访) over HTTP against a real Redis: the 12345 hotline's answer by ticket
number (its key, its retry applied once, an unknown ticket 404, a bad outcome 400, a job not yet
done 409), 不满意 sending the job back to its firm (REOPENED, a re-do clock of working days, the
firm's crew sees it and does it again), 不满意 again the centre's case (督办); the centre answers by
hand, nobody else."""
import json
import tempfile
import unittest

import harness
from harness import Engine, Redis

STATE = {}
FIRM = "临客嘉物业"  # 丹桂苑


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-callbacks-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    engine = STATE["engine"] = Engine(root, redis, {})
    engine.start()
    people = {"centre": ("13300000001", "周科长", "建管中心", "supervisor"),
              "crew": ("13300000002", "李师傅", FIRM, "crew"),
              "station": ("13300000003", "值班员", "街道物业应急维修服务站", "station")}
    STATE["tokens"] = {who: engine.login(phone, engine.crew_add(phone, name, org, role))
                       for who, (phone, name, org, role) in people.items()}


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def post(path, body, who=None):
    headers = {"Content-Type": "application/json"}
    if who:
        headers["Authorization"] = "Bearer " + STATE["tokens"][who]
    raw_body = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    status, raw, _ = STATE["engine"].request("POST", path, raw_body, headers)
    return status, json.loads(raw) if raw else None


def done_job(ticket_no, building):
    # A building of its own: reports of one building's door within two hours are one incident.
    status, job, _ = STATE["engine"].post_ticket({"ticket_no": ticket_no, "content": "单元门禁坏了，刷卡打不开",
                                                  "address": f"丹桂苑{building}号楼", "caller_phone": "13812345678"})
    assert status == 201, job
    status, order = post(f"/v1/crew/jobs/{job['id']}/complete", {"request_id": ticket_no + "-done"}, "crew")
    assert status == 200 and order["state"] == "DONE", order
    return job["id"]


def answer(ticket_no, outcome, called_at="2026-12-05T10:00:00+08:00"):
    return post("/v1/hotline/callbacks", {"ticket_no": ticket_no, "outcome": outcome, "called_at": called_at,
                                          "note": "居民称门禁还是坏的"})


def history(wo_id, kind):
    _, order = STATE["engine"].get_order(wo_id)
    return [e for e in order["history"] if e["kind"] == kind]


class Callbacks(unittest.TestCase):
    def test_dissatisfied_sends_the_job_back_to_its_firm_and_again_after_the_redo_to_the_centre(self):
        wo_id = done_job("CB-1", 1)
        status, receipt = answer("CB-1", "DISSATISFIED")
        self.assertEqual(status, 200, receipt)
        self.assertEqual(receipt["state"], "REOPENED")
        self.assertEqual(receipt["reporter"]["phone"], "", "the hotline's answer shows no personal data")
        _, order = STATE["engine"].get_order(wo_id)
        redo = next(c for c in order["clocks"] if c["kind"] == "REDO")
        self.assertEqual(redo["working_days"], 3)
        self.assertTrue(redo["deadline"].endswith("09:30:00Z"), redo["deadline"] + ": 17:30 in Shanghai")
        self.assertEqual(len(history(wo_id, "REOPENED")), 1)
        # The firm's crew has it again, first in its list (before an urgent job just in), and does it.
        status, urgent, _ = STATE["engine"].post_ticket({"ticket_no": "CB-1U", "content": "楼道里水管爆了，水漫出来",
                                                         "address": "丹桂苑9号楼"})
        self.assertEqual((status, urgent["classification"]["urgency"]), (201, "URGENT"), urgent)
        status, raw, _ = STATE["engine"].request("GET", "/v1/crew/jobs", None,
                                                 {"Authorization": "Bearer " + STATE["tokens"]["crew"]})
        listed = [j["work_order"]["id"] for j in json.loads(raw)["jobs"]]
        self.assertEqual(listed[0], wo_id, listed)
        self.assertIn(urgent["id"], listed)
        status, order = post(f"/v1/crew/jobs/{wo_id}/complete", {"request_id": "cb1-redo"}, "crew")
        self.assertEqual(status, 200, order)
        self.assertEqual(order["state"], "DONE")
        status, receipt = answer("CB-1", "DISSATISFIED", "2026-12-09T10:00:00+08:00")
        self.assertEqual(status, 200, receipt)
        self.assertEqual(receipt["state"], "DONE", "no third round")
        self.assertEqual(len(history(wo_id, "SUPERVISED")), 1, "the centre's case")
        _, order = STATE["engine"].get_order(wo_id)
        self.assertTrue(order["supervised"])
        self.assertEqual(len([c for c in order["clocks"] if c["kind"] == "REDO"]), 1)

    def test_the_hotlines_retry_is_applied_once(self):
        wo_id = done_job("CB-2", 2)
        for _ in range(2):
            status, receipt = answer("CB-2", "SATISFIED")
            self.assertEqual(status, 200, receipt)
        self.assertEqual(len(history(wo_id, "RATED")), 1)
        _, order = STATE["engine"].get_order(wo_id)
        self.assertEqual(order["settled_rating"], "SATISFIED")

    def test_unknown_ticket_bad_outcome_and_a_job_not_yet_done_are_refused(self):
        status, body = answer("NO-SUCH", "SATISFIED")
        self.assertEqual(status, 404, body)
        self.assertEqual(body["error"]["field"], "ticket_no")
        status, body = answer("CB-2", "HAPPY")
        self.assertEqual(status, 400, body)
        self.assertEqual(body["error"]["field"], "outcome")
        status, body = post("/v1/hotline/callbacks", {"ticket_no": "CB-2", "outcome": "SATISFIED"})
        self.assertEqual((status, body["error"]["field"]), (400, "called_at"))
        status, job, _ = STATE["engine"].post_ticket({"ticket_no": "CB-3", "content": "楼道灯不亮",
                                                      "address": "丹桂苑7号楼"})
        self.assertEqual(status, 201, job)
        status, body = answer("CB-3", "SATISFIED")
        self.assertEqual(status, 409, body)
        self.assertIn("尚未完工", body["error"]["message"])

    def test_the_centre_answers_by_hand_and_nobody_else_may(self):
        wo_id = done_job("CB-4", 4)
        body = {"outcome": "BASICALLY_SATISFIED", "note": "电话回访", "request_id": "centre-cb-4"}
        for who in ("crew", "station"):
            status, refused = post(f"/v1/work-orders/{wo_id}/callback", body, who)
            self.assertEqual(status, 403, refused)
        status, refused = post(f"/v1/work-orders/{wo_id}/callback", body)
        self.assertEqual(status, 401, refused)
        self.assertEqual(history(wo_id, "RATED"), [], "nothing changed")
        status, order = post(f"/v1/work-orders/{wo_id}/callback", body, "centre")
        self.assertEqual(status, 200, order)
        self.assertEqual(order["settled_rating"], "BASICALLY_SATISFIED")
        status, order = post(f"/v1/work-orders/{wo_id}/callback", body, "centre")
        self.assertEqual(status, 200, order)
        self.assertEqual(len(history(wo_id, "RATED")), 1, "the same request_id applied once")
        status, bad = post(f"/v1/work-orders/{wo_id}/callback", {"outcome": "SATISFIED"}, "centre")
        self.assertEqual((status, bad["error"]["field"]), (400, "request_id"))
        status, missing = post("/v1/work-orders/W00-999999/callback", body, "centre")
        self.assertEqual(status, 404, missing)


if __name__ == "__main__":
    harness.main()
