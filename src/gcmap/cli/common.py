"""What every gcmap command shares: consoles, the usage error, atomic writes."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

__all__ = ["SEVERITIES", "UsageError", "check_types", "err", "errors", "fail", "load_mapping",
           "out", "read_json", "resolve_key", "write"]

out = Console()
err = Console(stderr=True)

SEVERITIES = ("error", "warning", "info")


class UsageError(Exception):
    """A usage or configuration problem: exit 2 with a one-line message naming the fix."""


def fail(message: str) -> None:
    """One line on stderr naming the problem and its fix, then exit 2."""
    err.print(f"gcmap: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def check_types(types: list[str] | None) -> None:
    """Refuse a ``--type`` that names no node type, with the type most likely meant."""
    import difflib

    from gcmap.domain.registry import NODE_TYPES

    unknown = sorted(set(types or []) - set(NODE_TYPES))
    if unknown:
        hints = [difflib.get_close_matches(t, NODE_TYPES, n=1) for t in unknown]
        meant = [f"{t} (did you mean {h[0]}?)" if h else t for t, h in zip(unknown, hints,
                                                                            strict=True)]
        fail(f"unknown type(s) {', '.join(meant)}; choose from {', '.join(NODE_TYPES)}")


@contextmanager
def errors() -> Iterator[None]:
    """Turn usage, credential and domain errors into ``fail``."""
    from sqlalchemy.exc import OperationalError

    from gcmap.adapters.genesys.errors import AuthError
    from gcmap.domain.errors import DomainError
    from gcmap.storage.secretbox import SecretKeyMissing

    try:
        yield
    except (UsageError, AuthError, DomainError, ValueError, SecretKeyMissing) as exc:
        fail(str(exc))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        fail(f"cannot use the database ({reason[:200]}); check GCMAP_DATABASE_URL and that "
             "the database is running")


def read_json(path: Path, what: str) -> Any:
    """Parse a JSON file, or raise UsageError naming what is wrong with it."""
    if not path.is_file():
        raise UsageError(f"{what} {path} not found")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})") from exc


def write(text: str | bytes, output: Path | None) -> None:
    """Write to stdout, or atomically to a file (never half-written)."""
    data = text.encode() if isinstance(text, str) else text
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_mapping(path: Path) -> dict[str, Any]:
    """A mapping document from a file, checked (a one-line UsageError when it is not one)."""
    from gcmap.domain.doc_schema import DocumentError, check_document

    try:
        return check_document(read_json(path, "mapping document"))
    except DocumentError as exc:
        raise UsageError(f"{path}: {exc}") from exc


def resolve_key(doc: dict[str, Any], text: str, where: Path) -> str:
    """A node key from a key or from a name that matches exactly one object (any case)."""
    keys = {n["key"] for n in doc["nodes"]}
    if text in keys:
        return text
    named = sorted(n["key"] for n in doc["nodes"] if (n["name"] or "").lower() == text.lower())
    if len(named) == 1:
        return str(named[0])
    if named:
        raise UsageError(f"{text!r} names {len(named)} objects in {where}; give one key: "
                         + ", ".join(named[:5]))
    near = sorted(n["key"] for n in doc["nodes"] if text.lower() in (n["name"] or "").lower()
                  or text in n["key"])[:5]
    hint = f"; did you mean {', '.join(near)}" if near else ""
    raise UsageError(f"{text} is not in {where} (give a <type>:<id> key or a name){hint}")
