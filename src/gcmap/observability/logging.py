"""structlog configuration: JSON logs or console rendering, with secrets redacted."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

__all__ = ["configure_logging", "redact"]

_SECRET_KEYS = re.compile(r"(secret|password|passwd|token$|authorization|api[_-]?key)",
                          re.IGNORECASE)
_BEARER = re.compile(r"(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+")


def redact(value: Any, key: str = "") -> Any:
    """Replace secret-looking values (by key name, or bearer/basic credentials in text)."""
    if key and _SECRET_KEYS.search(key):
        return "[REDACTED]"
    if isinstance(value, str):
        return _BEARER.sub(r"\1 [REDACTED]", value)
    if isinstance(value, dict):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def _redact_processor(logger: Any, method: str, event: MutableMapping[str, Any],
                      ) -> MutableMapping[str, Any]:
    return {k: redact(v, k if k != "event" else "") for k, v in event.items()}


def configure_logging(fmt: str = "auto", level: str = "warning") -> None:
    """Route stdlib and structlog logs to stderr as JSON or console lines."""
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (structlog.processors.JSONRenderer() if use_json
                     else structlog.dev.ConsoleRenderer(colors=False))
    shared: list[Any] = [structlog.contextvars.merge_contextvars,
                         structlog.processors.add_log_level,
                         structlog.processors.TimeStamper(fmt="iso", utc=True),
                         _redact_processor]
    wrap = structlog.stdlib.ProcessorFormatter.wrap_for_formatter
    # Dropping a disabled level first: the request log line (info) otherwise cost every
    # request its timestamp, context merge and redaction before the level check.
    structlog.configure(processors=[structlog.stdlib.filter_by_level, *shared, wrap],
                        logger_factory=structlog.stdlib.LoggerFactory(),
                        cache_logger_on_first_use=True)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        foreign_pre_chain=shared))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
