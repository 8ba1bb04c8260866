"""The delivery worker on an injected clock and a scripted sender."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from gcmap.domain.events import RETRY_SCHEDULE_S
from gcmap.services.delivery import DeliveryWorker, verify_endpoint
from gcmap.storage import MemoryStore
from tests.keys import sealing_box


@dataclass
class Result:
    outcome: str
    status: int | None
    latency_ms: float = 1.0
    error: str = ""
    retry_after: float | None = None
    body: bytes = b""


class Script:
    """Answers from a list, then repeats the last; records what was sent."""

    def __init__(self, *answers: Result) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, str, bytes, list[str]]] = []

    def send(self, url: str, msg_id: str, body: bytes, secrets_: list[str]) -> Result:
        self.sent.append((url, msg_id, body, secrets_))
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


class Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


def setup(sender: Script) -> tuple[MemoryStore, DeliveryWorker, Clock, str]:
    store, clock = MemoryStore(sealing_box()), Clock()
    hook = store.create_webhook("https://hooks.example/x", ["mapping.completed"], None, "",
                                "whsec_AAAA", clock.t)
    store.set_webhook_status(hook["id"], "active", clock.t)
    store.enqueue_events([{"type": "mapping.completed", "orgId": "o1"}], clock.t)
    worker = DeliveryWorker(store, sender, clock, random.Random(1), lease_s=60)
    return store, worker, clock, hook["id"]


def test_failures_follow_the_schedule_then_give_up() -> None:
    sender = Script(Result("failed", 500, error="HTTP 500"))
    store, worker, clock, wid = setup(sender)
    times = []
    assert worker.run_once() == 1  # the first attempt is immediate
    times.append(clock.t)
    for base in RETRY_SCHEDULE_S[1:]:  # bounded by the schedule: a hang fails, not stalls
        start = clock.t
        clock.t = start + 0.79 * base
        assert worker.run_once() == 0, "an attempt came before its backoff"
        clock.t = start + 1.21 * base
        assert worker.run_once() == 1, "an attempt did not come after its backoff"
        times.append(clock.t)
    clock.t += 10 * max(RETRY_SCHEDULE_S)
    assert worker.run_once() == 0  # given up: no attempt after the last one
    assert store.delivery_backlog() == 0
    log, total = store.list_attempts(wid, 100, 0)
    assert total == len(RETRY_SCHEDULE_S) and {a["outcome"] for a in log} == {"failed"}
    assert len(times) == len(RETRY_SCHEDULE_S)  # each attempt inside its ±20% window
    assert len({msg for _, msg, _, _ in sender.sent}) == 1  # same webhook-id every time
    assert len({body for _, _, body, _ in sender.sent}) == 1


def test_retry_after_is_honoured_and_success_stops() -> None:
    sender = Script(Result("retry", 429, retry_after=42.0), Result("ok", 200))
    store, worker, clock, wid = setup(sender)
    assert worker.run_once() == 1
    clock.t += 41
    assert worker.run_once() == 0
    clock.t += 1
    assert worker.run_once() == 1
    assert store.delivery_backlog() == 0
    assert [a["outcome"] for a in store.list_attempts(wid, 10, 0)[0]] == ["ok", "retry"]


def test_gone_disables_and_five_days_of_failure_disable() -> None:
    store, worker, _clock, wid = setup(Script(Result("gone", 410, error="410")))
    worker.run_once()
    assert store.get_webhook(wid)["status"] == "disabled"
    store2, worker2, clock2, wid2 = setup(Script(Result("failed", None, error="timeout")))
    start = clock2.t
    for _ in range(24 * 7):  # an hour at a time, for at most a week
        if store2.get_webhook(wid2)["status"] != "active":
            break
        if worker2.run_once() == 0:
            if store2.delivery_backlog() == 0:  # schedule exhausted: fail on a new event
                store2.enqueue_events([{"type": "mapping.completed", "orgId": "o1"}],
                                      clock2.t)
            clock2.t += 3600
    hook = store2.get_webhook(wid2)
    assert hook["status"] == "disabled"
    # Not before five days of failing, and at the first failed attempt after them.
    assert 5 * 86400 <= clock2.t - start <= 5 * 86400 + max(RETRY_SCHEDULE_S) + 3600
    assert hook["disabledReason"] == "failing for 5 days"
    assert clock2.t - hook["failingSince"] >= 5 * 86400


def test_verification_needs_the_echoed_challenge() -> None:
    store, _, clock, wid = setup(Script(Result("ok", 200)))
    store.set_webhook_status(wid, "pending", clock.t)
    ok, why = verify_endpoint(store, Script(Result("ok", 200, body=b"{}")), wid, "u", clock)
    assert not ok and "challenge" in why
    assert store.get_webhook(wid)["status"] == "pending"

    class Echo(Script):
        def send(self, url: str, msg_id: str, body: bytes, secrets_: list[str]) -> Any:
            import json

            return Result("ok", 200, body=json.dumps(
                {"challenge": json.loads(body)["challenge"]}).encode())

    ok, _ = verify_endpoint(store, Echo(Result("ok", 200)), wid, "u", clock)
    assert ok and store.get_webhook(wid)["status"] == "active"
