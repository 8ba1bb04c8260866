"""Snapshot retention: the database holds what people look back at, not every run ever.

Per org: the last ``keep_last`` finished runs, plus the newest run of each UTC day for the
last ``daily_days`` days. Everything older goes, with the snapshots no kept run uses. Queued
and running runs are never touched, and the audit log is never pruned: it is append-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gcmap.storage.protocol import FINISHED

__all__ = ["RetentionPolicy", "plan_retention"]

DAY = 86400.0


@dataclass(frozen=True)
class RetentionPolicy:
    """How much history to keep (``GCMAP_RETAIN_LAST``, ``GCMAP_RETAIN_DAILY_DAYS``)."""

    keep_last: int = 20
    daily_days: int = 30


def plan_retention(runs: list[dict[str, Any]], now: float,
                   policy: RetentionPolicy) -> list[str]:
    """The ids of finished runs the policy lets go, sorted.

    Args:
        runs: every run (``id``, ``orgKey``, ``status``, ``createdAt``).
        now: the current time (the daily window ends here).
    """
    finished = [r for r in runs if r["status"] in FINISHED]
    keep: set[str] = set()
    by_org: dict[str, list[dict[str, Any]]] = {}
    for r in finished:
        by_org.setdefault(r["orgKey"], []).append(r)
    for items in by_org.values():
        items.sort(key=lambda r: (r["createdAt"], r["id"]), reverse=True)
        keep.update(r["id"] for r in items[:policy.keep_last])
        days: set[int] = set()
        for r in items:  # newest first: the first seen of a day is that day's newest
            day = int(r["createdAt"] // DAY)
            if r["status"] == "succeeded" and now - r["createdAt"] <= policy.daily_days * DAY \
                    and day not in days:
                days.add(day)
                keep.add(r["id"])
    return sorted(r["id"] for r in finished if r["id"] not in keep)
