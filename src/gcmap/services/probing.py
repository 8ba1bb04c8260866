"""Probe the external endpoints an org depends on and turn the results into findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from gcmap.domain.endpoints import data_action_origins, probe_findings
from gcmap.domain.model import Finding
from gcmap.domain.regions import api_host, region_of_environment

__all__ = ["ProberPort", "probe_endpoints"]


class ProberPort(Protocol):
    """What the service needs from a prober (``gcmap.adapters.probe.Prober``)."""

    def probe_all(self, urls: Iterable[str]) -> list[Any]: ...


def probe_endpoints(doc: dict[str, Any], prober: ProberPort, *, environment: str,
                    extra_urls: Iterable[str] = (), failover_regions: Iterable[str] = (),
                    slow_ms: float = 1000.0, genesys_hosts: bool = True,
                    ) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Probe data-action origins, configured URLs and (unless ``genesys_hosts`` is False)
    the Genesys API hosts of the org's region and failover regions; returns (findings,
    probe summaries sorted slowest first)."""
    users = data_action_origins(doc)
    urls = list(users) + [u.rstrip("/") for u in extra_urls]
    region = region_of_environment(environment)
    for r in (([region] if region else []) + list(failover_regions)) if genesys_hosts else []:
        urls.append(api_host(r))
    summaries = [r.summary() for r in prober.probe_all(urls)]
    summaries.sort(key=lambda s: (s["ok"], -(s["totalMsP95"] or 0.0), s["url"]))
    return probe_findings(summaries, users, region, slow_ms), summaries
