"""Domain errors."""

from __future__ import annotations

__all__ = ["DomainError", "ExportTooLarge", "FullRemap"]


class DomainError(Exception):
    """Base of the errors the domain raises on bad input."""


class ExportTooLarge(DomainError):
    """An export format cannot hold a graph this large."""


class FullRemap(Exception):  # an outcome the caller handles, not a failure
    """Changes cannot be applied incrementally; the run reads the whole org instead.

    Attributes:
        reason: a short label (a metric label): ``unmapped-entity``, ``reread-failed``, ...
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
