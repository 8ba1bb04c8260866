"""gcsim's named plants against gcmap's findings, one to one: every plant is found on
exactly its objects, nothing is reported under a planted rule that was not planted, and
every catalogue entry is planted."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gcmap.services.mapping import map_org
from gcsim import generate_org
from gcsim.orgs import plants_of
from gcsim.plants import CATALOGUE, SHARED_RULES, Plant, planted_rules


def _findings(size: str, seed: int, weak: bool = True) -> list[dict[str, Any]]:
    org = generate_org(size, seed, weaknesses=weak)
    return map_org(org, environment="mypurecloud.com",
                   generated_at="2026-01-01T00:00:00Z").document["findings"]


def _unmatched(findings: list[dict[str, Any]], plants: list[Plant],
               ) -> tuple[list[tuple[str, tuple[str, ...]]], list[Plant]]:
    """(findings under planted rules that no plant explains, plants no finding matches)."""
    left = Counter((f["rule"], tuple(sorted(f["nodes"]))) for f in findings
                   if f["rule"] in planted_rules())
    missed: list[Plant] = []
    for p in plants:  # rules an org also raises by nature: each plant must be among them
        if p.rule in SHARED_RULES and not any(
                f["rule"] == p.rule and set(p.nodes) <= set(f["nodes"]) for f in findings):
            missed.append(p)
    plants = [p for p in plants if p.rule not in SHARED_RULES]
    for p in sorted(plants, key=lambda p: not p.exact):  # exact plants claim theirs first
        want = (p.rule, p.nodes)
        if p.exact and left[want]:
            left[want] -= 1
            continue
        wider = sorted(k for k, n in left.items() if n and k[0] == p.rule
                       and set(p.nodes) <= set(k[1])) if not p.exact else []
        if wider:
            left[wider[0]] -= 1
        else:
            missed.append(p)
    return sorted(left.elements()), missed


@pytest.mark.parametrize(("size", "seed"), [("tiny", 1), ("small", 1), ("small", 5),
                                            ("medium", 2)])
def test_every_plant_is_found_on_exactly_its_objects(size: str, seed: int) -> None:
    findings, plants = _findings(size, seed), plants_of(size, seed)
    extra, missed = _unmatched(findings, plants)
    assert missed == []
    assert extra == []
    if any(p.name == "long-backup-chain" for p in plants):
        [deep] = [f for f in findings if f["rule"] == "depth-exceeded"]
        assert deep["evidence"]["depth"] >= 9


def test_every_catalogue_entry_is_planted_in_the_small_org() -> None:
    assert {p.name for p in plants_of("small", 1)} == set(CATALOGUE)


def test_a_healthy_org_reports_nothing_under_a_planted_rule() -> None:
    assert [f["rule"] for f in _findings("small", 1, weak=False)
            if f["rule"] in planted_rules()] == []


def test_a_finding_on_the_wrong_object_is_caught() -> None:
    # The matcher itself: a finding moved to another queue leaves the plant unmatched.
    plant = Plant("failover.backup-queue-self", ("queue:q1",), "backup-queue-self")
    moved = [{"rule": "failover.backup-queue-self", "nodes": ["queue:q2"]}]
    assert _unmatched(moved, [plant]) == ([("failover.backup-queue-self", ("queue:q2",))],
                                          [plant])
