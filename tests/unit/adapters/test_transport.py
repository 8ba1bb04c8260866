"""Transport and pacing rules on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from gcmap.adapters.genesys.auth import login_url
from gcmap.adapters.genesys.errors import permission_from
from gcmap.adapters.genesys.pacing import Pacer
from gcmap.adapters.genesys.transport import parse_retry_after
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
