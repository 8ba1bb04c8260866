"""The mapping worker's paths: succeeded, failed, cancelled on request, lost to another
worker, and alive through a call that hangs longer than its lease."""

from __future__ import annotations

import threading
import time
from typing import Any

from gcmap.services.runs import MappingWorker, WorkerConfig
from gcmap.storage import MemoryStore
from gcsim import generate_org

ORG = generate_org("tiny", 2)


class Reader:
    """Returns the tiny org; ``gate`` makes a read block (a hanging endpoint)."""

    environment = "mypurecloud.com"

    def __init__(self, gate: threading.Event | None = None, fail: Exception | None = None,
                 on_read: Any = None) -> None:
        self.gate, self.fail, self.on_read = gate, fail, on_read

    def read(self, progress: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
        if self.on_read is not None:
            self.on_read()
        progress("queue", 1, 1, 8)
        if self.gate is not None:
            assert self.gate.wait(30)
        if self.fail is not None:
            raise self.fail
        progress("flow", 1, 1, 10)
        return ORG, None


def _worker(store: MemoryStore, reader: Reader, **cfg: Any) -> MappingWorker:
    return MappingWorker(store, reader, WorkerConfig(**{"lease_s": 30, "heartbeat_s": 5,
                                                        **cfg}))


def _audit_outcomes(store: MemoryStore) -> list[str]:
    items, _ = store.list_audit(50, 0)
    return [i["outcome"] for i in items if i["action"] == "mapping.run"]


def test_a_run_succeeds_and_emits_its_events() -> None:
    store = MemoryStore()
    run = store.create_run("org", "k", time.time())
    assert _worker(store, Reader()).run_once()
    assert store.get_run(run["id"])["status"] == "succeeded"
    assert next(e["type"] for e in store.list_events()) == "mapping.completed"
    assert _audit_outcomes(store) == ["succeeded"]


def test_a_crashing_read_fails_the_run_with_mapping_failed() -> None:
    store = MemoryStore()
    run = store.create_run("org", "k", time.time())
    _worker(store, Reader(fail=RuntimeError("boom"))).run_once()
    done = store.get_run(run["id"])
    assert done["status"] == "failed" and "boom" in done["error"]
    assert [e["type"] for e in store.list_events()] == ["mapping.failed"]


def test_a_cancel_requested_while_running_stops_the_run() -> None:
    store = MemoryStore()
    run = store.create_run("org", "k", time.time())
    reader = Reader(on_read=lambda: store.request_cancel(run["id"], time.time()))
    worker = _worker(store, reader, heartbeat_s=0.05)
    # The next renewal sees the request; the run stops at its next step.
    reader.gate = threading.Event()
    threading.Timer(0.3, reader.gate.set).start()
    worker.run_once()
    assert store.get_run(run["id"])["status"] == "cancelled"
    assert _audit_outcomes(store) == ["cancelled"]
    assert store.list_events() == []


def test_a_run_taken_by_another_worker_is_lost_not_finished_twice() -> None:
    store = MemoryStore()
    run = store.create_run("org", "k", time.time())

    def steal() -> None:  # the lease moves to someone else while we read
        with store._lock:
            store.runs[run["id"]]["leaseOwner"] = "thief"

    _worker(store, Reader(on_read=steal), heartbeat_s=0.05, lease_s=30).run_once()
    assert _audit_outcomes(store) == ["lost"]
    assert store.list_events() == []


def test_a_call_hanging_longer_than_the_lease_does_not_kill_a_live_run() -> None:
    store = MemoryStore()
    run = store.create_run("org", "k", time.time())
    gate = threading.Event()
    alive = _worker(store, Reader(gate=gate), lease_s=0.6, heartbeat_s=0.1)
    t = threading.Thread(target=alive.run_once)
    t.start()
    reaper = _worker(store, Reader(), lease_s=0.6)
    deadline = time.monotonic() + 2.0  # three lease lengths with no progress at all
    while time.monotonic() < deadline:
        reaper.run_once()  # a second worker reaping expired leases all the while
        time.sleep(0.05)
    gate.set()
    t.join(10)
    assert store.get_run(run["id"])["status"] == "succeeded"
    assert "mapping.failed" not in [e["type"] for e in store.list_events()]
