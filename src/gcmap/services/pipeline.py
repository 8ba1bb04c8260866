"""The one way an org becomes a mapping: read -> probe -> map -> document.

The CLI and the service's mapping worker both run this pipeline, so a setting such as the
depth limit or endpoint probing means the same in both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from gcmap.domain.model import Finding, Progress, iso_utc
from gcmap.services.mapping import MappingOutcome, map_org

__all__ = ["ChangeReader", "MappingPipeline", "OrgReader", "ProbeStep"]

# (org document, environment) -> (findings, probe summaries)
ProbeStep = Callable[[dict[str, Any], str], tuple[list[Finding], list[dict[str, Any]]]]


class OrgReader(Protocol):
    """Reads the org a run maps (live crawl, or a file)."""

    environment: str

    def read(self, progress: Progress) -> tuple[dict[str, Any], dict[str, Any] | None]: ...


class ChangeReader(Protocol):
    """Reads again what audit records changed, on top of the org document last read."""

    environment: str

    def read_changes(self, base: dict[str, Any], records: list[dict[str, Any]],
                     ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(patched org document, report); raises FullRemap when it cannot."""
        ...


def _quiet_progress(kind: str, done: int, total: int, objects: int) -> None:
    return None


def _quiet_phase(phase: str) -> None:
    return None


@dataclass(frozen=True)
class MappingPipeline:
    """read -> probe -> map, with the settings that shape a mapping.

    Attributes:
        max_depth: the depth limit for ``depth-exceeded``.
        probe: probes the org's external endpoints; None skips probing.
        clock: the time source for ``generatedAt``.
    """

    max_depth: int = 8
    probe: ProbeStep | None = None
    clock: Callable[[], float] = time.time

    def run(self, reader: OrgReader, progress: Progress = _quiet_progress,
            phase: Callable[[str], None] = _quiet_phase) -> MappingOutcome:
        """Read the org, then map it; ``phase`` hears "crawl", "probe" and "validate"."""
        phase("crawl")
        doc, report = reader.read(progress)
        return self.map(doc, report, reader.environment, phase)

    def run_changes(self, reader: ChangeReader, base: dict[str, Any],
                    records: list[dict[str, Any]],
                    phase: Callable[[str], None] = _quiet_phase) -> MappingOutcome:
        """Patch ``base`` with what ``records`` changed, then map it as a full run would.

        Raises:
            FullRemap: the records cannot be applied (the caller runs a full read).
        """
        phase("crawl")
        doc, report = reader.read_changes(base, records)
        return self.map(doc, report, reader.environment, phase)

    def map(self, doc: dict[str, Any], report: dict[str, Any] | None, environment: str,
            phase: Callable[[str], None] = _quiet_phase) -> MappingOutcome:
        """Probe (when configured) and map an org that has already been read."""
        findings: list[Finding] = []
        endpoints: list[dict[str, Any]] | None = None
        if self.probe is not None:
            phase("probe")
            findings, endpoints = self.probe(doc, environment)
        phase("validate")
        return map_org(doc, environment=environment, generated_at=iso_utc(self.clock()),
                       max_depth=self.max_depth, crawl_report=report,
                       extra_findings=findings,
                       extra_stats={"endpoints": endpoints} if endpoints is not None else None)
