"""The canned payloads use only the field names the SDK's models declare."""

from __future__ import annotations

from typing import Any

import pytest

from tests.data import payloads as p
from tests.integration.sdk_models import unknown_fields

CASES: list[tuple[str, Any, str]] = [
    ("queue", p.QUEUE_SUPPORT, "Queue"), ("ivr", p.IVR_MAIN, "IVR"),
    ("site", p.SITE_A, "Site"), ("route", p.ROUTE_1, "OutboundRoute"),
    ("action", p.ACTION_1, "Action"), ("user", p.USER_1, "User"),
    ("flow", p.flow("f1"), "Flow"), ("dependency", p.dep("q1", "QUEUE"), "Dependency"),
    ("campaign", p.campaign("c1", "q1"), "Campaign"),
    ("worktype", p.worktype("w1", "q1"), "Worktype"),
    ("recipient", p.recipient("r0001", "f1"), "Recipient"),
]


@pytest.mark.parametrize(("name", "payload", "model"), CASES, ids=[c[0] for c in CASES])
def test_payload_fields_are_the_sdk_models(name: str, payload: Any, model: str) -> None:
    assert unknown_fields(payload, model) == []


def test_the_check_itself_catches_a_made_up_field() -> None:
    assert unknown_fields(dict(p.QUEUE_SUPPORT, overflowRules=[]), "Queue") == [
        "$.overflowRules (not in Queue)"]
