"""The mapping document's schema (JSON Schema, draft 2020-12), and a check against it.

One schema: ``check_document`` enforces it on every load, and ``docs/mapping.schema.json``
publishes the same dict for other tools (a test keeps the two equal). The check is a small
interpreter of the subset the schema uses, so the domain needs no dependency for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAPPING_SCHEMA", "DocumentError", "check_document"]

_STR = {"type": "string"}
_STR_OR_NULL = {"type": ["string", "null"]}
MAPPING_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://gcmap.invalid/schemas/mapping-v1.json",
    "title": "gcmap mapping document, schemaVersion 1",
    "type": "object",
    "required": ["schemaVersion", "orgId", "generatedAt", "snapshotHash", "limits", "nodes",
                 "edges", "findings", "stats"],
    "properties": {
        "schemaVersion": {"const": 1},
        "orgId": _STR_OR_NULL, "orgName": _STR_OR_NULL, "environment": _STR_OR_NULL,
        "region": _STR_OR_NULL, "generatedAt": _STR,
        "snapshotHash": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
        "limits": {"type": "object"},
        "nodes": {"type": "array", "items": {
            "type": "object", "required": ["key", "type", "id", "name"],
            "properties": {"key": _STR, "type": _STR, "id": _STR, "name": _STR,
                           "division": _STR_OR_NULL, "attrs": {"type": "object"}}}},
        "edges": {"type": "array", "items": {
            "type": "object", "required": ["from", "to", "field"],
            "properties": {"from": _STR, "to": _STR, "field": _STR,
                           "kind": {"enum": ["reference", "failover"]},
                           "source": {"enum": ["field", "dependency-tracking"]},
                           "deferrable": {"type": "boolean"}}}},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["rule", "severity", "nodes", "message"],
            "properties": {"rule": _STR, "severity": {"enum": ["error", "warning", "info"]},
                           "nodes": {"type": "array", "items": _STR}, "message": _STR,
                           "evidence": {"type": "object"}}}},
        "stats": {"type": "object"},
    },
}

_TYPES: dict[str, tuple[type, ...]] = {"object": (dict,), "array": (list,), "string": (str,),
                                       "null": (type(None),), "integer": (int,),
                                       "number": (int, float), "boolean": (bool,)}


class DocumentError(ValueError):
    """A mapping document that breaks the schema; the message names the first problem."""


def _check(value: Any, schema: dict[str, Any], where: str) -> str | None:
    if "const" in schema and value != schema["const"]:
        return f"{where}: must be {schema['const']!r}, got {value!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{where}: must be one of {', '.join(map(str, schema['enum']))}, got {value!r}"
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(isinstance(value, _TYPES[n]) and not (n != "boolean" and isinstance(value, bool)
                                                      and n in ("integer", "number"))
                 for n in names)
        if not ok:
            return f"{where}: expected {' or '.join(names)}, got {type(value).__name__}"
    if "pattern" in schema:
        import re

        if not re.match(schema["pattern"], value):
            return f"{where}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                return f"{where}: missing {name!r}"
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                problem = _check(value[name], sub, f"{where}.{name}")
                if problem:
                    return problem
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problem = _check(item, schema["items"], f"{where}[{i}]")
            if problem:
                return problem
    return None


def check_document(doc: Any) -> dict[str, Any]:
    """``doc`` when it is a schemaVersion 1 mapping document.

    Raises:
        DocumentError: naming the first problem (``$.edges: missing``, ``$.nodes[3].key: ...``).
    """
    problem = _check(doc, MAPPING_SCHEMA, "$")
    if problem:
        raise DocumentError(f"not a valid gcmap mapping document ({problem}); write one with "
                            "'gcmap map --format json -o mapping.json'")
    assert isinstance(doc, dict)
    return doc
