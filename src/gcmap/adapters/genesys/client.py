"""One SDK ApiClient per org (per token), with an explicit host and gcmap's transport."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from gcmap.adapters.genesys.auth import TokenPool
from gcmap.adapters.genesys.errors import GenesysApiError
from gcmap.adapters.genesys.http import make_sdk_http_client
from gcmap.adapters.genesys.pacing import Pacer
from gcmap.adapters.genesys.sdk import load_sdk
from gcmap.adapters.genesys.transport import EventHook, RetryPolicy, Transport
from gcmap.domain.regions import REGIONS, api_host, region_of_environment

__all__ = ["ClientConfig", "GenesysClient", "resolve_base_url"]


@dataclass(frozen=True)
class ClientConfig:
    """How to reach one org."""

    client_id: str
    client_secret: str
    environment: str = "mypurecloud.com"
    base_url: str | None = None
    rate_per_min: float = 300.0
    tokens: int = 1
    concurrency: int = 8
    policy: RetryPolicy = field(default_factory=RetryPolicy)


def resolve_base_url(environment: str, base_url: str | None) -> str:
    """The API base URL: ``base_url`` when given, else the environment's API host.

    Raises:
        ValueError: an environment that is not a known Genesys region, naming the choices.
    """
    if base_url:
        return base_url.rstrip("/")
    if region_of_environment(environment) is None:
        known = ", ".join(sorted(REGIONS.values()))
        raise ValueError(f"unknown GENESYS_ENVIRONMENT {environment!r}; use one of: {known} "
                         "(or an AWS region name such as eu-west-1), or set "
                         "GENESYS_API_BASE_URL")
    return api_host(environment)


class GenesysClient:
    """Reads the Platform API for one org through the official SDK, returning raw JSON."""

    def __init__(self, config: ClientConfig, on_event: EventHook | None = None) -> None:
        self.config = config
        self.base_url = resolve_base_url(config.environment, config.base_url)
        self.pacer = Pacer(config.rate_per_min)
        self.transport = Transport(config.policy, pool_size=max(4, config.concurrency),
                                   pacer=self.pacer, on_event=on_event)
        self.tokens = TokenPool(self.transport, self.base_url, config.client_id,
                                config.client_secret, size=config.tokens)
        sdk = load_sdk()
        self._sdk = sdk
        http = make_sdk_http_client(self.transport)
        self._api_clients = []
        for _ in range(config.tokens):
            api = sdk.ApiClient(host=self.base_url)
            api.set_http_client(http)
            self._api_clients.append(api)
        self._next = itertools.count()
        self._lock = threading.Lock()

    def get(self, path: str, query: dict[str, Any] | None = None,
            path_params: dict[str, str] | None = None) -> Any:
        """GET a path template through the SDK's call path; returns parsed JSON.

        Raises:
            GenesysApiError: a non-2xx answer after retries (401 is renewed once first).
        """
        return self.call("GET", path, query, path_params)

    def post(self, path: str, body: Any) -> Any:
        """POST a query body (e.g. the audit realtime query); not retried on 5xx."""
        return self.call("POST", path, None, None, body)

    def call(self, method: str, path: str, query: dict[str, Any] | None = None,
             path_params: dict[str, str] | None = None, body: Any = None) -> Any:
        """One API call through the SDK with raw JSON back; 401 renews the token once."""
        with self._lock:
            slot = next(self._next) % len(self._api_clients)
        api = self._api_clients[slot]
        token = self.tokens.token(slot)
        for attempt in (1, 2):
            api.access_token = token
            try:
                return api.call_api(path, method, path_params or {}, dict(query or {}),
                                    {"Accept": "application/json",
                                     "Content-Type": "application/json"}, body=body,
                                    response_type="object", auth_settings=["PureCloud OAuth"])
            except self._sdk.rest.ApiException as exc:
                if exc.status == 401 and attempt == 1:
                    token = self.tokens.invalidate(slot, token)
                    continue
                headers = exc.headers or {}
                cid = next((v for k, v in headers.items()
                            if k.lower() == "inin-correlation-id"), "")
                raise GenesysApiError(exc.status, path, exc.body or "", cid) from exc
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.transport.close()
