"""The crawl over an injected reader: no HTTP, no simulator. Paging styles, follow-up reads
and failures, checked against what a fake API served."""

from __future__ import annotations

from typing import Any

from gcmap.adapters.genesys.client import ClientConfig
from gcmap.adapters.genesys.errors import GenesysApiError
from gcmap.adapters.genesys.source import CrawlOptions, GenesysOrgSource


class FakeTokens:
    renewals = 0

    def token(self, slot: int) -> str:
        return "t"


class FakeApi:
    """Serves canned listings and records every request."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes, self.calls = routes, []
        self.tokens = FakeTokens()

    def get(self, path: str, query: dict[str, Any] | None = None,
            path_params: dict[str, str] | None = None) -> Any:
        self.calls.append((path, dict(query or {}), dict(path_params or {})))
        answer = self.routes.get(path)
        if answer is None:
            raise GenesysApiError(404, path, '{"message": "not found"}', "")
        return answer(query or {}, path_params or {}) if callable(answer) else answer

    def close(self) -> None:
        pass


def _creds(q: dict[str, Any], _: dict[str, str]) -> dict[str, Any]:
    ids = ["c1", "c2", "c3", "c4", "c5"]
    start = ids.index(q["after"]) + 1 if q.get("after") else 0
    return {"entities": [{"id": i, "name": i} for i in ids[start:start + 2]]}


def _inactive(q: dict[str, Any], _: dict[str, str]) -> dict[str, Any]:
    if q.get("cursor") == "next":
        return {"entities": [{"id": "u3", "state": "inactive"}]}
    return {"entities": [{"id": "u2", "state": "inactive"}], "cursor": "next",
            "nextUri": "/api/v2/users/query?cursor=next&state=inactive"}


def _routes(q: dict[str, Any], p: dict[str, str]) -> dict[str, Any]:
    return {"entities": [{"id": f"r-{p['domainName']}"}], "pageCount": 1}


def _crawl(api: FakeApi, types: set[str]) -> Any:
    source = GenesysOrgSource(ClientConfig("id", "secret", base_url="http://fake"), client=api)
    return source.crawl(CrawlOptions(types=frozenset(types), limits=False,
                                     dependency_tracking=False))


def test_paging_styles_and_per_parent_reads_without_any_http() -> None:
    api = FakeApi({
        "/api/v2/organizations/me": {"id": "org", "name": "Org"},
        "/api/v2/integrations/credentials/listing": _creds,
        "/api/v2/users": {"entities": [{"id": "u1", "state": "active"}], "pageCount": 1},
        "/api/v2/users/query": _inactive,
        "/api/v2/routing/email/domains": {"entities": [{"id": "a.example"},
                                                       {"id": "b.example"}], "pageCount": 1},
        "/api/v2/routing/email/domains/{domainName}/routes": _routes,
    })
    result = _crawl(api, {"credential", "user", "email_route"})
    doc = result.doc
    assert [c["id"] for c in doc["/api/v2/integrations/credentials/listing"]] == [
        "c1", "c2", "c3", "c4", "c5"]
    cred_calls = [q.get("after") for p, q, _ in api.calls if p.endswith("/listing")]
    assert cred_calls == [None, "c2", "c4", "c5"]  # by last id, until an empty page
    assert sorted(u["id"] for u in doc["/api/v2/users"]) == ["u1", "u2", "u3"]
    user_queries = [q for p, q, _ in api.calls if p.startswith("/api/v2/users")]
    assert {q["state"] for q in user_queries} == {"active", "inactive"}
    assert all("team" in q["expand"] for q in user_queries)
    assert doc["/api/v2/routing/email/domains/{domainName}/routes"] == {
        "a.example": [{"id": "r-a.example"}], "b.example": [{"id": "r-b.example"}]}
    assert result.report["partial"] is False


def test_a_listing_that_fails_is_reported_and_left_out() -> None:
    api = FakeApi({"/api/v2/organizations/me": {"id": "org"},
                   "/api/v2/routing/skills": {"entities": [{"id": "s1"}], "pageCount": 1}})
    result = _crawl(api, {"skill", "language"})
    assert result.report["partial"] is True
    [failure] = result.report["failures"]
    assert failure["type"] == "language" and failure["status"] == 404
    assert "/api/v2/routing/languages" not in result.doc
    assert result.doc["/api/v2/routing/skills"] == [{"id": "s1"}]
