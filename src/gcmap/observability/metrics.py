"""Prometheus metrics for gcmap's Genesys API traffic."""

from __future__ import annotations

import re
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["GenesysMetrics", "ServiceMetrics", "endpoint_label"]

_ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|"
                 r"custom_-_[^/]+|static_-_[^/]+|\d+)(?=/|$)", re.IGNORECASE)


def endpoint_label(path: str) -> str:
    """A low-cardinality label: object ids in the path become ``{id}``."""
    return _ID.sub("/{id}", path)


class GenesysMetrics:
    """Counters for requests, retries and Retry-After waits; ``hook`` plugs into the
    transport's ``on_event``."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter("gcmap_genesys_requests_total",
                                "Genesys API responses by endpoint and status",
                                ["endpoint", "status"], registry=self.registry)
        self.errors = Counter("gcmap_genesys_connection_errors_total",
                              "Genesys API requests that got no response, by kind",
                              ["endpoint", "kind"], registry=self.registry)
        self.retries = Counter("gcmap_genesys_retries_total",
                               "Genesys API requests retried, by endpoint and status",
                               ["endpoint", "status"], registry=self.registry)
        self.waits = Counter("gcmap_genesys_wait_seconds_total",
                             "Seconds spent waiting before requests, by reason (pacing, "
                             "retry-after, backoff)", ["reason"], registry=self.registry)
        self.latency = Histogram("gcmap_genesys_request_seconds",
                                 "Genesys API request latency", ["endpoint"],
                                 registry=self.registry)

    def hook(self, kind: str, fields: dict[str, Any]) -> None:
        """Record one transport event."""
        if kind == "response":
            ep = endpoint_label(str(fields["path"]))
            self.requests.labels(ep, str(fields["status"])).inc()
            self.latency.labels(ep).observe(float(fields["seconds"]))
        elif kind == "error":
            self.errors.labels(endpoint_label(str(fields["path"])), str(fields["kind"])).inc()
        elif kind == "retry":
            self.retries.labels(endpoint_label(str(fields["path"])),
                                str(fields["status"])).inc()
        elif kind == "wait":
            self.waits.labels(str(fields["reason"])).inc(float(fields["seconds"]))


class ServiceMetrics:
    """Mapping runs, graph sizes, findings and HTTP traffic of the service."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.duration = Histogram("gcmap_mapping_duration_seconds", "Mapping run duration",
                                  buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
                                  registry=registry)
        self.outcomes = Counter("gcmap_mappings_total", "Mapping runs by outcome",
                                ["outcome"], registry=registry)
        self.modes = Counter("gcmap_mapping_modes_total",
                             "Successful runs by how they read the org (incremental: the "
                             "audit records' objects only) and why a run with changes read "
                             "everything", ["mode", "reason"], registry=registry)
        self.missed = Counter("gcmap_incremental_missed_changes_total",
                              "Changes a full re-map found that incremental runs had not "
                              "applied", registry=registry)
        self.nodes = Gauge("gcmap_graph_nodes", "Nodes in the latest mapping", ["org"],
                           registry=registry)
        self.edges = Gauge("gcmap_graph_edges", "Edges in the latest mapping", ["org"],
                           registry=registry)
        self.findings = Gauge("gcmap_findings", "Findings in the latest mapping by severity",
                              ["org", "severity"], registry=registry)
        self.http = Counter("gcmap_http_requests_total", "HTTP API requests",
                            ["method", "route", "status"], registry=registry)
        self.http_latency = Histogram("gcmap_http_request_seconds", "HTTP API latency",
                                      ["route"], registry=registry)
        self.answers = Counter("gcmap_http_answers_total",
                               "Answers to reads of a mapping by where they came from: "
                               "cache (made for an earlier client), not_modified (304) or "
                               "made", ["route", "source"], registry=registry)
        self.deliveries = Counter("gcmap_webhook_deliveries_total",
                                  "Webhook delivery attempts by outcome", ["outcome"],
                                  registry=registry)
        self.disabled = Counter("gcmap_webhooks_disabled_total",
                                "Webhook endpoints disabled (410 or failing for 5 days)",
                                registry=registry)
        self.delivery_latency = Histogram("gcmap_webhook_delivery_seconds",
                                          "Webhook delivery attempt latency",
                                          registry=registry)
        self.backlog = Gauge("gcmap_webhook_outbox_backlog", "Webhook deliveries pending",
                             registry=registry)

    def track_backlog(self, store: Any) -> None:
        """Read the outbox backlog from the store at each scrape."""
        self.backlog.set_function(lambda: float(store.delivery_backlog()))

    def delivery_result(self, outcome: str, fields: dict[str, Any]) -> None:
        """Record one delivery attempt (DeliveryWorker's ``on_result``)."""
        self.deliveries.labels(outcome).inc()
        self.delivery_latency.observe(float(fields.get("latencyMs") or 0) / 1000)
        if fields.get("disabled"):
            self.disabled.inc()

    def run_finished(self, run: dict[str, Any], outcome: str, seconds: float) -> None:
        """Record one finished run (MappingWorker's ``on_finished``)."""
        self.outcomes.labels(outcome).inc()
        self.duration.observe(seconds)
        summary = run.get("summary")
        if outcome == "succeeded" and summary:
            self.modes.labels(summary.get("mode") or "full",
                              summary.get("fullReason") or "").inc()
            if summary.get("missedChanges"):
                self.missed.inc(summary["missedChanges"])
            org = str(summary.get("orgId") or "unknown")
            self.nodes.labels(org).set(summary["nodes"])
            self.edges.labels(org).set(summary["edges"])
            for sev, n in (summary.get("findingsBySeverity") or {}).items():
                self.findings.labels(org, sev).set(n)
