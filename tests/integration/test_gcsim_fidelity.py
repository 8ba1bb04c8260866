"""gcsim speaks the real wire format: SDK model names, SDK deserialization, consistent paging."""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from gcsim import SimServer
from gcsim.endpoints import COLLECTIONS, Collection
from tests.integration.sdk_models import unknown_fields

pytestmark = pytest.mark.xdist_group("sim")


def _token(sim: SimServer) -> str:
    import base64

    req = urllib.request.Request(
        sim.base_url + "/oauth/token", data=b"grant_type=client_credentials",
        headers={"Authorization": "Basic " + base64.b64encode(b"gcsim-client:gcsim-secret")
                 .decode(), "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req) as r:
        return str(json.load(r)["access_token"])


def get(sim: SimServer, token: str, path: str) -> Any:
    req = urllib.request.Request(sim.base_url + path,
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


class _Raw:
    """Just enough of a response for ApiClient.deserialize."""

    def __init__(self, body: Any) -> None:
        self.data = json.dumps(body)

    def getheader(self, name: str, default: str | None = None) -> str:
        return "application/json"


def _deserialize(body: Any, model: str) -> Any:
    import PureCloudPlatformClientV2 as pc

    return pc.ApiClient().deserialize(_Raw(body), model)


def _instances(coll: Collection, org: dict[str, Any]) -> list[str]:
    """Concrete request paths for a collection (sub-collections: a few parents)."""
    if coll.path.endswith("/consumedresources"):
        flows = {f["id"]: f for f in org["/api/v2/flows"]}
        out = []
        for fid in list(org[coll.path])[:5]:
            f = flows[fid]
            q = urllib.parse.urlencode({"id": fid, "version": f["publishedVersion"]["id"],
                                        "objectType": "INBOUNDCALLFLOW"})
            out.append(f"{coll.path}?{q}")
        return out
    if coll.path.endswith("/lookup"):
        ids = [f["id"] for f in org["/api/v2/flows"][:3]]
        return [coll.path + "?" + urllib.parse.urlencode([("id", i) for i in ids])]
    if coll.sub_param:
        return [coll.path.replace("{" + coll.sub_param + "}", k) for k in list(org[coll.key])[:3]]
    return [coll.path]


def post(sim: SimServer, token: str, path: str, body: Any) -> Any:
    req = urllib.request.Request(sim.base_url + path, data=json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)


def _all_pages(sim: SimServer, token: str, coll: Collection, first: str) -> list[dict[str, Any]]:
    if coll.paging == "postcursor":  # a query: pageSize and the cursor go in the body
        pages = [post(sim, token, f"{coll.path}/query", {"pageSize": 7})]
        while pages[-1].get("after"):
            pages.append(post(sim, token, f"{coll.path}/query",
                              {"pageSize": 7, "after": pages[-1]["after"]}))
            assert len(pages) < 1000
        return pages
    sep = "&" if "?" in first else "?"
    pages = [get(sim, token, f"{first}{sep}pageSize=7")]
    while pages[-1].get("nextUri"):
        pages.append(get(sim, token, pages[-1]["nextUri"]))
        assert len(pages) < 1000
    return pages


@pytest.mark.parametrize("coll", COLLECTIONS, ids=lambda c: c.path)
def test_every_entity_uses_only_sdk_field_names(sim: SimServer, small_org: dict[str, Any],
                                               coll: Collection) -> None:
    token = _token(sim)
    seen = 0
    if coll.paging == "subject":  # one AuthzSubject per user: grants, not a listing
        for path in _instances(coll, small_org):
            body = get(sim, token, path)
            assert unknown_fields(body, "AuthzSubject") == []
            assert _deserialize(body, "AuthzSubject").grants
        return
    for first in _instances(coll, small_org):
        full = first + ("&" if "?" in first else "?") + "expand=skills,languages,groups," \
            "locations,config.current&includeConfig=true"
        for body in _all_pages(sim, token, coll, full):
            problems = unknown_fields(body, coll.listing)
            assert problems == [], problems[:10]
            model = _deserialize(body, coll.listing)
            assert len(model.entities or []) == len(body["entities"])
            seen += len(body["entities"])
    assert seen > 0, f"{coll.path} served nothing to check"


@pytest.mark.parametrize("coll", [c for c in COLLECTIONS
                                  if c.paging not in ("cursor", "idcursor", "postcursor",
                                                      "subject")],
                         ids=lambda c: c.path)
def test_page_number_paging_fields_are_consistent(sim: SimServer, small_org: dict[str, Any],
                                                 coll: Collection) -> None:
    token = _token(sim)
    for first in _instances(coll, small_org):
        pages = _all_pages(sim, token, coll, first)
        ids = [e.get("id") for p in pages for e in p["entities"]]
        assert len(ids) == len(set(ids)), "an entity appeared on two pages"
        for n, p in enumerate(pages, start=1):
            assert p["pageNumber"] == n and p["pageSize"] == 7
            assert "firstUri" in p and "selfUri" in p
            assert ("previousUri" in p) == (n > 1)
            if coll.paging == "members":
                assert "total" not in p and "pageCount" not in p and "lastUri" not in p
            else:
                assert p["total"] == len(ids)
                assert p["pageCount"] == math.ceil(len(ids) / 7)
                assert ("nextUri" in p) == (n < p["pageCount"])
                assert f"pageNumber={max(1, p['pageCount'])}" in p["lastUri"]


@pytest.mark.parametrize("coll", [c for c in COLLECTIONS if c.paging == "postcursor"],
                         ids=lambda c: c.path)
def test_a_query_listing_pages_by_its_after_cursor_and_has_no_get(
        sim: SimServer, small_org: dict[str, Any], coll: Collection) -> None:
    token = _token(sim)
    pages = _all_pages(sim, token, coll, coll.path)
    ids = [e["id"] for p in pages for e in p["entities"]]
    assert len(pages) > 1 or len(ids) <= 7
    assert sorted(ids) == sorted(e["id"] for e in small_org[coll.key])
    assert "after" not in pages[-1] and all(len(p["entities"]) <= 7 for p in pages)
    big = post(sim, token, f"{coll.path}/query", {"pageSize": 5000})
    assert len(big["entities"]) == min(coll.cap, len(ids))
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(sim, token, coll.path)
    assert exc.value.code == 404


@pytest.mark.parametrize("coll", [c for c in COLLECTIONS if c.paging == "cursor"],
                         ids=lambda c: c.path)
def test_cursor_paging_reaches_every_entity_once(sim: SimServer, small_org: dict[str, Any],
                                                coll: Collection) -> None:
    token = _token(sim)
    pages = _all_pages(sim, token, coll, coll.path)
    ids = [e["id"] for p in pages for e in p["entities"]]
    listed = [e for e in small_org[coll.key]
              if coll.states is None or e.get("state", "active") == coll.states]
    assert sorted(ids) == sorted(e["id"] for e in listed)
    assert all(f"{coll.cursor_param}=" in p["nextUri"] for p in pages[:-1])
    assert "pageNumber" not in pages[0]


def test_id_cursor_listing_pages_by_the_last_id_and_gives_no_next_uri(
        sim: SimServer, small_org: dict[str, Any]) -> None:
    token = _token(sim)
    path = "/api/v2/integrations/credentials/listing"
    ids: list[str] = []
    after = ""
    for _ in range(50):
        body = get(sim, token, f"{path}?pageSize=2" + (f"&after={after}" if after else ""))
        assert "nextUri" not in body
        if not body["entities"]:
            break
        ids += [e["id"] for e in body["entities"]]
        after = ids[-1]
    assert ids == [c["id"] for c in small_org[path]]


CAPPED = ["/api/v2/telephony/providers/edges/phones", "/api/v2/telephony/providers/edges/dids"]


@pytest.mark.parametrize("path", CAPPED)
def test_oversized_page_request_silently_returns_the_cap(sim: SimServer, path: str) -> None:
    coll = next(c for c in COLLECTIONS if c.path == path)
    body = get(sim, _token(sim), f"{path}?pageSize=100000")
    assert len(sim.state.org[path]) > coll.cap
    assert len(body["entities"]) == coll.cap
    assert body["pageSize"] == coll.cap
    assert body["pageCount"] == math.ceil(body["total"] / coll.cap)


@pytest.mark.parametrize(("path", "model"), [("/api/v2/organizations/me", "Organization"), (
    "/api/v2/outbound/wrapupcodemappings", "WrapUpCodeMapping")])
def test_single_objects_are_their_sdk_models(sim: SimServer, path: str, model: str) -> None:
    body = get(sim, _token(sim), path)
    assert unknown_fields(body, model) == []
    assert _deserialize(body, model).id == body["id"]
