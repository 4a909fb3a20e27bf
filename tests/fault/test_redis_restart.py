#!/usr/bin/env python3
"""Kill redis-server (appendfsync always) under load and start it again: while it is gone the
engine answers 503 and accepts nothing; it is back by itself within a second of Redis's return;
nothing it acknowledged before is lost."""
import sys
import tempfile
import time
import unittest

from load import Engine, Redis, TicketLoad, harness, wait_for


class RedisRestart(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="halfhour-redis-restart-")
        self.redis = Redis(self.root)
        self.redis.start()
        self.engine = Engine(self.root, self.redis, {"redis_timeout_ms": 500})
        self.engine.start()

    def tearDown(self):
        harness.shut_down(self.engine, self.redis, self.root)

    def test_503_while_away_back_within_a_second_nothing_lost(self):
        load = TicketLoad(lambda: self.engine, "R")
        load.start()
        wait_for(lambda: len(load.log) >= 40, 20, "tickets accepted before the outage")
        self.redis.kill()
        away = time.monotonic()
        time.sleep(0.3)
        during = dict(load.statuses)
        wait_for(lambda: load.statuses[503] > during.get(503, 0) + 3, 10, "503s while Redis is away")
        self.assertEqual(self.engine.request("GET", "/readyz")[0], 503)
        accepted_while_away = {n for n, _ in load.log.items()}
        time.sleep(1.0)
        self.assertEqual({n for n, _ in load.log.items()} - accepted_while_away, set(), "nothing accepted meanwhile")
        load.stop()

        self.redis.start()
        # Back = answering PONG (while it loads its AOF it answers LOADING, and that is not back).
        wait_for(lambda: self.redis.cli("PING").strip() == "PONG", 10, "Redis answering PONG")
        back = time.monotonic()
        probe = TicketLoad(lambda: self.engine, "P")

        def accepted_again():
            status, _, _ = self.engine.post_ticket(probe.ticket(probe.n))
            probe.n += 1
            return status == 201
        wait_for(accepted_again, 5, "the engine accepting again")
        reconnect = time.monotonic() - back
        print(f"\n  fault: Redis away {back - away:.1f} s; engine accepting again {reconnect * 1000:.0f} ms after "
              f"Redis answered; {dict(load.statuses)} during the run", file=sys.stderr)
        self.assertLess(reconnect, 1.0, "".join(l for l in self.engine.log if "redis" in l)[-2000:])
        self.assertEqual(self.engine.request("GET", "/readyz")[0], 200)
        lost = [(n, wo) for n, wo in load.log.items() if self.engine.get_order(wo)[0] != 200]
        self.assertEqual(lost, [], "acknowledged before the outage and gone after it")


if __name__ == "__main__":
    harness.main()
