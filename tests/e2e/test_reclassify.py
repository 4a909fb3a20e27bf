#!/usr/bin/env python3
"""An operator corrects the urgent/general call over HTTP against a real Redis: who may (the
station, the centre, the holder's manager; the holder's crew may only ask), a retry applied once,
clocks of the old urgency retired with a recorded breach kept, the new clock from acceptance, the
holder told and 12345 told nothing new; a person's call is certain, no longer 待确认, and carries
the class of its category."""
import datetime
import json
import os
import tempfile
import unittest

import harness
from harness import Engine, Redis, parse_time, wait_for

STATE = {}
FIRM = "临客嘉物业"  # 丹桂苑
STATION = "街道物业应急维修服务站"


def setUpModule():
    root = STATE["root"] = tempfile.mkdtemp(prefix="halfhour-reclassify-")
    redis = STATE["redis"] = Redis(root)
    redis.start()
    # A contact clock of two seconds, to have a breach on record before the correction.
    engine = STATE["engine"] = Engine(root, redis, {"limits": {"contact_seconds": 2, "on_site_seconds": 600,
                                                               "ack_general_seconds": 600, "ack_urgent_seconds": 600}})
    engine.start()
    people = {"station": ("13200000001", "值班员", STATION, "station"),
              "centre": ("13200000002", "周科长", "建管中心", "supervisor"),
              "manager": ("13200000003", "赵经理", FIRM, "manager"),
              "crew": ("13200000004", "李师傅", FIRM, "crew"),
              "other_manager": ("13200000005", "孙经理", "三杨物业", "manager"),
              "committee": ("13200000006", "居委小周", "凌四", "committee")}
    STATE["tokens"] = {who: engine.login(phone, engine.crew_add(phone, name, org, role))
                       for who, (phone, name, org, role) in people.items()}


def tearDownModule():
    harness.shut_down(STATE["engine"], STATE["redis"], STATE["root"])


def post(path, body, who):
    headers = {"Content-Type": "application/json"}
    if who:
        headers["Authorization"] = "Bearer " + STATE["tokens"][who]
    status, raw, _ = STATE["engine"].request("POST", path, json.dumps(body, ensure_ascii=False).encode(), headers)
    return status, json.loads(raw) if raw else None


def new_job(ticket_no, content, building):
    status, job, _ = STATE["engine"].post_ticket({"ticket_no": ticket_no, "content": content,
                                                  "address": f"丹桂苑{building}号楼", "caller_phone": "13812345678"})
    assert status == 201, job
    return job


def clock(order, kind):
    return next(c for c in order["clocks"] if c["kind"] == kind)


class Reclassify(unittest.TestCase):
    def test_the_station_upgrades_a_breached_general_job_the_breach_stays_and_on_site_runs_from_acceptance(self):
        job = new_job("RC-1", "楼道灯不亮", 21)
        self.assertEqual(job["classification"]["urgency"], "GENERAL")
        wait_for(lambda: clock(STATE["engine"].get_order(job["id"])[1], "CONTACT").get("breached_at"), 15,
                 "the contact clock to breach")
        body = {"urgency": "URGENT", "category": "electrical_danger", "reason": "现场发现灯座冒烟", "request_id": "rc-1"}
        status, order = post(f"/v1/work-orders/{job['id']}/reclassify", body, "station")
        self.assertEqual(status, 200, order)
        self.assertEqual((order["classification"]["urgency"], order["classification"]["category"]),
                         ("URGENT", "electrical_danger"))
        self.assertTrue(order["classification"]["overridden"])
        self.assertEqual(order["classification"]["group"], "U4", "the class the rules give 漏电短路冒烟")
        contact = clock(order, "CONTACT")
        self.assertTrue(contact["retired"])
        self.assertIn("breached_at", contact, "a breach already recorded stays on record")
        on_site = clock(order, "ON_SITE")
        accepted = parse_time(order["accepted_at"])
        self.assertEqual(parse_time(on_site["started_at"]), accepted, "the new clock runs from acceptance")
        self.assertEqual(parse_time(on_site["deadline"]) - accepted, datetime.timedelta(seconds=600))
        events = [e for e in order["history"] if e["kind"] == "RECLASSIFIED"]
        self.assertEqual(len(events), 1)
        self.assertEqual((events[0]["actor"], events[0]["organisation"]), ("值班员", STATION))
        self.assertIn("现场发现灯座冒烟", events[0]["note"])
        kinds = [(n["recipient"], n["kind"]) for n in STATE["engine"].get_order(job["id"])[1]["notices"]]
        self.assertIn(("holder", "reclassified"), kinds)
        self.assertNotIn(("hotline", "reclassified"), kinds, "12345 hears nothing new")
        # The same request again: answered, applied once.
        status, again = post(f"/v1/work-orders/{job['id']}/reclassify", body, "station")
        self.assertEqual(status, 200, again)
        history = STATE["engine"].get_order(job["id"])[1]["history"]
        self.assertEqual(len([e for e in history if e["kind"] == "RECLASSIFIED"]), 1)

    def test_who_may_correct_ask_or_nobody(self):
        job = new_job("RC-2", "单元门锁坏了", 22)
        path = f"/v1/work-orders/{job['id']}/reclassify"
        body = {"urgency": "URGENT", "reason": "门坏了老人出不去", "request_id": "rc-2"}
        for who in ("other_manager", "committee"):
            status, refused = post(path, body, who)
            self.assertEqual(status, 403, (who, refused))
        self.assertEqual(post(path, body, None)[0], 401)
        status, asked = post(path, {**body, "request_id": "rc-2-crew"}, "crew")
        self.assertEqual(status, 202, asked)
        self.assertEqual(asked["classification"]["urgency"], "GENERAL", "a crew's request changes nothing yet")
        self.assertTrue([e for e in asked["history"] if e["kind"] == "RECLASSIFY_REQUESTED"])
        notices = STATE["engine"].get_order(job["id"])[1]["notices"]
        self.assertIn(("station", "reclassify_request"), [(n["recipient"], n["kind"]) for n in notices])
        status, order = post(path, {**body, "request_id": "rc-2-manager"}, "manager")
        self.assertEqual((status, order["classification"]["urgency"]), (200, "URGENT"), order)
        status, order = post(path, {"urgency": "GENERAL", "reason": "复核：门锁可用", "request_id": "rc-2-centre"}, "centre")
        self.assertEqual((status, order["classification"]["urgency"]), (200, "GENERAL"), order)
        self.assertEqual(order["classification"]["category"], "door_lock", "no category: the category stays")

    def test_a_persons_call_ends_the_doubt_and_takes_the_class_of_the_new_category(self):
        job = new_job("RC-4", "水管漏水了", 24)  # how bad a leak is, the text does not say
        cls = job["classification"]
        self.assertEqual((cls["urgency"], cls["uncertain"], cls["group"]), ("URGENT", True, "U1"), cls)
        self.assertLess(cls["confidence"], 1)
        path = f"/v1/work-orders/{job['id']}/reclassify"
        # A crew's request decides nothing: the job still waits for a person to confirm it.
        status, asked = post(path, {"urgency": "GENERAL", "category": "seepage", "reason": "只是渗水",
                                    "request_id": "rc-4-crew"}, "crew")
        self.assertEqual(status, 202, asked)
        self.assertTrue(asked["classification"]["uncertain"])
        status, order = post(path, {"urgency": "GENERAL", "category": "seepage", "reason": "现场看是墙面渗水",
                                    "request_id": "rc-4"}, "station")
        self.assertEqual(status, 200, order)
        cls = order["classification"]
        self.assertEqual((cls["urgency"], cls["category"], cls["group"]), ("GENERAL", "seepage", "G1"), cls)
        self.assertEqual((cls["uncertain"], cls["confidence"]), (False, 1.0), cls)
        # Stored so: read back, the same.
        self.assertEqual(STATE["engine"].get_order(job["id"])[1]["classification"], cls)

    def test_confirming_only_the_urgency_keeps_the_class(self):
        job = new_job("RC-5", "水管漏水了", 25)
        self.assertTrue(job["classification"]["uncertain"])
        status, order = post(f"/v1/work-orders/{job['id']}/reclassify",
                             {"urgency": "URGENT", "reason": "确认水管在漏，按急修", "request_id": "rc-5"}, "manager")
        self.assertEqual(status, 200, order)
        cls = order["classification"]
        self.assertEqual((cls["urgency"], cls["category"], cls["group"]), ("URGENT", "water_leak", "U1"), cls)
        self.assertEqual((cls["uncertain"], cls["confidence"]), (False, 1.0), cls)

    def test_bad_bodies_and_a_finished_job_are_refused(self):
        job = new_job("RC-3", "楼道灯不亮", 23)
        path = f"/v1/work-orders/{job['id']}/reclassify"
        for body in ({"reason": "缺紧急程度"}, {"urgency": "URGENT"}, {"urgency": "URGENT", "reason": "x",
                                                                      "category": "no_such_code"}):
            status, refused = post(path, body, "station")
            self.assertEqual(status, 400, (body, refused))
        status, done = post(f"/v1/crew/jobs/{job['id']}/complete", {"request_id": "done-3"}, "manager")
        self.assertEqual(status, 200, done)
        status, refused = post(path, {"urgency": "URGENT", "reason": "晚了", "request_id": "rc-3"}, "station")
        self.assertEqual(status, 409, refused)
        self.assertEqual(post("/v1/work-orders/W00-000001/reclassify",
                              {"urgency": "URGENT", "reason": "x"}, "station")[0], 404)


if __name__ == "__main__":
    harness.main()
