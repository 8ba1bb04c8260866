"""Records written by hand in the SDK models' JSON (checked against them), one per type the
map grew by, with the edges a person expects written out: what the registry must make of
them, without the test deriving anything from the registry's own paths."""

from __future__ import annotations

from typing import Any

import pytest

from gcmap.domain.build import build_graph
from tests.integration.sdk_models import unknown_fields


def r(rid: str) -> dict[str, str]:
    return {"id": rid}


# (listing path, SDK model, record, expected (field, target key) edges)
CASES: list[tuple[str, str, dict[str, Any], set[tuple[str, str]]]] = [
    ("/api/v2/outbound/campaigns", "Campaign",
     {"id": "x", "name": "Renewals", "division": r("d1"), "contactList": r("cl1"),
      "queue": r("q1"), "script": r("sc1"), "edgeGroup": r("eg1"), "site": r("st1"),
      "dncLists": [r("dnc1")], "callableTimeSet": r("t1"),
      "callAnalysisResponseSet": r("ras1"), "ruleSets": [r("rs1")],
      "contactListFilters": [r("f1")], "dialingMode": "preview"},
     {("division", "division:d1"), ("contactList", "contact_list:cl1"),
      ("queue", "queue:q1"), ("script", "script:sc1"), ("edgeGroup", "edge_group:eg1"),
      ("site", "site:st1"), ("dncLists[]", "dnc_list:dnc1"),
      ("callableTimeSet", "callable_time_set:t1"),
      ("callAnalysisResponseSet", "response_set:ras1"), ("ruleSets[]", "rule_set:rs1"),
      ("contactListFilters[]", "contact_list_filter:f1")}),
    ("/api/v2/routing/email/domains/{domainName}/routes", "InboundRoute",
     {"id": "x", "pattern": "support", "queue": r("q1"), "flow": r("f1"),
      "spamFlow": r("f2"), "skills": [r("s1")], "language": r("l1"),
      "replyEmailAddress": {"domain": r("example.com"), "route": r("rt2")}},
     {("queue", "queue:q1"), ("flow", "flow:f1"), ("spamFlow", "flow:f2"),
      ("skills[]", "skill:s1"), ("language", "language:l1"),
      ("replyEmailAddress.domain", "email_domain:example.com"),
      ("replyEmailAddress.route", "email_route:rt2"),
      ("domainName", "email_domain:example.com")}),  # listed under its domain
    ("/api/v2/oauth/clients", "OAuthClient",
     {"id": "x", "name": "Pipeline", "authorizedGrantType": "CLIENT-CREDENTIALS",
      "roleDivisions": [{"roleId": "r1", "divisionId": "d1"}]},
     {("roleDivisions[].roleId", "role:r1"), ("roleDivisions[].divisionId", "division:d1")}),
    ("/api/v2/routing/message/recipients", "Recipient",
     {"id": "x", "name": "+13175550100", "messengerType": "sms", "flow": r("f1")},
     {("flow", "flow:f1")}),
    ("/api/v2/outbound/contactlistfilters", "ContactListFilter",
     {"id": "x", "name": "Lapsed", "contactList": r("cl1"), "filterType": "AND"},
     {("contactList", "contact_list:cl1")}),
    ("/api/v2/outbound/rulesets", "RuleSet",
     {"id": "x", "name": "Rules", "contactList": r("cl1"), "queue": r("q1"), "rules": []},
     {("contactList", "contact_list:cl1"), ("queue", "queue:q1")}),
    ("/api/v2/outbound/sequences", "CampaignSequence",
     {"id": "x", "name": "Seq", "campaigns": [r("c1"), r("c2")], "status": "on"},
     {("campaigns[]", "campaign:c1"), ("campaigns[]", "campaign:c2")}),
    ("/api/v2/outbound/campaignrules", "CampaignRule",
     {"id": "x", "name": "Stop", "enabled": True, "campaignRuleEntities": {
         "campaigns": [r("c1")], "sequences": [r("s1")]}},
     {("campaignRuleEntities.campaigns[]", "campaign:c1"),
      ("campaignRuleEntities.sequences[]", "campaign_sequence:s1")}),
    ("/api/v2/outbound/messagingcampaigns", "MessagingCampaign",
     {"id": "x", "name": "SMS", "division": r("d1"), "contactList": r("cl1"),
      "callableTimeSet": r("t1"), "dncLists": [r("dnc1")], "ruleSets": [r("rs1")],
      "contactListFilters": [r("f1")], "campaignStatus": "off"},
     {("division", "division:d1"), ("contactList", "contact_list:cl1"),
      ("callableTimeSet", "callable_time_set:t1"), ("dncLists[]", "dnc_list:dnc1"),
      ("ruleSets[]", "rule_set:rs1"), ("contactListFilters[]", "contact_list_filter:f1")}),
    ("/api/v2/outbound/callanalysisresponsesets", "ResponseSet",
     {"id": "x", "name": "Machines", "responses": {
         "disposition.classification.callable.person": {
             "reactionType": "transfer_flow", "data": "f-out", "name": "Outbound"},
         "disposition.classification.callable.machine": {"reactionType": "hangup"}}},
     {("responses.disposition.classification.callable.person", "flow:f-out")}),
    ("/api/v2/conversations/messaging/integrations", "MessagingIntegration",
     {"id": "x", "name": "WhatsApp", "recipient": r("mr1"), "messagingSetting": r("ms1"),
      "supportedContent": r("sc1"), "status": "Active"},
     {("recipient", "message_recipient:mr1"), ("messagingSetting", "messaging_setting:ms1"),
      ("supportedContent", "supported_content:sc1")}),
    ("/api/v2/webdeployments/configurations", "WebDeploymentConfigurationVersion",
     {"id": "x", "name": "Web", "supportCenter": {"enabled": True, "knowledgeBase": r("kb1")},
      "authenticationSettings": {"enabled": True, "integrationId": "i1"}},
     {("supportCenter.knowledgeBase", "knowledge_base:kb1"),
      ("authenticationSettings.integrationId", "integration:i1")}),
    ("/api/v2/journey/actionmaps", "ActionMap",
     {"id": "x", "displayName": "Offer chat", "triggerWithSegments": ["seg1"],
      "triggerWithOutcomeProbabilityConditions": [{"outcomeId": "o1",
                                                   "maximumProbability": 0.5}],
      "action": {"mediaType": "architectFlow", "architectFlowFields": {
          "architectFlow": r("f1")}}},
     {("triggerWithSegments[]", "journey_segment:seg1"),
      ("triggerWithOutcomeProbabilityConditions[].outcomeId", "journey_outcome:o1"),
      ("action.architectFlowFields.architectFlow", "flow:f1")}),
    ("/api/v2/recording/mediaretentionpolicies", "Policy",
     {"id": "x", "name": "Keep calls", "enabled": True, "mediaPolicies": {
         "callPolicy": {"conditions": {"languages": [r("l1")], "forQueues": [r("q1")]},
                        "actions": {"integrationExport": {"integration": r("i1")}}},
         "emailPolicy": {"actions": {"assignMeteredEvaluations": [{
             "evaluationForm": r("ef1")}]}}}},
     {("mediaPolicies.callPolicy.conditions.languages[]", "language:l1"),
      ("mediaPolicies.callPolicy.conditions.forQueues[]", "queue:q1"),
      ("mediaPolicies.callPolicy.actions.integrationExport.integration", "integration:i1"),
      ("mediaPolicies.emailPolicy.actions.assignMeteredEvaluations[].evaluationForm",
       "evaluation_form:ef1")}),
    ("/api/v2/taskmanagement/worktypes", "Worktype",
     {"id": "x", "name": "Claims", "division": r("d1"), "defaultWorkbin": r("wb1"),
      "defaultQueue": r("q1"), "defaultSkills": [r("s1")], "defaultLanguage": r("l1"),
      "defaultScript": r("sc1"), "flow": r("f1")},
     {("division", "division:d1"), ("defaultWorkbin", "workbin:wb1"),
      ("defaultQueue", "queue:q1"), ("defaultSkills[]", "skill:s1"),
      ("defaultLanguage", "language:l1"), ("defaultScript", "script:sc1"),
      ("flow", "flow:f1")}),
]


@pytest.mark.parametrize(("source", "model", "record", "expected"), CASES,
                         ids=[c[1] for c in CASES])
def test_a_hand_written_record_gives_the_edges_a_person_expects(
        source: str, model: str, record: dict[str, Any],
        expected: set[tuple[str, str]]) -> None:
    assert unknown_fields(record, model) == []
    # A sub-listing is held per parent; the reply route it names is a route of the domain.
    listed: Any = {"example.com": [record, {"id": "rt2", "pattern": "billing"}]} \
        if "{" in source else [record]
    graph = build_graph({source: listed}).graph
    got = {(e.field, e.dst) for e in graph.edges() if e.src.endswith(":x")}
    assert got == expected


def test_the_wrapup_code_mapping_references_each_code_it_is_keyed_by() -> None:
    mapping = {"id": "m", "name": "Wrap-up code mappings", "defaultSet": ["Contact_UnCallable"],
               "mapping": {"w1": ["Number_UnCallable"], "w2": ["Right_Party_Contact"]}}
    assert unknown_fields(mapping, "WrapUpCodeMapping") == []
    graph = build_graph({"/api/v2/outbound/wrapupcodemappings": mapping}).graph
    assert sorted((e.field, e.dst) for e in graph.edges()) == [
        ("mapping", "wrapup_code:w1"), ("mapping", "wrapup_code:w2")]
