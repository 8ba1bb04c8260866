"""Transport and pacing rules on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from urllib3 import HTTPResponse

from gcmap.adapters.genesys.auth import login_url
from gcmap.adapters.genesys.errors import permission_from
from gcmap.adapters.genesys.pacing import Pacer
from gcmap.adapters.genesys.transport import (
    RetryPolicy,
    Transport,
    TransportError,
    parse_retry_after,
)
from gcmap.observability.logging import redact


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now=now.timestamp()) == 30.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_pacer_spaces_requests_at_the_rate_and_honours_holds() -> None:
    t = [0.0]
    pacer = Pacer(rate_per_min=60, burst=2, clock=lambda: t[0])
    assert [pacer.reserve("a"), pacer.reserve("a")] == [0.0, 0.0]
    assert pacer.reserve("a") == 1.0  # third in the same instant waits one interval
    assert pacer.reserve("a") == 2.0
    assert pacer.reserve("b") == 0.0  # another token has its own budget
    t[0] = 10.0
    pacer.hold("a", 5.0)
    assert pacer.reserve("a") >= 5.0


def test_login_url_follows_the_sdk_rule() -> None:
    assert login_url("https://api.mypurecloud.ie") == "https://login.mypurecloud.ie/oauth/token"
    assert login_url("http://127.0.0.1:8787/") == "http://127.0.0.1:8787/oauth/token"


def test_permission_parsed_from_403_message() -> None:
    msg = "You are missing the following permission(s): [routing:queue:view]"
    assert permission_from(msg) == "routing:queue:view"


def test_redaction_hides_canary_secrets() -> None:
    canary = "s3cr3t-canary-value"
    data = {"client_secret": canary, "access_token": canary, "password": canary,
            "headers": {"Authorization": f"Bearer {canary}"},
            "note": f"Basic {canary}", "fine": "visible"}
    text = str(redact(data))
    assert canary not in text
    assert "visible" in text


class _Clock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.at: dict[float, object] = {}

    def sleep(self, seconds: float) -> None:
        end = self.now + seconds
        for when in sorted(t for t in self.at if self.now <= t < end):
            self.now = when
            self.at.pop(when)()  # type: ignore[operator]
        self.now = end


class _Pool:
    """Answers from a script and records when each request left."""

    def __init__(self, clock: _Clock, statuses: list[tuple[int, dict[str, str]]]) -> None:
        self.clock, self.statuses, self.sent = clock, statuses, []

    def request(self, method: str, url: str, **kw: object) -> HTTPResponse:
        self.sent.append(self.clock.now)
        status, headers = self.statuses.pop(0) if self.statuses else (200, {})
        return HTTPResponse(body=b"{}", status=status, headers=headers)

    def clear(self) -> None:
        pass


def _transport(clock: _Clock, pool: _Pool, pacer: Pacer, budget: float = 600) -> Transport:
    return Transport(RetryPolicy(budget=budget), pacer=pacer, sleep=clock.sleep,
                     clock=lambda: clock.now, pool=pool)


def test_a_slot_reserved_before_a_hold_waits_until_the_hold_ends() -> None:
    clock = _Clock()
    pacer = Pacer(rate_per_min=60, burst=1, clock=lambda: clock.now)
    pacer.reserve("tok")  # another thread took the only slot: ours is due at t=1
    clock.at[0.5] = lambda: pacer.hold("tok", 5.0)  # meanwhile a 429 holds the token to 5.5
    pool = _Pool(clock, [])
    _transport(clock, pool, pacer).request("GET", "http://x/api/v2/a",
                                           {"Authorization": "Bearer tok"})
    assert pool.sent == [6.5]  # after the hold, and one pacing interval into the new bucket


def test_retry_after_is_honoured_exactly_and_other_tokens_are_not_held() -> None:
    clock = _Clock()
    pacer = Pacer(rate_per_min=0, clock=lambda: clock.now)
    pool = _Pool(clock, [(429, {"Retry-After": "7"})])
    t = _transport(clock, pool, pacer)
    t.request("GET", "http://x/api/v2/a", {"Authorization": "Bearer tok"})
    assert pool.sent == [0.0, 7.0]
    t.request("GET", "http://x/api/v2/a", {"Authorization": "Bearer other"})
    assert pool.sent[-1] == 7.0


def test_a_retry_after_beyond_the_budget_fails_instead_of_waiting() -> None:
    clock = _Clock()
    pacer = Pacer(rate_per_min=0, clock=lambda: clock.now)
    pool = _Pool(clock, [(429, {"Retry-After": "120"})])
    with pytest.raises(TransportError) as info:
        _transport(clock, pool, pacer, budget=60).request(
            "GET", "http://x/api/v2/a", {"Authorization": "Bearer tok"})
    assert info.value.kind == "budget"
    assert clock.now == 0.0  # it did not sleep first


def test_connection_errors_are_retried_and_counted_as_retries() -> None:
    from urllib3.exceptions import ReadTimeoutError

    clock = _Clock()
    events: list[str] = []

    class Hanging(_Pool):
        def request(self, method: str, url: str, **kw: object) -> HTTPResponse:
            self.sent.append(self.clock.now)
            raise ReadTimeoutError(None, url, "read timed out")  # type: ignore[arg-type]

    pool = Hanging(clock, [])
    t = Transport(RetryPolicy(max_attempts=5), sleep=clock.sleep, clock=lambda: clock.now,
                  pool=pool, on_event=lambda kind, fields: events.append(kind))
    with pytest.raises(TransportError) as info:
        t.request("GET", "http://x/api/v2/a", {})
    assert info.value.kind == "timeout" and len(pool.sent) == 5
    assert events.count("retry") == 4
