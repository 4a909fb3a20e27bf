#!/usr/bin/env python3
"""SMS over HTTP against a real Redis: each open job's short code on the work order and in the
SMS to its firm, with the reply grammar."""
import tempfile
import unittest

import harness
from harness import Engine, Redis, wait_for
from test_outbox import Receiver

FIRM_A = "临客嘉物业"
FIRM_A_PHONE = "13600000001"


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
            "channels": {"no_linking": True},  # every ticket its own job
        })
        cls.engine.start()

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



if __name__ == "__main__":
    harness.main()
