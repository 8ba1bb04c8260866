"""Pure extraction: one API record -> a node and the references it holds."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, NamedTuple

from gcmap.domain.model import EdgeKind, Node
from gcmap.domain.registry import NodeSpec

__all__ = ["RawRef", "get_path", "iter_path", "refs_of", "to_node"]


class RawRef(NamedTuple):
    """A reference as found on a record, before its target is resolved (a named tuple:
    large orgs have millions of them)."""

    field: str
    target_type: str
    target_id: str
    target_name: str
    kind: EdgeKind
    deferrable: bool
    self_ok: bool
    inverse: bool


@lru_cache(maxsize=512)
def _steps(path: str) -> tuple[tuple[str, str], ...]:
    """Parse ``a.b[].c.*`` into (name, mode) steps; mode is '', '[]' or '*'."""
    out: list[tuple[str, str]] = []
    for part in path.split("."):
        if part == "*":
            out.append(("", "*"))
        elif part.endswith("[]"):
            out.append((part[:-2], "[]"))
        else:
            out.append((part, ""))
    return tuple(out)


def iter_path(obj: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Yield (concrete field path, value) for every value ``path`` reaches in ``obj``."""
    yield from _walk(obj, _steps(path), 0, "")


def _walk(obj: Any, steps: tuple[tuple[str, str], ...], i: int, prefix: str,
          ) -> Iterator[tuple[str, Any]]:
    if obj is None:
        return
    if i == len(steps):
        yield prefix, obj
        return
    name, mode = steps[i]
    if mode == "*":
        if isinstance(obj, dict):
            for k in sorted(obj):
                yield from _walk(obj[k], steps, i + 1, f"{prefix}.{k}")
        return
    if not isinstance(obj, dict) or name not in obj:
        return
    here = f"{prefix}.{name}" if prefix else name
    value = obj[name]
    if mode == "[]":
        if isinstance(value, list):
            for item in value:
                yield from _walk(item, steps, i + 1, here + "[]")
        return
    yield from _walk(value, steps, i + 1, here)


@lru_cache(maxsize=512)
def _is_plain(path: str) -> bool:
    return not any(c in path for c in ".[*")


def get_path(obj: Any, path: str) -> Any:
    """The first value at a plain dotted path, or None."""
    if _is_plain(path):
        return obj.get(path) if isinstance(obj, dict) else None
    for _, value in iter_path(obj, path):
        return value
    return None


def to_node(spec: NodeSpec, record: dict[str, Any],
            extra: dict[str, Any] | None = None) -> Node | None:
    """The node for one record, with ``extra`` attributes learnt elsewhere (member counts
    from a sub-listing); None when the record has no id."""
    rid = record.get("id")
    if not rid:
        return None
    attrs = dict(extra or {})
    for name, path in spec.attrs:
        value = get_path(record, path)
        if value is not None:
            attrs[name] = value
    div = record.get("division")
    division = div.get("id") if isinstance(div, dict) else None
    return Node(spec.type, str(rid), str(record.get(spec.name_path) or ""), division, attrs)


def _target_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        v = value.get("id")
        return str(v) if v else None
    return None


def refs_of(spec: NodeSpec, record: dict[str, Any]) -> list[RawRef]:
    """Every reference the registry declares for this record's type."""
    out: list[RawRef] = []
    for ref in spec.refs:
        head = _head(ref.path)
        value = record.get(head)
        if value is None:  # most fields are absent on most records: skip them cheaply
            continue
        found: Any = ((ref.path, value),) if head == ref.path else iter_path(record, ref.path)
        if ref.key:  # the ids are the map's keys
            out.extend(RawRef(ref.path.removesuffix(".*"), ref.target,
                              field_path.rsplit(".", 1)[-1], "", ref.kind, ref.deferrable,
                              ref.self_ok, ref.inverse) for field_path, _ in found)
            continue
        for field_path, v in found:
            tid = _target_id(v.get(ref.id_field) if ref.id_field != "id" and
                             isinstance(v, dict) else v)
            if tid is None:
                continue
            target = ref.target
            if ref.by:
                disc, mapping, on_record = ref.by
                holder = record if on_record else v
                raw = holder.get(disc) if isinstance(holder, dict) else None
                fallback = "" if ref.strict else str(raw).lower()
                target = mapping.get(str(raw), fallback) if raw else ""
                if not target:
                    continue
            name = str(v.get("name") or "") if isinstance(v, dict) else ""
            out.append(RawRef(field_path, target, tid, name, ref.kind, ref.deferrable,
                              ref.self_ok, ref.inverse))
    return out


@lru_cache(maxsize=512)
def _head(path: str) -> str:
    """The first JSON name of a path (``bullseye`` of ``bullseye.rings[]...``)."""
    first = path.split(".", 1)[0]
    return first[:-2] if first.endswith("[]") else first
