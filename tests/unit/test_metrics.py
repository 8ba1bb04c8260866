"""Transport events become Prometheus series with low-cardinality labels."""

from __future__ import annotations

from prometheus_client import generate_latest

from gcmap.observability.metrics import GenesysMetrics, endpoint_label


def test_endpoint_label_hides_ids() -> None:
    path = "/api/v2/routing/queues/0b4f2a9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/members"
    assert endpoint_label(path) == "/api/v2/routing/queues/{id}/members"
    assert endpoint_label("/api/v2/integrations/actions/custom_-_abc") == \
        "/api/v2/integrations/actions/{id}"


def test_hook_counts_requests_retries_and_waits() -> None:
    m = GenesysMetrics()
    m.hook("response", {"path": "/api/v2/users", "status": 200, "seconds": 0.01})
    m.hook("response", {"path": "/api/v2/users", "status": 429, "seconds": 0.01})
    m.hook("retry", {"path": "/api/v2/users", "status": 429, "seconds": 2})
    m.hook("wait", {"reason": "retry-after", "seconds": 2.0, "path": "/api/v2/users"})
    text = generate_latest(m.registry).decode()
    assert 'gcmap_genesys_requests_total{endpoint="/api/v2/users",status="429"} 1.0' in text
    assert 'gcmap_genesys_retries_total{endpoint="/api/v2/users",status="429"} 1.0' in text
    assert 'gcmap_genesys_wait_seconds_total{reason="retry-after"} 2.0' in text


def test_runs_are_counted_by_mode_and_missed_changes_add_up() -> None:
    from prometheus_client import CollectorRegistry

    from gcmap.observability.metrics import ServiceMetrics

    registry = CollectorRegistry()
    m = ServiceMetrics(registry)
    base = {"orgId": "o", "nodes": 1, "edges": 0, "findingsBySeverity": {}}
    m.run_finished({"summary": dict(base, mode="incremental")}, "succeeded", 1.0)
    m.run_finished({"summary": dict(base, mode="full", fullReason="unmapped-entity")},
                   "succeeded", 9.0)
    m.run_finished({"summary": dict(base, mode="full", missedChanges=3)}, "succeeded", 9.0)
    text = generate_latest(registry).decode()
    assert 'gcmap_mapping_modes_total{mode="incremental",reason=""} 1.0' in text
    assert 'gcmap_mapping_modes_total{mode="full",reason="unmapped-entity"} 1.0' in text
    assert "gcmap_incremental_missed_changes_total 3.0" in text
