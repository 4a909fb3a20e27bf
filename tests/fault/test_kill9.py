#!/usr/bin/env python3
"""kill -9 the engine at random moments while tickets stream in and crews acknowledge; restart
it each time. Against the client's own log: every ticket that got a 2xx is there with its
history, every deadline that fell due has fired, and no breach or notification is recorded
twice."""
import json
import random
import tempfile
import threading
import time
import unittest

from load import Engine, Redis, TicketLoad, breach_counts, harness, now_ms, notice_keys, overdue_armed, wait_for

LIMITS = {"limits": {"on_site_seconds": 3, "contact_seconds": 3, "ack_urgent_seconds": 2, "ack_general_seconds": 2},
          "ladder": {"renotify_seconds": 2}}


class Kill9(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-kill9-")
        self.redis = Redis(self.root)
        self.redis.start()
        self.engine = Engine(self.root, self.redis, LIMITS)
        self.engine.start()

    def tearDown(self):
        harness.shut_down(self.engine, self.redis, self.root)

    def acknowledge_some(self, load, code, stop):
        """A crew of 临客嘉物业 acknowledging its jobs as they come, through the deaths."""
        token = None
        acked = set()
        while not stop.is_set():
            try:
                if token is None:
                    status, raw, _ = self.engine.request("POST", "/v1/auth/login",
                                                         json.dumps({"phone": "13600000001", "code": code}).encode(),
                                                         {"Content-Type": "application/json"})
                    token = json.loads(raw)["token"] if status == 200 else None
                for n, wo in list(load.log.items()):
                    if wo in acked or n % 10 != 0:  # 丹桂苑, whose firm this crew works for
                        continue
                    status, _, _ = self.engine.request("POST", f"/v1/crew/jobs/{wo}/acknowledge",
                                                       json.dumps({"request_id": f"ack-{wo}"}).encode(),
                                                       {"Content-Type": "application/json",
                                                        "Authorization": "Bearer " + (token or "")})
                    if status == 200:
                        acked.add(wo)
            except Exception:
                pass
            time.sleep(0.05)

    def test_nothing_accepted_is_lost_and_nothing_is_recorded_twice(self):
        rng = random.Random(20261128)
        code = self.engine.crew_add("13600000001", "李师傅", "临客嘉物业")
        load = TicketLoad(lambda: self.engine, "K")
        stop = threading.Event()
        crew = threading.Thread(target=self.acknowledge_some, args=(load, code, stop), daemon=True)
        load.start()
        crew.start()
        kills = 4
        for _ in range(kills):
            time.sleep(rng.uniform(0.5, 2.0))
            self.engine.kill9()
            time.sleep(rng.uniform(0.0, 0.3))
            self.engine.start()
        time.sleep(1.0)
        load.stop()
        stop.set()
        crew.join(10)
        accepted = dict(load.log)
        print(f"\n  fault: {kills} kills, {load.n} tickets sent, {len(accepted)} answered 2xx, "
              f"statuses {dict(load.statuses)}", file=__import__("sys").stderr)
        self.assertGreater(len(accepted), 50)

        # Every deadline of every job comes due within a few seconds: wait until none is left.
        wait_for(lambda: not overdue_armed(self.redis, now_ms() - 2500), 30, "every due deadline fired")
        lost, doubled, keys = [], [], []
        for n, wo in accepted.items():
            status, order = self.engine.get_order(wo)
            if status != 200:
                lost.append((n, wo, status))
                continue
            kinds = [e["kind"] for e in order["history"]]
            self.assertEqual(kinds[:3], ["ACCEPTED", "CLASSIFIED", "ROUTED"], wo)
            self.assertEqual(order["external_no"], f"K{n}")
            doubled += [(wo, k) for k, c in breach_counts(order).items() if c > 1]
            keys += notice_keys(order)
            self.assertLessEqual(kinds.count("ACKNOWLEDGED"), 1, wo)
            # A retry of the ticket after all the deaths: the same job, nothing new.
            status, again, _ = self.engine.post_ticket(load.ticket(n))
            self.assertEqual((status, again["id"]), (200, wo))
        self.assertEqual(lost, [], "tickets that got a 2xx and are gone")
        self.assertEqual(doubled, [], "breaches recorded twice")
        self.assertGreater(len(keys), len(accepted), "every job owes a dispatch at least")
        twice = sorted(k for k in set(keys) if keys.count(k) > 1)
        self.assertEqual(twice, [], "notifications written twice")
        print(f"  fault: {len(accepted)} checked, 0 lost, 0 breaches twice, {len(keys)} notifications once each",
              file=__import__("sys").stderr)


if __name__ == "__main__":
    harness.main()
