#!/usr/bin/env python3
"""Two engines on one Redis, both taking tickets; one is killed with its deadlines armed. The
survivor keeps serving and fires every deadline, each exactly once (a step fires only while it is
still armed for its moment: the write checks it, as a fencing token would)."""
import sys
import tempfile
import time
import unittest

from load import Engine, Redis, TicketLoad, breach_counts, harness, now_ms, notice_keys, overdue_armed, wait_for

LIMITS = {"limits": {"on_site_seconds": 3, "contact_seconds": 3, "ack_urgent_seconds": 2, "ack_general_seconds": 2},
          "ladder": {"renotify_seconds": 2}}


class TwoEngines(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-two-")
        self.redis = Redis(self.root)
        self.redis.start()
        self.a = Engine(self.root, self.redis, LIMITS)
        self.a.start()
        self.b = Engine(self.root, self.redis, LIMITS)
        self.b.start()

    def tearDown(self):
        self.a.stop()
        harness.shut_down(self.b, self.redis, self.root)

    def test_the_survivor_fires_the_dead_engines_deadlines_once(self):
        turn = [0]

        def alternate():
            turn[0] += 1
            return self.a if turn[0] % 2 else self.b
        load = TicketLoad(alternate, "E")
        load.start()
        wait_for(lambda: len(load.log) >= 60, 20, "tickets on both engines")
        self.a.kill9()  # its in-memory timers die with it; its deadlines stay in Redis
        killed = time.monotonic()
        load.stop()
        after = TicketLoad(lambda: self.b, "F")  # the survivor alone from here
        after.start()
        time.sleep(1.0)
        after.stop()
        last_ticket = time.monotonic()
        served = dict(after.statuses)
        # Every deadline falls due within 3 s of its ticket; then the survivor's timers or its
        # sweep (every 2 s, for what was due 2 s ago) must have fired them all: the dead engine's
        # last deadlines (3 s after the kill) by 7 s after it, however slow the build.
        wait_for(lambda: time.monotonic() > max(last_ticket + 4, killed + 8) and
                 not overdue_armed(self.redis, now_ms() - 2500), 30, "every due deadline fired")
        settled = time.monotonic() - killed
        jobs = {**{f"E{n}": wo for n, wo in load.log.items()}, **{f"F{n}": wo for n, wo in after.log.items()}}
        twice, missing, keys = [], [], []
        for n, wo in jobs.items():
            status, order = self.b.get_order(wo)
            self.assertEqual(status, 200, wo)
            counts = breach_counts(order)
            keys += notice_keys(order)
            twice += [(wo, k) for k, c in counts.items() if c > 1]
            clocks = {c for c, _ in counts}
            if "ACKNOWLEDGE" not in clocks or not clocks & {"ON_SITE", "CONTACT"}:
                missing.append((wo, sorted(clocks)))
        doubled = sorted(k for k in set(keys) if keys.count(k) > 1)
        print(f"\n  fault: {len(jobs)} jobs over two engines, one killed; survivor served {served}; every due "
              f"deadline fired {settled:.1f} s after the kill; {len(keys)} notifications", file=sys.stderr)
        self.assertEqual(missing, [], "deadlines the survivor never fired")
        self.assertEqual(twice, [], "breaches recorded twice")
        self.assertEqual(doubled, [], "notifications written twice")
        self.assertNotIn(None, served, "the survivor answered every request sent to it")


if __name__ == "__main__":
    harness.main()
