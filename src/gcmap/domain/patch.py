"""Patching an org document with what was read again after a change.

An org document maps an API path to its records: a list (a listing), ``{parent id:
[records]}`` (a per-object sub-listing) or one object. A patch replaces records by id, drops
the ones that are gone, and swaps whole listings or one parent's sub-listing; the base
document is never changed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OrgPatch", "apply_patch"]

Record = dict[str, Any]


@dataclass
class OrgPatch:
    """What a re-read found.

    Attributes:
        upserts: listing key -> records read again (replace the one with the same id, or
            join the listing).
        removals: listing key -> ids that are gone.
        listings: key -> the whole value read again (a listing, a sub-listing map or one
            object), replacing what the base held.
        children: sub-listing key -> parent id -> its records (None: the parent is gone).
    """

    upserts: dict[str, list[Record]] = field(default_factory=dict)
    removals: dict[str, set[str]] = field(default_factory=dict)
    listings: dict[str, Any] = field(default_factory=dict)
    children: dict[str, dict[str, list[Record] | None]] = field(default_factory=dict)

    def upsert(self, key: str, record: Record) -> None:
        self.upserts.setdefault(key, []).append(record)

    def remove(self, key: str, rid: str) -> None:
        self.removals.setdefault(key, set()).add(rid)

    @property
    def objects(self) -> int:
        """How many objects the patch touches (records, removals, parents)."""
        return (sum(len(v) for v in self.upserts.values())
                + sum(len(v) for v in self.removals.values())
                + sum(len(v) for v in self.children.values()) + len(self.listings))


def apply_patch(base: dict[str, Any], patch: OrgPatch) -> dict[str, Any]:
    """A new org document: ``base`` with ``patch`` applied (``base`` is left as it was)."""
    doc = dict(base)  # keys the patch does not touch are shared, not copied
    for key, value in patch.listings.items():
        doc[key] = copy.deepcopy(value)
    for key in set(patch.upserts) | set(patch.removals):
        items: list[Record] = list(doc.get(key) or [])
        gone = patch.removals.get(key, set())
        fresh = {str(r["id"]): r for r in patch.upserts.get(key, []) if r.get("id")}
        out: list[Record] = []
        for r in items:
            rid = str(r.get("id"))
            if rid in fresh:
                out.append(fresh.pop(rid))
            elif rid not in gone:
                out.append(r)
        out.extend(fresh.values())
        doc[key] = out
    for key, parents in patch.children.items():
        held: dict[str, list[Record]] = dict(doc.get(key) or {})
        for pid, records in parents.items():
            if records is None:
                held.pop(pid, None)
            else:
                held[pid] = records
        doc[key] = dict(sorted(held.items()))
    return doc
