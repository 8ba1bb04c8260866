"""Check JSON against the SDK's models: every key must be one the model knows, recursively."""

from __future__ import annotations

import re
from typing import Any

from PureCloudPlatformClientV2 import models

PRIMITIVES = {"str", "int", "float", "bool", "object", "datetime", "date", "LocalDateTime"}


def unknown_fields(value: Any, type_name: str, where: str = "$") -> list[str]:
    """Paths of JSON names that the SDK model ``type_name`` (recursively) does not declare."""
    if value is None or type_name in PRIMITIVES:
        return []
    m = re.fullmatch(r"list\[(.*)\]", type_name)
    if m:
        assert isinstance(value, list), f"{where}: expected a list for {type_name}"
        return [p for i, v in enumerate(value) for p in unknown_fields(v, m.group(1),
                                                                       f"{where}[{i}]")]
    m = re.fullmatch(r"dict\(([^,]*), (.*)\)", type_name)
    if m:
        assert isinstance(value, dict), f"{where}: expected an object for {type_name}"
        return [p for k, v in value.items() for p in unknown_fields(v, m.group(2),
                                                                    f"{where}.{k}")]
    cls = getattr(models, type_name)
    if not isinstance(value, dict):
        return [f"{where}: expected an object of {type_name}, got {type(value).__name__}"]
    inst = cls()
    by_json = {j: a for a, j in inst.attribute_map.items()}
    out = []
    for key, sub in value.items():
        if key not in by_json:
            out.append(f"{where}.{key} (not in {type_name})")
            continue
        out += unknown_fields(sub, inst.swagger_types[by_json[key]], f"{where}.{key}")
    return out
