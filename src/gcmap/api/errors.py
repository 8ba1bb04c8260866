"""The API's error shape ``{"error": {"code", "message"}}`` and its handlers."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Collection
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from gcmap.storage.secretbox import SecretKeyMissing

__all__ = ["ApiError", "ErrorBody", "StrictModel", "error_response", "install_handlers",
           "refuse_unknown_query", "responses", "unknown_name"]

log = logging.getLogger("gcmap.api")


def unknown_name(name: str, known: Collection[str], what: str) -> str:
    """``unknown field 'x'; did you mean 'y'?`` (or the known names when none is close)."""
    by_lower = {k.lower(): k for k in known}
    close = [by_lower[name.lower()]] if name.lower() in by_lower else \
        difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else \
        ("known: " + ", ".join(sorted(known)) if known else f"this route takes no {what}s")
    return f"unknown {what} {name!r}; {hint}"


class UnknownName(ValueError):
    """A request named a field or parameter the API does not know."""


class StrictModel(BaseModel):
    """A request body: unknown fields are refused (422), never ignored, naming the field."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _known_fields(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = set(cls.model_fields)
            for name in sorted(k for k in data if k not in known):
                raise UnknownName(unknown_name(str(name), known, "field"))
        return data


async def refuse_unknown_query(request: Request) -> None:
    """Refuse query parameters the route does not declare (a typo is never ignored).

    On the event loop (no I/O): as a plain function it would cost every request, even
    ``/healthz``, a hop to the thread pool and back."""
    if not request.url.path.startswith("/api/"):
        return
    known = _declared_query(request.scope.get("route"))
    if known is None:
        return
    for name in sorted(set(request.query_params) - known):
        raise ApiError(422, "unknown_parameter", unknown_name(name, known, "query parameter"))


def _declared_query(route: Any) -> frozenset[str] | None:
    """The query parameter names ``route`` declares (worked out once, kept on the route)."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    known: frozenset[str] | None = getattr(route, "_gcmap_query_names", None)
    if known is None:
        known = frozenset(p.alias for p in _query_params(dependant))
        route._gcmap_query_names = known
    return known


def _query_params(dependant: Any) -> list[Any]:
    out = list(dependant.query_params)
    for sub in dependant.dependencies:
        out += _query_params(sub)
    return out


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error the API returns."""

    error: ErrorDetail


class ApiError(Exception):
    """Raise to answer with a documented error status."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


_DESCRIPTIONS = {
    400: "Bad request: a parameter or the body names the problem",
    401: "Missing, unknown or revoked API key",
    403: "The API key lacks the scope this route needs",
    404: "Not found",
    409: "Conflict with the resource's state",
    413: "Request body too large",
    415: "Content type must be application/json",
    422: "An unknown body field or query parameter (the message names it and the one meant)",
    429: "Too many requests for this API key; see Retry-After",
    503: "Not ready, or no GCMAP_SECRET_KEY to encrypt a secret with (the message says how)",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses a route can return."""
    return {s: {"model": ErrorBody, "description": _DESCRIPTIONS[s]} for s in statuses}


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(SecretKeyMissing)
    async def _no_key(request: Request, exc: SecretKeyMissing) -> JSONResponse:
        return error_response(503, "secret_key_missing", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        unknown = [e for e in exc.errors() if isinstance((e.get("ctx") or {}).get("error"),
                                                         UnknownName)]
        if unknown:
            return error_response(422, "unknown_field", str(unknown[0]["ctx"]["error"]))
        problems = []
        for e in exc.errors()[:5]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x != "body")
            problems.append(f"{where}: {e.get('msg')}")
        return error_response(400, "bad_request", "; ".join(problems) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            # One path can have several routes (GET and POST); Allow lists them all.
            path = request.url.path
            methods: set[str] = set()
            for r in app.routes:
                rx = getattr(r, "path_regex", None)
                if rx is not None and rx.match(path):
                    methods |= set(getattr(r, "methods", None) or ())
            headers["Allow"] = ", ".join(sorted(methods))
        return error_response(exc.status_code, code, str(exc.detail), headers or None)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "internal error; see the server log")
