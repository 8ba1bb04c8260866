"""Schemathesis against the app's own OpenAPI spec: no server errors, no undocumented status."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from gcmap.api.app import create_app
from tests.simhelpers import mapped_service


def _app(tmp: Path) -> Any:
    container, mapping, _ = mapped_service(tmp, "tiny", 1, api_rate_per_min=1e6)
    _, secret = container.store.create_api_key("fuzz", ["admin"], time.time())
    container.store.create_run(container.org_key, "fuzz", time.time())  # and one queued
    app = create_app(container, start_workers=False)
    app.state.fuzz_headers = {"Authorization": f"Bearer {secret}"}
    app.state.fuzz_run = mapping
    return app


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # Built when the test runs, not when the module is imported; the org file goes to
    # pytest's temporary directory, never into the source tree.
    return _app(tmp_path_factory.mktemp("fuzz"))


def test_api_conforms_to_its_own_spec(fuzz_app: Any) -> None:
    # The schema is loaded inside the test (schemathesis's lazy pytest loader does not run
    # under pytest 9.2), and every operation gets its own seeded Hypothesis run.
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        def check(case: schemathesis.Case) -> None:
            # Schema-valid webhook URLs may still be refused (private or unresolvable hosts),
            # so the positive-acceptance check does not apply; server errors and
            # undocumented statuses do.
            # The key is passed as a header on every call, so schemathesis's own replay
            # without credentials still carries it: that check cannot apply here (a missing
            # or bad key is tested in test_routes).
            case.call_and_validate(headers=fuzz_app.state.fuzz_headers,
                                   excluded_checks=[positive_data_acceptance, ignored_auth])

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])
    assert operations >= 20
    assert failures == []
