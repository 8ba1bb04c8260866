"""Schemathesis against the app's own OpenAPI spec: no server errors, no undocumented status."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from gcmap.api.app import create_app
from gcmap.container import build_container
from gcmap.services.runs import MappingWorker
from gcmap.settings import GcmapSettings
from gcsim import generate_org


def _app() -> object:
    # The org file goes to a temporary directory, never into the source tree.
    org = Path(tempfile.mkdtemp(prefix="gcmap-fuzz-")) / "org.json"
    org.write_text(json.dumps(generate_org("tiny", 1)))
    container = build_container(GcmapSettings(database_url="memory://", org_file=str(org),
                                               workers=0, api_rate_per_min=1e6))
    _, secret = container.store.create_api_key("fuzz", ["admin"], time.time())
    run = container.store.create_run(container.org_key, "fuzz", time.time())
    MappingWorker(container.store, container.reader).run_once()  # one finished mapping
    container.store.create_run(container.org_key, "fuzz", time.time())  # and one queued
    app = create_app(container, start_workers=False)
    app.state.fuzz_headers = {"Authorization": f"Bearer {secret}"}
    app.state.fuzz_run = run["id"]
    return app


APP = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.mark.filterwarnings("ignore")
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck),
          derandomize=True)
def test_api_conforms_to_its_own_spec(case: schemathesis.Case) -> None:
    # Schema-valid webhook URLs may still be refused (private or unresolvable hosts), so the
    # positive-acceptance check does not apply; server errors and undocumented statuses do.
    case.call_and_validate(headers=APP.state.fuzz_headers,  # type: ignore[attr-defined]
                           excluded_checks=[positive_data_acceptance])
