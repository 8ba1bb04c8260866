"""Mapping runs in the background: claim with a lease, heartbeat, map, store, audit.

A run whose worker dies stops renewing its lease; any replica's reaper then fails it cleanly,
so no run stays "running" forever. On PostgreSQL several replicas share the queue.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import structlog

from gcmap.domain.document import canonical_json
from gcmap.domain.errors import FullRemap
from gcmap.domain.events import build_events, failed_event
from gcmap.domain.model import iso_utc
from gcmap.services.heartbeat import Cancelled, Heartbeat
from gcmap.services.mapping import MappingOutcome
from gcmap.services.pipeline import MappingPipeline, OrgReader
from gcmap.services.retention import RetentionPolicy, plan_retention
from gcmap.storage.common import audit_record
from gcmap.storage.protocol import Store

__all__ = ["Cancelled", "MappingWorker", "OrgReader", "WorkerConfig",
           "run_summary"]

log = logging.getLogger("gcmap.runs")


@dataclass(frozen=True)
class WorkerConfig:
    lease_s: float = 30.0
    heartbeat_s: float = 5.0
    poll_s: float = 1.0
    # Applied after each successful run; None keeps every run.
    retention: RetentionPolicy | None = None


def run_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The summary kept with a run (and sent in webhook payloads)."""
    stats = document["stats"]
    return {"orgId": document.get("orgId"), "orgName": document.get("orgName"),
            "region": document.get("region"), "snapshotHash": document["snapshotHash"],
            "nodes": len(document["nodes"]), "edges": len(document["edges"]),
            "nodesByType": stats.get("nodesByType", {}),
            "findingsBySeverity": stats.get("findingsBySeverity", {}),
            "failoverFindings": sum(1 for f in document["findings"]
                                    if f["rule"].startswith("failover.")),
            "resolutionAccuracy": stats.get("resolutionAccuracy"),
            "apiCalls": stats.get("apiCalls"), "durationMs": stats.get("durationMs"),
            "partial": bool(stats.get("partial")), "limits": document.get("limits", {})}


class MappingWorker:
    """Claims and executes mapping runs, one at a time, in a daemon thread."""

    def __init__(self, store: Store, reader: OrgReader, config: WorkerConfig | None = None,
                 clock: Callable[[], float] = time.time,
                 on_finished: Callable[[dict[str, Any], str, float], None] | None = None,
                 pipeline: MappingPipeline | None = None,
                 readers: Callable[[str], OrgReader] | None = None) -> None:
        self.store, self.reader = store, reader
        # The reader of each org a run names (registered orgs); None: every run reads
        # ``reader``.
        self.readers = readers
        self.config = config or WorkerConfig()
        self.clock = clock
        # The process id tells an operator (and a test) which replica holds a lease.
        self.owner = f"worker-{os.getpid()}-{secrets.token_hex(4)}"
        self.on_finished = on_finished or (lambda run, status, seconds: None)
        self.pipeline = pipeline or MappingPipeline(clock=clock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- loop ----------------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, daemon=True, name=self.owner)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # a broken run must not kill the worker
                log.exception("mapping worker loop failed")
                worked = False
            if not worked:
                self._stop.wait(self.config.poll_s)

    def run_once(self) -> bool:
        """Reap expired leases, then claim and execute one run; False when idle."""
        def failed(run_id: str, org_id: str | None, error: str) -> dict[str, Any]:
            return failed_event(org_id=org_id, mapping_id=run_id, error=error,
                                occurred_at=iso_utc(self.clock()))

        for run_id in self.store.reap_expired(self.clock(), failed):
            log.warning("run %s failed: its worker stopped renewing the lease", run_id)
            self._audit(run_id, "mapping.run", "failed", {"reason": "lease expired"})
        run = self.store.claim_run(self.owner, self.config.lease_s, self.clock())
        if run is None:
            return False
        self.execute(run)
        return True

    # -- one run -------------------------------------------------------------------------
    def execute(self, run: dict[str, Any]) -> None:
        run_id = run["id"]
        structlog.contextvars.bind_contextvars(run_id=run_id)
        try:
            self._execute(run)
        finally:
            structlog.contextvars.unbind_contextvars("run_id")

    def _execute(self, run: dict[str, Any]) -> None:
        run_id = run["id"]
        t0 = self.clock()
        phase = ["crawl"]
        pages: dict[str, Any] = {}

        def renew() -> tuple[bool, bool]:
            return self.store.heartbeat(run_id, self.owner, self.config.lease_s, self.clock(),
                                        phase[0], dict(pages))

        # The lease is renewed on a timer, not on progress: one slow call (an endpoint that
        # hangs for longer than the lease) must not let another worker take a live run.
        heart = Heartbeat(renew, self.config.heartbeat_s)

        def beat(force: bool = False) -> None:
            if force:
                heart.beat_now()
            heart.check()

        def progress(kind: str, done: int, total: int, objects: int) -> None:
            pages[kind] = {"pages": done, "pagesKnown": total, "objects": objects}
            heart.check()

        try:
            beat(force=True)
            heart.start()

            def on_phase(name: str) -> None:
                if name != phase[0]:
                    phase[0] = name
                    beat(force=True)

            reader = self.readers(run["orgKey"]) if self.readers else self.reader
            outcome, mode, why = self._read_and_map(run, reader, progress, on_phase)
            document = outcome.document
            self.store.put_snapshot(document["snapshotHash"], canonical_json(document),
                                    self.clock())
            summary = run_summary(document)
            summary.update(mode=mode, fullReason=why)
            previous_id, previous = self._previous(run)
            events = build_events(previous, document, mapping_id=run_id, summary=summary,
                                  occurred_at=iso_utc(self.clock()),
                                  previous_mapping_id=previous_id)
            if mode == "full" and previous_id is not None:
                summary["missedChanges"] = self._missed(run, previous_id, events)
            finished = self.store.finish_run(run_id, self.owner, "succeeded", self.clock(),
                                             summary=summary,
                                             snapshot_hash=document["snapshotHash"],
                                             events=events)
            status = "succeeded" if finished else "lost"
            if finished and hasattr(reader, "read_changes"):
                # The base of the next incremental run; a partial read is no base.
                partial = bool(document["stats"].get("partial"))
                self.store.put_org_state(run["orgKey"], None if partial else outcome.org,
                                         run_id, self.clock())
            if finished and self.config.retention is not None:
                self._prune(self.config.retention)
            self._audit(run_id, "mapping.run", status, {
                "org": run["orgKey"], "orgId": summary["orgId"],
                "resolutionAccuracy": summary["resolutionAccuracy"],
                "snapshotHash": summary["snapshotHash"], "nodes": summary["nodes"]},
                latency_ms=(self.clock() - t0) * 1000)
            self.on_finished(dict(run, summary=summary), status, self.clock() - t0)
        except Cancelled as exc:
            status = exc.status
            self.store.finish_run(run_id, self.owner, "cancelled", self.clock(),
                                  error=str(exc))
            self._audit(run_id, "mapping.run", status, {"org": run["orgKey"],
                                                        "reason": str(exc)})
            self.on_finished(run, status, self.clock() - t0)
        except Exception as exc:
            log.exception("run %s failed", run_id)
            message = f"{type(exc).__name__}: {exc}"[:500]
            _, previous = self._previous(run)
            self.store.finish_run(run_id, self.owner, "failed", self.clock(), error=message,
                                  events=[failed_event(
                                      org_id=(previous or {}).get("orgId"), mapping_id=run_id,
                                      error=message, occurred_at=iso_utc(self.clock()))])
            self._audit(run_id, "mapping.run", "failed", {"org": run["orgKey"],
                                                          "error": message})
            self.on_finished(run, "failed", self.clock() - t0)
        finally:
            heart.stop()

    def _read_and_map(self, run: dict[str, Any], reader: Any, progress: Any, on_phase: Any,
                      ) -> tuple[MappingOutcome, str, str | None]:
        """(outcome, "incremental" or "full", why a run with changes read everything)."""
        changes = run.get("changes")
        why: str | None = None
        if changes is not None:
            state = self.store.get_org_state(run["orgKey"])
            if not hasattr(reader, "read_changes"):
                why = "no-change-reader"
            elif state is None:
                why = "no-base"
            else:
                try:
                    return (self.pipeline.run_changes(reader, state[0], changes, on_phase),
                            "incremental", None)
                except FullRemap as exc:
                    why = exc.reason
                    log.info("run %s reads the whole org: %s", run["id"], exc)
        return self.pipeline.run(reader, progress, on_phase), "full", why

    def _missed(self, run: dict[str, Any], previous_id: str,
                events: list[dict[str, Any]]) -> int:
        """After incremental runs, what a full run found changed that they had not applied
        (an upper bound: a change the watch had not polled yet counts too)."""
        prev = self.store.get_run(previous_id)
        if not prev or (prev.get("summary") or {}).get("mode") != "incremental":
            return 0
        diff = next((e["diff"] for e in events if e["type"] == "graph.changed"), None)
        if diff is None:
            return 0
        missed = sum(len(diff[k]) for k in ("nodesAdded", "nodesRemoved", "nodesChanged",
                                            "edgesAdded", "edgesRemoved"))
        if missed:
            log.warning("full re-map %s found %d change(s) the incremental runs since the "
                        "last full one did not apply", run["id"], missed)
        return missed

    def _prune(self, policy: RetentionPolicy) -> None:
        gone = plan_retention(self.store.all_runs(), self.clock(), policy)
        if gone:
            runs, snaps = self.store.delete_runs(gone)
            log.info("retention: deleted %d run(s) and %d snapshot(s)", runs, snaps)

    def _previous(self, run: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
        """(id, document) of the org's latest successful mapping before this one."""
        r = self.store.latest_run(run["orgKey"], ("succeeded",), exclude=run["id"])
        if r is None or not r["snapshotHash"]:
            return None, None
        return r["id"], self.store.get_snapshot(r["snapshotHash"])

    def _audit(self, run_id: str, action: str, outcome: str, details: dict[str, Any],
               latency_ms: float | None = None) -> None:
        now = self.clock()
        self.store.append_audit(audit_record(
            now, actor_id=self.owner, actor_name="mapping worker", action=action,
            target=f"mapping:{run_id}", outcome=outcome, latency_ms=latency_ms,
            details=details), now)
