"""Domain errors."""

from __future__ import annotations

__all__ = ["DomainError", "ExportTooLarge"]


class DomainError(Exception):
    """Base of the errors the domain raises on bad input."""


class ExportTooLarge(DomainError):
    """An export format cannot hold a graph this large."""
