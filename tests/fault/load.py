"""What the fault tests share: the e2e harness, a client that keeps posting tickets and logs
every answer it got, and the checks of what Redis holds afterwards."""
import collections
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import harness  # noqa: E402
from harness import Engine, Redis, wait_for  # noqa: E402,F401

COMMUNITIES = ["丹桂苑", "金桂苑", "红枫苑", "翠竹苑", "安居苑", "樱桃苑", "锦翠苑", "馨乐苑", "丁香苑", "棕榈苑"]
TEXTS = ["厨房水管爆了，水漫到客厅", "单元门门禁坏了"]


class TicketLoad:
    """Posts tickets (each in a building of its own, so none joins another) to whichever engine
    `target()` names until stopped; keeps the client's own log: ticket -> (status, id)."""

    def __init__(self, target, prefix="T"):
        self.target = target
        self.prefix = prefix
        self.log = {}
        self.statuses = collections.Counter()
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.n = 0

    def ticket(self, n):
        # Buildings differ across loads too (by the prefix), so no ticket joins another as one incident.
        building = 100 + n + 10000 * (ord(self.prefix[0]) - ord("A"))
        return {"ticket_no": f"{self.prefix}{n}", "content": TEXTS[n % 2],
                "address": f"{COMMUNITIES[n % len(COMMUNITIES)]}{building}号楼", "caller_phone": "13900000000"}

    def _run(self):
        while not self.stop_flag.is_set():
            n = self.n
            self.n += 1
            engine = self.target()
            try:
                status, body, _ = engine.post_ticket(self.ticket(n))
            except Exception:  # the engine died under us: no answer, no promise
                status, body = None, None
            self.statuses[status] += 1
            if status in (200, 201):
                self.log[n] = body["id"]
            time.sleep(0.005)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stop_flag.set()
        self.thread.join(10)


def notice_keys(order):
    """The notification keys a work order's journal records, written in the same script as each
    outbox entry (the outbox itself forgets an entry once it is delivered)."""
    return [n["key"] for n in order.get("notices", [])]


def overdue_armed(redis, before_ms):
    """Deadlines still armed that fell due before `before_ms`: none, when nothing was lost."""
    found = []
    for shard in range(16):
        out = redis.cli("ZRANGEBYSCORE", "hh:{s%02d}:dl" % shard, "-inf", str(before_ms))
        found += [m for m in out.split("\n") if m.strip()]
    return found


def breach_counts(order):
    """(clock, deadline) -> how many breach events the history holds for it."""
    counts = collections.Counter()
    for e in order["history"]:
        if e["kind"] == "CLOCK_BREACHED":
            counts[(e["clock"], e.get("deadline"))] += 1
    return counts


def now_ms():
    return int(time.time() * 1000)


__all__ = ["harness", "Engine", "Redis", "wait_for", "TicketLoad", "notice_keys", "overdue_armed", "breach_counts",
           "now_ms", "json"]
