"""Bodies are bounded whatever their framing, and keys are checked before a byte is read."""

from __future__ import annotations

import asyncio
from typing import Any

from gcmap.api.bodyguard import BodyGuard, RefusalLedger

LIMIT = 1024


class Stream:
    """A request body arriving in chunks; counts how many the server pulled."""

    def __init__(self, chunks: int, size: int = 256) -> None:
        self.left, self.size, self.pulled = chunks, size, 0

    async def __call__(self) -> dict[str, Any]:
        self.pulled += 1
        self.left -= 1
        return {"type": "http.request", "body": b"x" * self.size, "more_body": self.left > 0}


def _run(guard: BodyGuard, stream: Stream, token: str | None = "good",
         client: str = "10.0.0.1") -> tuple[int, bytes]:
    headers = [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {"type": "http", "method": "POST", "path": "/api/v1/webhooks", "headers": headers,
             "client": (client, 5000)}
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(guard(scope, stream, send))
    return sent[0]["status"], sent[1].get("body", b"")


def _guard(seen: list[bytes], records: list[tuple[str, int, str]],
           clock: list[float]) -> BodyGuard:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    ledger = RefusalLedger(lambda addr, minute, n, why: records.append((addr, n, why)),
                           lambda: clock[0], refusals_per_min=60)
    return BodyGuard(app, limit=LIMIT, ledger=ledger,
                     find_key=lambda t: {"id": "k1"} if t == "good" else None)


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams() -> None:
    seen: list[bytes] = []
    stream = Stream(chunks=1_000_000)  # 256 MB if it were read in full
    status, body = _run(_guard(seen, [], [0.0]), stream)
    assert status == 413 and b"too_large" in body
    assert stream.pulled == LIMIT // 256 + 1  # stopped at the first chunk past the limit
    assert seen == []


def test_an_unknown_key_is_refused_before_any_body_is_read() -> None:
    seen: list[bytes] = []
    stream = Stream(chunks=1_000_000)
    status, body = _run(_guard(seen, [], [0.0]), stream, token="bogus")
    assert status == 401 and b"gcmap apikey create" in body
    assert stream.pulled == 0 and seen == []


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    seen: list[bytes] = []
    status, _ = _run(_guard(seen, [], [0.0]), Stream(chunks=3))
    assert status == 201 and seen == [b"x" * 768]


def test_refusals_are_audited_as_bounded_summaries_and_floods_are_throttled() -> None:
    records: list[tuple[str, int, str]] = []
    clock = [120.0]
    guard = _guard([], records, clock)
    statuses = [_run(guard, Stream(1), token="bogus")[0] for _ in range(1500)]
    assert statuses[:60] == [401] * 60 and set(statuses[60:]) == {429}
    assert records == [("10.0.0.1", 1, "unknown key")]  # one row, not 1,500
    clock[0] += 60  # the next minute: the last minute's summary, then this one's first
    _run(guard, Stream(1), token=None, client="10.0.0.1")
    assert records[1:] == [("10.0.0.1", 1500, "summary"), ("10.0.0.1", 1, "missing key")]
