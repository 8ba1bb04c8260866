"""The official SDK's API classes read gcsim end to end over HTTP."""

from __future__ import annotations

from typing import Any

import PureCloudPlatformClientV2 as pc
import pytest

from gcsim import SimServer

pytestmark = pytest.mark.xdist_group("sim")


@pytest.fixture()
def client(sim: SimServer) -> Any:
    c = pc.ApiClient(host=sim.base_url)
    return c.get_client_credentials_token("gcsim-client", "gcsim-secret")


def _count(org: dict[str, Any], path: str) -> int:
    return len(org[path])


def test_sdk_api_classes_read_every_area(client: Any, small_org: dict[str, Any]) -> None:
    org = small_org
    routing = pc.RoutingApi(client)
    queues = routing.get_routing_queues(page_size=500)
    assert queues.total == _count(org, "/api/v2/routing/queues")
    q = queues.entities[0]
    assert q.queue_flow.id == org["/api/v2/routing/queues"][0]["queueFlow"]["id"]
    members = routing.get_routing_queue_members(q.id, page_size=100)
    assert len(members.entities) == q.member_count
    assert routing.get_routing_queue_wrapupcodes(q.id).total == len(
        org["/api/v2/routing/queues/{queueId}/wrapupcodes"][q.id])
    assert routing.get_routing_skills(page_size=500).total == _count(org, "/api/v2/routing/skills")
    assert len(routing.get_routing_skillgroups(page_size=100).entities) == _count(
        org, "/api/v2/routing/skillgroups")
    domains = routing.get_routing_email_domains()
    assert [d.id for d in domains.entities] == [d["id"] for d in org[
        "/api/v2/routing/email/domains"]]
    routes = routing.get_routing_email_domain_routes(domains.entities[0].id)
    assert routes.total == len(org["/api/v2/routing/email/domains/{domainName}/routes"][
        domains.entities[0].id])
    by_state = {s: sum(u["state"] == s for u in org["/api/v2/users"])
                for s in ("active", "inactive", "deleted")}
    users_api = pc.UsersApi(client)
    users = users_api.get_users(page_size=10, expand=["skills", "locations"])
    assert users.total == by_state["active"]  # the default state is active
    assert users.entities[0].skills and users.entities[0].locations
    assert users.entities[0].groups is None  # not expanded
    assert users_api.get_users(state="inactive").total == by_state["inactive"]
    inactive = users_api.get_users_query(state="inactive", page_size=500)
    assert len(inactive.entities) == by_state["inactive"]
    assert {u.state for u in inactive.entities} == {"inactive"}
    arch = pc.ArchitectApi(client)
    flows = arch.get_flows(page_size=500)
    assert flows.total == _count(org, "/api/v2/flows")
    published = next(f for f in flows.entities if f.published_version)
    looked = arch.get_flows_lookup(id=[published.id])
    assert [f.id for f in looked.entities] == [published.id]
    consumed = arch.get_architect_dependencytracking_consumedresources(
        published.id, published.published_version.id, "INBOUNDCALLFLOW")
    assert consumed.entities is not None
    assert arch.get_architect_ivrs().total == _count(org, "/api/v2/architect/ivrs")
    assert arch.get_architect_schedulegroups().total == _count(
        org, "/api/v2/architect/schedulegroups")
    # Deleted emergency groups are listed too, as on the real API.
    groups = arch.get_architect_emergencygroups()
    assert groups.total == _count(org, "/api/v2/architect/emergencygroups")
    assert "deleted" in {g.state for g in groups.entities}
    assert arch.get_architect_dependencytracking_build().status == "OPERATIONALNEEDSREBUILD"
    assert arch.get_architect_dependencytracking_types().total > 10
    assert arch.get_architect_dependencytracking_deletedresourceconsumers(page_size=100).total \
        >= 1
    integ = pc.IntegrationsApi(client)
    acts = integ.get_integrations_actions(page_size=100, include_config=True)
    assert acts.entities[0].config.request.request_url_template.startswith("https://")
    assert integ.get_integrations_actions(page_size=1).entities[0].config is None
    creds = integ.get_integrations_credentials_listing(page_size="200")
    assert len(creds.entities) == _count(org, "/api/v2/integrations/credentials/listing")
    tel = pc.TelephonyProvidersEdgeApi(client)
    sites = tel.get_telephony_providers_edges_sites(expand=["primarySites"])
    assert sites.total == _count(org, "/api/v2/telephony/providers/edges/sites")
    assert sites.entities[0].primary_sites
    assert tel.get_telephony_providers_edges_sites().entities[0].primary_sites is None
    routes = tel.get_telephony_providers_edges_site_outboundroutes(sites.entities[0].id)
    assert routes.entities[0].external_trunk_bases
    assert tel.get_telephony_providers_edges_trunkbasesettings().total == _count(
        org, "/api/v2/telephony/providers/edges/trunkbasesettings")
    assert pc.LocationsApi(client).get_locations().total == _count(org, "/api/v2/locations")
    org_api = pc.OrganizationApi(client)
    assert org_api.get_organizations_me().id == org["/api/v2/organizations/me"]["id"]
    routing_limits = org_api.get_organizations_limits_namespace("routing")
    assert {lim.key for lim in routing_limits.entities} >= {"queues.max"}
    docs = org_api.get_organizations_limits_docs()
    assert any(ns.name == "routing" for ns in docs.namespaces)
    assert pc.TeamsApi(client).get_teams().entities
    assert pc.ScriptsApi(client).get_scripts().total == _count(org, "/api/v2/scripts")
    assert pc.WebDeploymentsApi(client).get_webdeployments_deployments().total == _count(
        org, "/api/v2/webdeployments/deployments")


def test_sdk_error_body_is_the_real_shape(client: Any) -> None:
    with pytest.raises(pc.rest.ApiException) as err:
        pc.RoutingApi(client).get_routing_queue("no-such-queue")
    assert err.value.status == 404
    assert '"code":"not.found"' in err.value.body


def test_audit_api_reads_audit_records_through_the_sdk(fresh_sim: SimServer) -> None:
    from datetime import UTC, datetime, timedelta

    c = pc.ApiClient(host=fresh_sim.base_url).get_client_credentials_token(
        "gcsim-client", "gcsim-secret")
    req = pc.CreateQueueRequest()
    req.name = "Audited"
    q = pc.RoutingApi(c).post_routing_queues(req)
    now = datetime.now(UTC)
    body = pc.AuditRealtimeQueryRequest()
    body.interval = (f"{(now - timedelta(hours=1)).isoformat()}/"
                     f"{(now + timedelta(hours=1)).isoformat()}")
    body.service_name = "Routing"
    res = pc.AuditApi(c).post_audits_query_realtime(body)
    assert [(e.entity.id, e.action) for e in res.entities] == [(q.id, "Create")]
