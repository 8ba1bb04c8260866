"""Shared fixtures: gcsim servers in a thread, generated orgs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from gcsim import SimConfig, SimServer, generate_org
from tests.keys import TEST_SECRET_KEY

# Services built in tests (and the gcmap processes they start) seal secrets with this key.
os.environ["GCMAP_SECRET_KEY"] = TEST_SECRET_KEY


@pytest.fixture(scope="session")
def small_org() -> dict[str, Any]:
    return generate_org("small", seed=7)


@pytest.fixture(scope="session")
def tiny_org() -> dict[str, Any]:
    return generate_org("tiny", seed=3)


@pytest.fixture(scope="session")
def sim(small_org: dict[str, Any]) -> Iterator[SimServer]:
    """A read-only gcsim with the small org and no rate limit (tests must not write to it)."""
    with SimServer(small_org, SimConfig(rate_limit=0)) as server:
        yield server


@pytest.fixture()
def fresh_sim(tiny_org: dict[str, Any]) -> Iterator[SimServer]:
    """A private gcsim per test with a tiny org, for writes, faults and limits."""
    import copy

    with SimServer(copy.deepcopy(tiny_org), SimConfig(rate_limit=0)) as server:
        yield server
