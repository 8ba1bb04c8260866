"""Random sequences of writes through gcsim's API, applied incrementally from the audit
records they leave, give the same mapping as reading the whole org again: the same
snapshotHash and the same document apart from ``generatedAt`` and the run figures."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from gcmap.services.runs import MappingWorker
from gcsim import SimConfig, SimServer, generate_org
from gcsim import paths as o
from gcsim.writes import WRITE_TARGETS
from tests.simhelpers import live_service, sim_call, sim_token

RUN_FIGURES = ("apiCalls", "durationMs", "retries")
# Types whose audit names gcmap does not know (docs/crawl.md): writing them must fall back.
UNMAPPED = {o.P_DIVISIONS, o.P_SMS_ADDRESSES, o.P_MSG_SETTINGS, o.P_LIBRARIES,
            o.P_EMAIL_DOMAINS, o.P_WORKBINS, o.P_WORKTYPES}


class Admin:
    """An org admin writing through the API."""

    def __init__(self, sim: SimServer) -> None:
        self.sim, self.token = sim, sim_token(sim)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        return sim_call(self.sim, method, path, body, self.token)


def _write(rng: random.Random, admin: Admin, org: dict[str, Any], mapped_only: bool) -> str:
    """One random write; returns what it did (for the failure message)."""
    targets = [t for t in WRITE_TARGETS if org.get(t.store_key)
               and not (mapped_only and t.store_key in UNMAPPED)]
    kind = rng.choice(["rename", "rename", "delete", "new-queue", "members", "publish",
                       "repoint"])
    queues = org[o.P_QUEUES]
    if kind == "new-queue":
        q = admin.call("POST", o.P_QUEUES, {"name": f"Queue new {rng.random():.6f}"})
        users = rng.sample([u["id"] for u in org[o.P_USERS]], 3)
        admin.call("POST", f"{o.P_QUEUES}/{q['id']}/members", [{"id": u} for u in users])
        return f"new queue {q['id']} with 3 members"
    if kind == "members":
        q = rng.choice(queues)
        users = rng.sample([u["id"] for u in org[o.P_USERS]], 2)
        remove = rng.random() < 0.5
        admin.call("POST", f"{o.P_QUEUES}/{q['id']}/members"
                   + ("?delete=true" if remove else ""), [{"id": u} for u in users])
        return f"members of {q['id']} {'removed' if remove else 'added'}"
    if kind == "publish":
        f = rng.choice(org[o.P_FLOWS])
        target = rng.choice(queues)
        dep = {"id": target["id"], "name": target["name"], "type": "QUEUE", "deleted": False,
               "updated": False, "stateUnknown": False}
        admin.call("PUT", f"/__sim/flows/{f['id']}/dependencies", [dep])
        admin.call("POST", f"/api/v2/flows/actions/publish?flow={f['id']}")
        return f"flow {f['id']} republished consuming queue {target['id']}"
    if kind == "repoint":
        q = rng.choice(queues)
        f = rng.choice(org[o.P_FLOWS])
        admin.call("PUT", f"{o.P_QUEUES}/{q['id']}",
                   dict(q, queueFlow={"id": f["id"], "name": f["name"]}))
        return f"queue {q['id']} now uses flow {f['id']}"
    target = rng.choice(targets)
    obj = rng.choice(org[target.store_key])
    path = f"{target.path}/{obj['id']}"
    if kind == "delete":
        admin.call("DELETE", path)
        return f"deleted {path}"
    admin.call("PUT", path, dict(obj, name=f"{obj.get('name', '')} (renamed)"))
    return f"renamed {path}"


def _comparable(doc: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if k != "generatedAt"}
    out["stats"] = {k: v for k, v in doc["stats"].items() if k not in RUN_FIGURES}
    return out


def _run(container: Any, changes: list[dict[str, Any]] | None) -> dict[str, Any]:
    run = container.store.create_run(container.org_key, "test", time.time(), changes)
    MappingWorker(container.store, container.reader, pipeline=container.pipeline()).run_once()
    done = container.store.get_run(run["id"])
    assert done["status"] == "succeeded", done
    return dict(done)


@pytest.mark.parametrize("seed", range(6))
def test_incremental_runs_equal_a_full_re_map(seed: int) -> None:
    rng = random.Random(seed)
    org = generate_org("small", seed)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, _ = live_service(sim, workers=0)
        changes = container.reader.changes()
        admin = Admin(sim)
        _run(container, None)
        for step in range(3):  # three rounds of writes, each applied on the last
            t0 = time.time() - 1
            done = [_write(rng, admin, sim.state.org, mapped_only=True)
                    for _ in range(rng.randint(1, 4))]
            records = changes(t0, time.time() + 1)
            inc = _run(container, records)
            assert inc["summary"]["mode"] == "incremental", (done, inc["summary"])
            full = _run(container, None)
            a = container.store.get_snapshot(inc["snapshotHash"])
            b = container.store.get_snapshot(full["snapshotHash"])
            assert inc["snapshotHash"] == full["snapshotHash"], (step, done)
            assert _comparable(a) == _comparable(b), (step, done)
            assert full["summary"]["missedChanges"] == 0
            assert inc["summary"]["apiCalls"] <= 10 * len(records), (done, inc["summary"])


def test_a_change_gcmap_cannot_place_falls_back_to_a_full_re_map() -> None:
    org = generate_org("tiny", 2)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, _ = live_service(sim, workers=0)
        admin = Admin(sim)
        _run(container, None)
        t0 = time.time() - 1
        domain = sim.state.org[o.P_EMAIL_DOMAINS][0]
        admin.call("PUT", f"{o.P_EMAIL_DOMAINS}/{domain['id']}", dict(domain, mxRecordStatus="X"))
        records = container.reader.changes()(t0, time.time() + 1)
        assert [r["entityType"] for r in records] == ["EmailDomain"]
        run = _run(container, records)
    assert (run["summary"]["mode"], run["summary"]["fullReason"]) == ("full",
                                                                       "unmapped-entity")


def test_the_next_full_run_reports_what_the_audit_feed_did_not_say() -> None:
    org = generate_org("tiny", 3)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, _ = live_service(sim, workers=0)
        admin = Admin(sim)
        _run(container, None)
        t0 = time.time() - 1
        q0, q1 = sim.state.org[o.P_QUEUES][:2]
        admin.call("PUT", f"{o.P_QUEUES}/{q0['id']}", dict(q0, name="Audited rename"))
        with sim.state.lock:  # a change that leaves no audit record
            q1["name"] = "Silent rename"
        inc = _run(container, container.reader.changes()(t0, time.time() + 1))
        full = _run(container, None)
    assert inc["summary"]["mode"] == "incremental"
    assert full["summary"]["missedChanges"] == 1  # the silent rename, found by the full run


def test_user_grants_are_read_per_user_and_kept_current() -> None:
    org = generate_org("tiny", 4)
    with SimServer(org, SimConfig(rate_limit=0)) as sim:
        container, _ = live_service(sim, workers=0, user_grants=True)
        admin = Admin(sim)
        first = _run(container, None)
        doc = container.store.get_snapshot(first["snapshotHash"])
        user = next(u for u in sim.state.org[o.P_USERS] if u["state"] == "active")
        grant = sim.state.org[o.P_SUBJECTS][user["id"]][0]
        ukey = f"user:{user['id']}"
        edges = {(e["from"], e["field"], e["to"]) for e in doc["edges"]}
        assert (ukey, "grants[].role", f"role:{grant['role']['id']}") in edges
        assert (ukey, "grants[].division", f"division:{grant['division']['id']}") in edges
        changes = container.reader.changes()
        t0 = time.time() - 1
        admin.call("PUT", f"{o.P_USERS}/{user['id']}", dict(user, name="Renamed agent"))
        inc = _run(container, changes(t0, time.time() + 1))
        full = _run(container, None)
        assert inc["summary"]["mode"] == "incremental"
        assert inc["snapshotHash"] == full["snapshotHash"]
        t0 = time.time() - 1
        role = sim.state.org[o.P_ROLES][0]
        admin.call("PUT", f"{o.P_ROLES}/{role['id']}", dict(role, name="Renamed role"))
        run = _run(container, changes(t0, time.time() + 1))
    # A role's change may touch any user's grants: read everything.
    assert (run["summary"]["mode"], run["summary"]["fullReason"]) == ("full", "grants-changed")
