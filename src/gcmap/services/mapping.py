"""A mapping run: org document -> graph -> validation -> failover rules -> mapping document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gcmap.domain.build import BuildResult, build_graph
from gcmap.domain.document import limits_of, mapping_document
from gcmap.domain.failover import check_failover
from gcmap.domain.model import Finding
from gcmap.domain.regions import region_of_environment
from gcmap.domain.registry import LIMITS, NODE_TYPES, spec_for
from gcmap.domain.validate import ValidationReport, validate

__all__ = ["MappingOutcome", "map_org", "not_read_of"]

ORG_KEY = spec_for("organization").source
LIMITS_KEY = LIMITS


@dataclass
class MappingOutcome:
    """Everything one mapping produced."""

    document: dict[str, Any]
    build: BuildResult
    validation: ValidationReport
    failover: list[Finding]
    org: dict[str, Any] = field(default_factory=dict)  # the org document it was mapped from


# What a failed listing leaves out of the graph, by the kind the crawl reports it under.
_KIND_EFFECT: dict[str, tuple[tuple[str, str], ...]] = {
    "queue_member": (("edgeFields", "members[].user"),),
    "user_grant": (("edgeFields", "grants[].role"), ("edgeFields", "grants[].division")),
    "dependency_tracking": (("edgeSources", "dependency-tracking"),)}


def not_read_of(crawl_report: dict[str, Any] | None) -> dict[str, list[str]]:
    """The types, edge fields and edge sources a partial crawl did not read (a diff must not
    report them as removed)."""
    out: dict[str, set[str]] = {"types": set(), "edgeFields": set(), "edgeSources": set()}
    for f in (crawl_report or {}).get("failures", []):
        kind = str(f.get("type", ""))
        if kind in _KIND_EFFECT:
            for where, what in _KIND_EFFECT[kind]:
                out[where].add(what)
        elif kind.split(".", 1)[0] in NODE_TYPES:
            out["types"].add(kind.split(".", 1)[0])
    return {k: sorted(v) for k, v in out.items() if v}


def map_org(doc: dict[str, Any], *, environment: str, generated_at: str,
            max_depth: int = 8, crawl_report: dict[str, Any] | None = None,
            extra_findings: list[Finding] | None = None,
            extra_stats: dict[str, Any] | None = None) -> MappingOutcome:
    """Map one org document.

    Args:
        doc: the org as read (API path -> records), e.g. a crawl or a capture file.
        environment: the Genesys environment it came from (for the region).
        generated_at: ISO-8601 time of the run (the caller owns the clock).
        max_depth: the depth limit for ``depth-exceeded``.
        crawl_report: the crawl's report; its calls, duration and failures go into stats.
        extra_findings: findings from outside the graph (endpoint probes).
        extra_stats: figures from outside the graph (probed endpoints), part of the
            document before it is hashed (the document is never changed afterwards).
    """
    build = build_graph(doc)
    report = validate(build, max_depth=max_depth)
    failover = check_failover(build, doc)
    findings = [*failover, *(extra_findings or [])]
    not_read = not_read_of(crawl_report)
    if crawl_report and crawl_report.get("partial"):
        for f in crawl_report.get("failures", []):
            perm = f.get("missingPermission")
            error = str(f.get("error") or "")[:300]
            fix = f"grant {perm}" if perm else f"error: {error}"
            findings.append(Finding(
                "crawl.partial", "warning", (), f"{f['type']} could not be read ({fix}); the "
                "mapping is partial and references to it are not checked",
                {"type": f["type"], "status": f.get("status"), "missingPermission": perm,
                 "error": error, "retries": crawl_report.get("retries", 0)}))
    org = doc.get(ORG_KEY) if isinstance(doc.get(ORG_KEY), dict) else {}
    stats: dict[str, Any] = {}
    if crawl_report:
        stats.update({k: crawl_report[k] for k in ("apiCalls", "durationMs", "retries",
                                                   "partial") if k in crawl_report})
    if not_read:
        stats["notRead"] = not_read
    stats.update(extra_stats or {})
    document = mapping_document(
        build, report, org=org or {}, environment=environment,
        region=region_of_environment(environment), limits=limits_of(doc.get(LIMITS_KEY)),
        generated_at=generated_at, extra_findings=findings, stats=stats)
    return MappingOutcome(document, build, report, failover, doc)
