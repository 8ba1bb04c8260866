"""Prometheus metrics for gcmap's Genesys API traffic."""

from __future__ import annotations

import re
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["GenesysMetrics", "endpoint_label"]

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
