"""The SDK's ``AbstractHttpClient`` implemented on gcmap's Transport."""

from __future__ import annotations

from typing import Any

from gcmap.adapters.genesys.sdk import load_sdk
from gcmap.adapters.genesys.transport import Transport

__all__ = ["make_sdk_http_client"]


class _Response:
    """The response object the SDK expects: status, reason, str data, header access."""

    def __init__(self, status: int, reason: str, data: str, headers: dict[str, str]) -> None:
        self.status, self.reason, self.data = status, reason, data
        self._headers = headers

    def getheaders(self) -> dict[str, str]:
        return self._headers

    def getheader(self, name: str, default: str | None = None) -> str | None:
        for k, v in self._headers.items():
            if k.lower() == name.lower():
                return v
        return default


def make_sdk_http_client(transport: Transport) -> Any:
    """An ``AbstractHttpClient`` for ``ApiClient.set_http_client`` that sends through
    ``transport`` and raises the SDK's ``ApiException`` on non-2xx, as the SDK requires."""
    sdk = load_sdk()
    from PureCloudPlatformClientV2.abstract_http_client import AbstractHttpClient

    api_exception = sdk.rest.ApiException

    class SdkHttpClient(AbstractHttpClient):  # type: ignore[misc]
        def request(self, options: Any) -> _Response:
            body = options.body
            fields = options.post_params or None
            resp = transport.request(options.method, options.url, options.headers or {},
                                     query=options.query_params or None,
                                     body=body if not fields else None, fields=fields)
            out = _Response(resp.status, resp.reason or "",
                            resp.data.decode("utf-8", "replace"), dict(resp.headers))
            if not 200 <= resp.status < 300:
                raise api_exception(http_resp=out)
            return out

    return SdkHttpClient()
