"""Logs are JSON with request and run ids, and never carry secrets (canary values)."""

from __future__ import annotations

import json
import logging

import pytest
import structlog

from gcmap.observability.logging import configure_logging

CANARY = "canary-5ecret-0f-the-day"


def test_json_logs_redact_secrets_and_carry_context(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", "info")
    try:
        structlog.contextvars.bind_contextvars(request_id="req-1", run_id="run-9")
        log = structlog.get_logger("gcmap.test")
        log.info("token fetched", client_secret=CANARY, access_token=CANARY,
                 header=f"Bearer {CANARY}", note="visible")
        logging.getLogger("gcmap.genesys").warning("auth header Basic %s", CANARY)
        structlog.contextvars.clear_contextvars()
        err = capsys.readouterr().err
    finally:
        logging.getLogger().handlers.clear()
        logging.getLogger().setLevel(logging.WARNING)
        structlog.reset_defaults()
    assert CANARY not in err
    lines = [json.loads(line) for line in err.strip().splitlines()]
    first = lines[0]
    assert first["request_id"] == "req-1" and first["run_id"] == "run-9"
    assert first["note"] == "visible" and first["client_secret"] == "[REDACTED]"
    assert len(lines) == 2 and "[REDACTED]" in lines[1]["event"]


def test_capture_redaction_keeps_collections_and_hides_secret_values() -> None:
    from gcmap.domain.capture import REDACTED, redact_secrets

    canary = "canary-secret-42"
    doc = {"/api/v2/authorization/divisions": [{"id": "d1", "name": "Home"}],
           "/api/v2/integrations/actions": [{"id": "a1", "config": {"request": {
               "headers": {"Authorization": f"Bearer {canary}", "Accept": "json"},
               "requestTemplate": f"token=Basic {canary}"}}}],
           "/api/v2/oauth/clients": [{"id": "c1", "secret": canary, "accessToken": canary,
                                     "accessTokenValiditySeconds": 86400, "apiKey": canary}]}
    out = redact_secrets(doc)
    assert canary not in str(out)
    assert out["/api/v2/authorization/divisions"] == doc["/api/v2/authorization/divisions"]
    client = out["/api/v2/oauth/clients"][0]
    assert client["secret"] == client["accessToken"] == client["apiKey"] == REDACTED
    assert client["accessTokenValiditySeconds"] == 86400
    assert out["/api/v2/integrations/actions"][0]["config"]["request"]["headers"]["Accept"] \
        == "json"
