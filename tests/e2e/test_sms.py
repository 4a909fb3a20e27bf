#!/usr/bin/env python3
"""SMS over HTTP against a real Redis: each open job's short code on the work order and in the
SMS to its firm, with the reply grammar; crews' replies through both gateways (Aliyun's push,
Tencent Cloud's callback) acknowledging, contacting and arriving, applied once however often
they are delivered; another firm's crew refused and told so by SMS; an unreadable reply
answered with help; bad keys and malformed pushes changing nothing."""
import hashlib
import itertools
import json
import tempfile
import unittest

import harness
from harness import Engine, Redis, wait_for
from test_outbox import Receiver

FIRM_A, FIRM_B, STATION = "临客嘉物业", "三杨物业", "街道物业应急维修服务站"
FIRM_A_PHONE = "13600000001"
A1, B1, STRANGER = "13900000001", "13900000004", "13000000000"
ALIYUN_KEY, TENCENT_KEY = "aliyun-test-key", "tencent-test-key"
SEQ = itertools.count(1000)
TIME = itertools.count(1796088600)
TICKETS = itertools.count(1)


def sha(key):
    return hashlib.sha256(key.encode()).hexdigest()


class Sms(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="halfhour-sms-")
        cls.redis = Redis(cls.root)
        cls.redis.start()
        cls.receiver = Receiver()
        cls.engine = Engine(cls.root, cls.redis, {
            "delivery": {"sms_url": f"http://127.0.0.1:{cls.receiver.port}/sms",
                         "sms_phones": {FIRM_A: FIRM_A_PHONE}, "sms_template": "【东明路街道】{text}",
                         "poll_ms": 200, "backoff_first_ms": 100},
            "channels": {"sms_inbound_keys": {"aliyun": sha(ALIYUN_KEY), "tencent": sha(TENCENT_KEY)},
                         "no_linking": True},  # every ticket its own job
        })
        cls.engine.start()
        cls.engine.crew_add(A1, "李师傅", FIRM_A)
        cls.engine.crew_add(B1, "钱师傅", FIRM_B)

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.engine, cls.redis, cls.root)
        cls.receiver.stop()

    def sms_to(self, phone):
        with self.receiver.lock:
            return [b["message"] for p, b in self.receiver.bodies.values() if p == "/sms" and b["phone"] == phone]

    def test_each_open_job_has_a_short_code_and_the_dispatch_sms_carries_it(self):
        codes = set()
        for n in range(3):
            status, job, _ = self.engine.post_ticket(
                {"ticket_no": f"SMS-CODE-{n}", "content": "厨房水管爆了", "address": "丹桂苑3号楼"})
            self.assertEqual(status, 201, job)
            self.assertEqual(job["holder"], FIRM_A)
            code = job["short_code"]
            self.assertRegex(code, r"^[1-9][0-9]{3,5}$")
            codes.add(code)
            _, order = self.engine.get_order(job["id"])
            self.assertEqual(order["short_code"], code)
            grammar = f"回复 1 {code} 接单，2 {code} 已联系，3 {code} 到场，9 {code} 转应急站"
            wait_for(lambda: any(grammar in m for m in self.sms_to(FIRM_A_PHONE)), 10, "the dispatch SMS")
            message = next(m for m in self.sms_to(FIRM_A_PHONE) if grammar in m)
            self.assertTrue(message.startswith("【东明路街道】"), message)
            self.assertIn(f"工单码 {code}", message)
        self.assertEqual(len(codes), 3, codes)


    def new_job(self):
        status, job, _ = self.engine.post_ticket(
            {"ticket_no": f"SMS-{next(TICKETS)}", "content": "厨房水管爆了", "address": "丹桂苑3号楼"})
        self.assertEqual(status, 201, job)
        return job

    def order(self, wo_id):
        status, order = self.engine.get_order(wo_id)
        self.assertEqual(status, 200, order)
        return order

    def aliyun(self, messages, key=ALIYUN_KEY, in_url=False, raw=None):
        body = raw if raw is not None else json.dumps(messages, ensure_ascii=False).encode()
        path, headers = "/v1/sms/inbound/aliyun", {"Content-Type": "application/json"}
        if in_url:
            path += "?key=" + key
        elif key is not None:
            headers["X-Api-Key"] = key
        status, raw_answer, _ = self.engine.request("POST", path, body, headers)
        return status, json.loads(raw_answer) if raw_answer else None

    def aliyun_one(self, phone, text, seq=None):
        seq = seq if seq is not None else next(SEQ)
        return self.aliyun([{"phone_number": phone, "content": text, "send_time": "2026-12-01 09:30:00",
                             "dest_code": "1", "sequence_id": seq}]), seq

    def tencent(self, body, key=TENCENT_KEY):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if key is not None:
            headers["X-Api-Key"] = key
        status, raw_answer, _ = self.engine.request("POST", "/v1/sms/inbound/tencent", data, headers)
        return status, json.loads(raw_answer) if raw_answer else None

    def tencent_body(self, phone, text):
        return {"extend": "", "mobile": phone, "nationcode": "86", "sign": "东明路街道", "text": text,
                "time": next(TIME)}

    def sms_events(self, order, kind):
        return [e for e in order["history"] if e["kind"] == kind and e.get("method") == "短信"]

    def test_a_crew_acknowledges_contacts_and_arrives_by_aliyun_once_per_message(self):
        job = self.new_job()
        code = job["short_code"]
        (status, answer), _ = self.aliyun_one(A1, f"1 {code}")
        self.assertEqual((status, answer), (200, {"code": 0, "msg": "接收成功"}))
        order = self.order(job["id"])
        self.assertEqual(order["state"], "ACKNOWLEDGED")
        self.assertEqual(len(self.sms_events(order, "ACKNOWLEDGED")), 1, order["history"])
        # Full-width digits and an ideographic space are read.
        full = "２\u3000" + "".join(chr(ord(c) + 0xFEE0) for c in code)
        (status, answer), seq = self.aliyun_one(A1, full)
        self.assertEqual(status, 200, answer)
        order = self.order(job["id"])
        self.assertEqual(order["state"], "CONTACTED")
        version = order["version"]
        # The gateway delivers the same message again: answered as before, nothing changes.
        (status, answer), _ = self.aliyun_one(A1, full, seq)
        self.assertEqual((status, answer), (200, {"code": 0, "msg": "接收成功"}))
        order = self.order(job["id"])
        self.assertEqual(order["version"], version)
        self.assertEqual(len(self.sms_events(order, "CONTACTED")), 1, order["history"])
        # The key in the callback URL instead of the header.
        status, answer = self.aliyun([{"phone_number": "+86" + A1, "content": f"3 {code}", "sequence_id": next(SEQ)}],
                                     in_url=True)
        self.assertEqual(status, 200, answer)
        order = self.order(job["id"])
        self.assertEqual(order["state"], "ON_SITE")
        arrived = self.sms_events(order, "ARRIVED")
        self.assertEqual(len(arrived), 1, order["history"])
        self.assertEqual(arrived[0]["actor_id"], A1)

    def test_tencent_replies_and_another_firms_crew_refused_by_sms(self):
        job = self.new_job()
        code = job["short_code"]
        version = self.order(job["id"])["version"]
        refused = self.tencent_body(B1, f"1 {code}")
        status, answer = self.tencent(refused)
        self.assertEqual((status, answer), (200, {"result": 0, "errmsg": "OK"}))
        wait_for(lambda: any("不是您单位的工单" in m and code in m for m in self.sms_to(B1)), 10,
                 "the refusal by SMS")
        # Nothing moved but the record: who asked for what by SMS, and why it was not done.
        status, answer = self.tencent(refused)  # redelivered
        self.assertEqual((status, answer), (200, {"result": 0, "errmsg": "OK"}))
        order = self.order(job["id"])
        self.assertEqual((order["state"], order["version"]), ("DISPATCHED", str(int(version) + 1)))
        [record] = self.sms_events(order, "REPLY_REFUSED")
        self.assertEqual(record["actor_id"], B1)
        self.assertIn("接单", record["note"])
        self.assertIn(code, record["note"])
        self.assertIn("不是您单位的工单", record["note"])
        body = self.tencent_body(A1, f"1 {code}")
        status, answer = self.tencent(body)
        self.assertEqual((status, answer), (200, {"result": 0, "errmsg": "OK"}))
        order = self.order(job["id"])
        self.assertEqual(order["state"], "ACKNOWLEDGED")
        version = order["version"]
        status, answer = self.tencent(body)  # redelivered
        self.assertEqual((status, answer), (200, {"result": 0, "errmsg": "OK"}))
        order = self.order(job["id"])
        self.assertEqual(order["version"], version)
        self.assertEqual(len(self.sms_events(order, "ACKNOWLEDGED")), 1, order["history"])
        status, _ = self.tencent(self.tencent_body(A1, f"2 {code}"))
        self.assertEqual(status, 200)
        self.assertEqual(self.order(job["id"])["state"], "CONTACTED")
        self.assertEqual(len(self.sms_to(B1)), 1, self.sms_to(B1))  # one refusal, however often delivered

    def test_garbled_replies_get_help_and_strangers_nothing(self):
        job = self.new_job()
        version = self.order(job["id"])["version"]
        before = len(self.sms_to(A1))
        (status, _), seq = self.aliyun_one(A1, "好的，马上到")
        self.assertEqual(status, 200)
        (status, _), _ = self.aliyun_one(A1, "1 99999")  # a code no open job holds
        self.assertEqual(status, 200)
        (status, _), _ = self.aliyun_one(A1, "好的，马上到", seq)  # redelivered: no second help
        self.assertEqual(status, 200)
        wait_for(lambda: len(self.sms_to(A1)) >= before + 2, 10, "two help messages")
        helps = self.sms_to(A1)[before:]
        self.assertEqual(len(helps), 2, helps)
        self.assertTrue(all("1 接单" in m and "9 转应急站" in m for m in helps), helps)
        self.assertTrue(any("99999" in m for m in helps), helps)
        (status, answer), _ = self.aliyun_one(STRANGER, f"1 {job['short_code']}")
        self.assertEqual((status, answer), (200, {"code": 0, "msg": "接收成功"}))
        wait_for(lambda: any("130****0000" in line for line in self.engine.log), 5, "the stranger logged, masked")
        self.assertFalse(any(STRANGER in line for line in self.engine.log))
        self.assertEqual(self.sms_to(STRANGER), [])
        self.assertEqual(self.order(job["id"])["version"], version)

    def test_bad_keys_are_401_and_malformed_pushes_400_with_nothing_changed(self):
        job = self.new_job()
        code = job["short_code"]
        version = self.order(job["id"])["version"]
        good = [{"phone_number": A1, "content": f"1 {code}", "sequence_id": next(SEQ)}]
        for key in (None, "", "wrong"):
            self.assertEqual(self.aliyun(good, key=key)[0], 401, key)
        self.assertEqual(self.aliyun(good, key="wrong", in_url=True)[0], 401)
        for key in (None, "wrong"):
            self.assertEqual(self.tencent(self.tencent_body(A1, f"1 {code}"), key=key)[0], 401, key)
        malformed = [b"", b"{", b"{}", b"[]", json.dumps(good + [{"phone_number": A1}]).encode(),
                     json.dumps([{"phone_number": A1, "content": f"1 {code}"}]).encode()]
        for raw in malformed:
            status, answer = self.aliyun(None, raw=raw)
            self.assertEqual(status, 400, raw)
            self.assertIn("error", answer)
        for body in ({"mobile": A1, "text": f"1 {code}"}, {"mobile": A1, "time": 1}, [], b"not json"):
            self.assertEqual(self.tencent(body)[0], 400, body)
        order = self.order(job["id"])
        self.assertEqual((order["state"], order["version"]), ("DISPATCHED", version))


if __name__ == "__main__":
    harness.main()
