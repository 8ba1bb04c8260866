"""Each way a changed object is read again stands on the SDK: an id filter the listing
method takes, or a single-object GET that returns the listing's own entity model; and gcsim's
audit records and service mapping parse as the SDK's audit models."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from PureCloudPlatformClientV2 import apis, models

from gcmap.adapters.genesys.crawl_plan import CRAWL, CrawlSpec
from tests.integration.sdk_models import unknown_fields


def _gets() -> dict[str, tuple[str, str, list[str]]]:
    """path template -> (method, response model, query parameters) of every SDK GET."""
    out: dict[str, tuple[str, str, list[str]]] = {}
    for _, cls in inspect.getmembers(apis, inspect.isclass):
        for name, fn in inspect.getmembers(cls, inspect.isfunction):
            src = inspect.getsource(fn)
            path = re.search(r"resource_path = '([^']+)'", src)
            verb = re.search(r"call_api\(resource_path, '(\w+)'", src)
            model = re.search(r"response_type='(\w+)'", src)
            params = re.search(r"all_params = \[(.*?)\]", src, re.S)
            if path and verb and verb.group(1) == "GET" and model and params:
                out[path.group(1)] = (name, model.group(1),
                                      re.findall(r"'(\w+)'", params.group(1)))
    return out


GETS = _gets()


def _entity_model(listing: str) -> str:
    return str(getattr(models, listing)().swagger_types["entities"])[5:-1]


@pytest.mark.parametrize("spec", [s for s in CRAWL if s.item], ids=lambda s: s.node_type)
def test_a_single_object_get_returns_the_listings_entity_model(spec: CrawlSpec) -> None:
    _, listing, _ = GETS[spec.path]
    _, item_model, _ = GETS[f"{spec.path}/{{{spec.item}}}"]
    assert item_model == _entity_model(listing)
    # The GET is sent without query parameters: the listing must need none that shape it.
    assert set(spec.params) <= {"sortBy"}


@pytest.mark.parametrize("spec", [s for s in CRAWL if s.by_ids], ids=lambda s: s.node_type)
def test_an_id_filter_is_one_the_listing_method_takes(spec: CrawlSpec) -> None:
    _, _, params = GETS[spec.path]
    assert spec.by_ids in params


def test_every_type_without_a_faithful_single_read_is_listed_again_instead() -> None:
    relisted = sorted({s.node_type for s in CRAWL if not s.part and not s.item
                       and not s.by_ids})
    # Sites need their listing's expand; task management lists only by POST query; the
    # others have no GET of the listing's model.
    assert relisted == sorted(["organization", "credential", "site", "outbound_route",
                               "skill_group", "web_deployment", "messaging_integration",
                               "web_deployment_configuration", "email_route", "work_type",
                               "workbin", "wrapup_code_mapping"])


def test_gcsim_audit_records_and_service_mapping_are_the_sdk_models() -> None:
    from gcsim import paths as o
    from gcsim.audit_names import service_mapping
    from gcsim.writes import WRITE_TARGETS, AuditTrail, apply_write

    org: dict[str, Any] = {o.P_QUEUES: []}
    trail = AuditTrail()
    queues = next(t for t in WRITE_TARGETS if t.path == o.P_QUEUES)
    status, made = apply_write(org, trail, queues, "POST", None, {"name": "Q"}, "client")
    assert status == 200 and made is not None
    apply_write(org, trail, queues, "PUT", made["id"], {"name": "Q2"}, "client")
    apply_write(org, trail, queues, "DELETE", made["id"], None, "client")
    assert [r["action"] for r in trail.records] == ["Create", "Update", "Delete"]
    for rec in trail.records:
        assert unknown_fields(rec, "AuditLogMessage") == []
    assert unknown_fields(service_mapping(), "AuditQueryServiceMapping") == []


def test_gcsim_writes_every_type_gcmap_reads_and_audits_it() -> None:
    from gcsim.writes import WRITE_TARGETS

    written = {t.store_key for t in WRITE_TARGETS}
    read = {s.doc_key for s in CRAWL if s.paging != "single"}
    # Email routes are written under their domain; gcsim does not write them yet.
    assert read - written == {"/api/v2/routing/email/domains/{domainName}/routes"}
    for t in WRITE_TARGETS:
        assert t.service and t.entity_type
