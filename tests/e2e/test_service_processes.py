"""Real `gcmap serve` processes: two replicas on PostgreSQL, and kill -9 during a run."""

from __future__ import annotations

import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from gcmap.storage import SqlStore
from gcsim import SimConfig, SimServer, generate_org
from tests.contract.test_store import pg_url  # noqa: F401  (fixture)
from tests.keys import sealing_box
from tests.simhelpers import put_queue

pytestmark = pytest.mark.xdist_group("processes")


def _tiny_org_file(tmp_path: Path) -> str:
    """An org file for services that map nothing themselves (no workers)."""
    p = tmp_path / "tiny-org.json"
    p.write_text(json.dumps(generate_org("tiny", 1)))
    return str(p)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gcmap", "serve", "--port", str(self.port)],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.proc.stderr.read().decode()
                                       if self.proc.stderr else "did not start") from None
                time.sleep(0.1)

    def call(self, method: str, path: str, key: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {key}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, method=method, data=data,
                                     headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def kill(self, sig: int = signal.SIGTERM) -> None:
        self.proc.send_signal(sig)
        self.proc.wait(timeout=15)


@pytest.fixture()
def org_file(tmp_path: Path) -> Path:
    p = tmp_path / "org.json"
    p.write_text(json.dumps(generate_org("tiny", 1)))
    return p


def _until(condition: Any, timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.05)


def _wait(svc: Service, key: str, ids: list[str], timeout: float = 90) -> list[Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = [svc.call("GET", f"/api/v1/mappings/{i}", key) for i in ids]
        if all(r["status"] in ("succeeded", "failed", "cancelled") for r in runs):
            return runs
        time.sleep(0.2)
    raise AssertionError("runs did not finish")


def _pid_of(owner: str) -> int:
    return int(owner.split("-")[1])  # worker-<pid>-<random>


def test_two_replicas_on_postgres_run_each_mapping_exactly_once(
        pg_url: str, org_file: Path) -> None:  # noqa: F811
    store = SqlStore(pg_url, sealing_box())
    store.migrate()
    _, key = store.create_api_key("test", ["admin"], time.time())
    env = {"GCMAP_DATABASE_URL": pg_url, "GCMAP_ORG_FILE": str(org_file),
           "GCMAP_LEASE_S": "10", "GCMAP_WORKERS": "1"}
    a, b = Service(env), Service(env)

    def succeeded() -> list[dict[str, Any]]:
        audit, _ = store.list_audit(1000, 0, action="mapping.run")
        return [x for x in audit if x["outcome"] == "succeeded"]

    try:
        ids = [(a if i % 2 else b).call("POST", "/api/v1/mappings", key)["id"]
               for i in range(8)]
        _until(lambda: len(succeeded()) >= 3, 60, "three mappings succeeded")
        # One org maps one run at a time, and a worker that finishes one takes the next:
        # stop the replica doing the work, and the other one must take the queue over.
        busy = _pid_of(succeeded()[0]["actor"]["id"])
        first, other = (a, b) if a.proc.pid == busy else (b, a)
        first.kill()
        runs = _wait(other, key, ids)
    finally:
        a.kill()
        b.kill()
    assert [r["status"] for r in runs] == ["succeeded"] * 8
    assert all(r["attempts"] == 1 for r in runs)
    started = {f"mapping:{r['id']}" for r in store.list_runs(50, 0)[0]
               if r["requestedBy"] == "service start"}
    done = [x["target"] for x in succeeded() if x["target"] not in started]
    assert sorted(done) == sorted(f"mapping:{i}" for i in ids)  # once each
    assert 1 <= len(started) <= 2  # each replica queues a first mapping unless one is queued
    pids = {_pid_of(x["actor"]["id"]) for x in succeeded()}
    assert pids == {a.proc.pid, b.proc.pid}  # both replicas ran mappings
    assert store.verify_audit().ok


def test_two_replicas_share_the_runs_of_several_orgs(pg_url: str,  # noqa: F811
                                                     org_file: Path) -> None:
    """The fleet: three registered gcsim orgs and two replicas on PostgreSQL. Every run of
    every org runs once, on either replica, reading its own org; a change in one org is
    watched and re-mapped; two orgs are compared; a key limited to one org sees no other."""
    store = SqlStore(pg_url, sealing_box())
    store.migrate()
    _, key = store.create_api_key("test", ["admin"], time.time())
    orgs = [generate_org("tiny", seed) for seed in (21, 22, 23)]
    sims = [SimServer(o, SimConfig(rate_limit=0)).start() for o in orgs]
    registered = [store.create_org(f"Fleet {i}", "mypurecloud.com", s.base_url,
                                   "gcsim-client", "gcsim-secret", time.time())
                  for i, s in enumerate(sims)]
    env = {"GCMAP_DATABASE_URL": pg_url, "GCMAP_ORG_FILE": str(org_file),
           "GCMAP_LEASE_S": "10", "GCMAP_WORKERS": "2", "GCMAP_API_RATE_PER_MIN": "100000",
           "GCMAP_RATE_PER_MIN": "0", "GCMAP_WATCH_POLL_S": "1", "GCMAP_WATCH_DEBOUNCE_S": "1"}
    _, limited = store.create_api_key("customer 1", ["mappings:read"], time.time(),
                                      [registered[1]["id"]])
    a, b = Service(env), Service(env)
    try:
        ids = [(a if i % 2 else b).call("POST", "/api/v1/mappings", key,
                                        {"org": registered[i % 3]["id"]})["id"]
               for i in range(9)]
        runs = _wait(a, key, ids)
        # A change in org 0, made through its API, is seen by its watch and re-mapped.
        queue = orgs[0]["/api/v2/routing/queues"][0]
        put_queue(sims[0], queue["id"], dict(queue, name="Renamed in org 0"))

        def rewatched() -> list[dict[str, Any]]:
            listed = a.call("GET", "/api/v1/mappings?limit=200", key)["items"]
            return [m for m in listed if m["org"] == registered[0]["id"]
                    and m["requestedBy"] == "change-watch" and m["status"] == "succeeded"]
        _until(lambda: bool(rewatched()), 60, "org 0's change was re-mapped")
        diff = a.call("GET", f"/api/v1/mappings/{rewatched()[0]['id']}/diff?against={ids[0]}",
                      key)
        assert [n["changes"] for n in diff["nodesChanged"]] == [
            {"name": {"old": queue["name"], "new": "Renamed in org 0"}}]
        compared = a.call("POST", "/api/v1/compare", key, {"a": ids[0], "b": ids[1]})
        assert compared["a"]["orgId"] != compared["b"]["orgId"] and compared["matched"] > 0
        with pytest.raises(urllib.error.HTTPError) as denied:
            b.call("GET", f"/api/v1/mappings/{ids[0]}", limited)
        assert denied.value.code == 404
        assert b.call("GET", f"/api/v1/mappings/{ids[1]}", limited)["status"] == "succeeded"
    finally:
        a.kill()
        b.kill()
        for s in sims:
            s.stop()
    assert [r["status"] for r in runs] == ["succeeded"] * 9
    assert all(r["attempts"] == 1 for r in runs)
    want = [o["/api/v2/organizations/me"]["id"] for o in orgs]
    assert [r["summary"]["orgId"] for r in runs] == [want[i % 3] for i in range(9)]
    audit, _ = store.list_audit(1000, 0, action="mapping.run")
    done = [x["target"] for x in audit if x["outcome"] == "succeeded"
            and x["target"] in {f"mapping:{i}" for i in ids}]
    assert sorted(done) == sorted(f"mapping:{i}" for i in ids)  # once each
    assert store.verify_audit().ok


def test_kill_9_during_a_run_fails_it_cleanly_after_restart(tmp_path: Path) -> None:
    org = generate_org("small", 2)
    db = tmp_path / "g.db"
    store = SqlStore(f"sqlite:///{db}", sealing_box())
    store.migrate()
    _, key = store.create_api_key("test", ["admin"], time.time())
    with SimServer(org, SimConfig(rate_limit=0, latency_ms=150)) as sim:
        env = {"GCMAP_DATABASE_URL": f"sqlite:///{db}", "GCMAP_LEASE_S": "2",
               "GENESYS_CLIENT_ID": "gcsim-client", "GENESYS_CLIENT_SECRET": "gcsim-secret",
               "GENESYS_API_BASE_URL": sim.base_url, "GCMAP_CONCURRENCY": "2"}
        svc = Service(env)
        # The service's first mapping starts with it: that is the run to kill.
        run_id = store.list_runs(1, 0)[0][0]["id"]
        # Killed mid-crawl: once the run has reported pages read.
        _until(lambda: bool(store.get_run(run_id)["progress"]), 20, "the crawl made progress")
        svc.kill(signal.SIGKILL)
        assert store.get_run(run_id)["status"] == "running"  # left behind by the dead process
        _until(lambda: store.get_run(run_id)["leaseExpiresAt"] < time.time(), 10,
               "the dead process's lease ran out")
        again = Service(env)
        try:
            run = _wait(again, key, [run_id], timeout=20)[0]
        finally:
            again.kill()
    assert run["status"] == "failed" and "lease expired" in run["error"]
    v = store.verify_audit()
    assert v.ok and v.rows >= 1
    # The crashed run told the outbox, once.
    failed = [e for e in store.list_events() if e["type"] == "mapping.failed"]
    assert [e["mappingId"] for e in failed] == [run_id]


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver; ``reply`` decides each answer from the body and webhook-id."""

    def log_message(self, *a: Any) -> None:
        return

    def reply(self, body: bytes, msg: str) -> tuple[int, dict[str, str]]:
        raise NotImplementedError

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status, headers = self.reply(body, self.headers["webhook-id"])
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _drain(store: SqlStore, env: dict[str, str], timeout: float = 60) -> None:
    """Run a service until every queued delivery is done (or ``timeout``)."""
    svc = Service(env)
    deadline = time.monotonic() + timeout
    while store.delivery_backlog() and time.monotonic() < deadline:
        time.sleep(0.1)
    svc.kill()


def _delivery_setup(tmp_path: Path, handler: Any, events: int,
                    ) -> tuple[Any, SqlStore, list[str], dict[str, str]]:
    """A receiver serving ``handler``, a SQLite store with one active endpoint at it and
    ``events`` queued events, and the environment of a service that only delivers."""
    import threading
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp_path / "g.db"
    store = SqlStore(f"sqlite:///{db}", sealing_box())
    store.migrate()
    hook = store.create_webhook(f"http://127.0.0.1:{server.server_address[1]}/h",
                                ["mapping.completed"], None, "", "whsec_" + "A" * 44,
                                time.time())
    store.set_webhook_status(hook["id"], "active", time.time())
    ids = store.enqueue_events([{"type": "mapping.completed", "orgId": "o", "n": i}
                                for i in range(events)], time.time())
    env = {"GCMAP_DATABASE_URL": f"sqlite:///{db}", "GCMAP_WORKERS": "0",
           "GCMAP_OUTBOUND_ALLOW_CIDRS": "127.0.0.0/8", "GCMAP_DELIVERY_LEASE_S": "1",
           "GCMAP_WATCH_POLL_S": "0", "GCMAP_ORG_FILE": _tiny_org_file(tmp_path)}
    return server, store, ids, env


def test_kill_9_while_delivering_loses_no_event(tmp_path: Path) -> None:
    import random
    import threading

    got: list[tuple[str, bytes]] = []
    lock = threading.Lock()

    class Hook(Receiver):
        def reply(self, body: bytes, msg: str) -> tuple[int, dict[str, str]]:
            time.sleep(0.02)
            with lock:
                got.append((msg, body))
            return 200, {}

    server, store, ids, env = _delivery_setup(tmp_path, Hook, 60)
    rng = random.Random(4)
    kills = 0
    try:
        for _ in range(6):
            if store.delivery_backlog() == 0:
                break
            svc = Service(env)
            # Killed after a random number of deliveries, so each process did some work.
            want = min(len(got) + rng.randint(3, 12), len(ids))
            _until(lambda want=want: len(got) >= want, 30, f"{want} deliveries arrived")
            svc.kill(signal.SIGKILL)
            kills += 1
        _drain(store, env)  # a new process takes over once the dead one's leases run out
    finally:
        server.shutdown()
    assert kills >= 1
    assert store.delivery_backlog() == 0
    bodies: dict[str, set[bytes]] = {}
    for msg_id, body in got:
        bodies.setdefault(msg_id, set()).add(body)
    assert set(bodies) == set(ids)  # no event lost
    assert all(len(b) == 1 for b in bodies.values())  # a duplicate is byte-identical


def test_events_arrive_in_sequence_through_failures_and_kill_9(tmp_path: Path) -> None:
    """A receiver that refuses the first attempt of every event (503, Retry-After 0) and a
    service killed with SIGKILL between attempts: every event arrives, in sequence order."""
    import json as json_
    import random
    import threading

    accepted: list[int] = []
    arrivals: list[int] = []
    refused: set[str] = set()
    lock = threading.Lock()

    class Hook(Receiver):
        def reply(self, body: bytes, msg: str) -> tuple[int, dict[str, str]]:
            seq = int(json_.loads(body)["sequence"])
            with lock:
                arrivals.append(seq)
                first = msg not in refused
                refused.add(msg)
                if not first and (not accepted or accepted[-1] != seq):
                    accepted.append(seq)
            return (503, {"Retry-After": "0"}) if first else (200, {})

    n = 12
    server, store, _, env = _delivery_setup(tmp_path, Hook, n)
    rng = random.Random(7)
    kills = 0
    try:
        for _ in range(4):
            svc = Service(env)
            # Killed after a random number of arrivals (it waits out the last one's lease).
            want = min(len(arrivals) + rng.randint(1, 4), 2 * n)
            _until(lambda want=want: len(arrivals) >= want, 30, f"{want} arrivals")
            svc.kill(signal.SIGKILL)
            kills += 1
        _drain(store, env)
    finally:
        server.shutdown()
    assert kills == 4 and store.delivery_backlog() == 0
    assert accepted == list(range(1, n + 1))  # complete, and never out of order
    # Arrivals (retries included) never go back to an earlier sequence once a later one
    # was accepted: the receiver could see a reordering, and saw none.
    assert all(b >= a for a, b in itertools.pairwise(arrivals)), arrivals
