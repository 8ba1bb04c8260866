"""The weaknesses gcsim plants in an org, by name, with the finding each must produce.

Every plant states the rule a correct mapper reports it under and the node keys that finding
names (``type:id``, the keys of gcmap's mapping document). Tests compare a mapping's findings
with the plants of the same org one to one, so a rule that stops firing, fires on the wrong
object or fires twice is caught, and so is a plant that stops being planted.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CATALOGUE", "SHARED_RULES", "Plant", "planted_rules"]


@dataclass(frozen=True, order=True)
class Plant:
    """One planted weakness and the finding it must produce.

    Attributes:
        rule: the finding's rule id.
        nodes: the node keys the finding names, sorted.
        name: the catalogue entry.
        exact: False when the finding may name more objects than gcsim can tell (the flows
            that route to a queue, the rest of a reference chain).
    """

    rule: str
    nodes: tuple[str, ...]
    name: str
    exact: bool = True


# name -> (rules it triggers, what was planted)
CATALOGUE: dict[str, tuple[tuple[str, ...], str]] = {
    "shared-chat-flow": (("failover.single-point-of-failure",),
                         "two web deployments start on one flow, which takes both down"),
    "shared-single-queue": (("failover.single-point-of-failure",),
                            "two IVRs open on one flow that routes to one queue with no "
                            "fallback: the flow and the queue each take both down"),
    "backup-queue-self": (("failover.backup-queue-self", "self-reference"),
                          "a queue is its own direct-routing backup"),
    "backup-queue-missing": (("failover.backup-queue-missing", "dangling-reference"),
                             "a queue's backup queue does not exist"),
    "backup-queue-empty": (("failover.backup-queue-empty",),
                           "a queue's backup queue has nobody to answer"),
    "backup-loop": (("failover.backup-loop",), "two queues back each other up"),
    "queue-no-agents": (("failover.queue-no-agents",),
                        "a flow routes calls to a queue with no members"),
    "queue-flow-deleted": (("dangling-reference",), "a queue's in-queue flow was deleted"),
    "leaver-in-queue": (("failover.inactive-user",), "an inactive user is still a member"),
    "leaver-owns-number": (("failover.inactive-user",),
                           "a phone number is still assigned to an inactive user"),
    "empty-skill-group": (("failover.member-group-empty",),
                          "a queue's member group is a skill group nobody matches"),
    "long-backup-chain": (("depth-exceeded",), "ten queues back each other up in a chain, "
                          "so the deepest chain is at least nine references deep"),
    "dependency-index-stale": (("failover.dependency-index-stale",),
                               "dependency tracking needs a rebuild"),
    "flow-uses-deleted-queue": (("dangling-reference",),
                                "a flow's consumed resources name a deleted queue"),
    "action-integration-deleted": (("dangling-reference",),
                                   "a data action's integration does not exist"),
    "schedule-group-empty": (("failover.schedule-group-empty",),
                             "an IVR's schedule group has no schedules"),
    "unpublished-flow-in-use": (("failover.unpublished-flow",),
                                "an IVR or queue routes to a flow that was never published"),
    "ivr-no-closed-flow": (("failover.ivr-no-closed-flow",), "an IVR has no closed-hours flow"),
    "ivr-no-holiday-flow": (("failover.ivr-no-holiday-flow",), "an IVR has no holiday flow"),
    "ivr-no-emergency-group": (("failover.ivr-no-emergency-group",),
                               "no emergency group covers an IVR"),
    "emergency-flow-missing": (("failover.emergency-flow-missing",),
                               "an emergency group entry has no emergency flow"),
    "site-single-edge": (("failover.site-single-edge",), "a premises site has one Edge"),
    "site-secondary-self": (("failover.site-secondary-self", "self-reference"),
                            "a site names itself as its secondary site"),
    "site-no-secondary": (("failover.site-no-secondary",), "a site has no secondary site"),
    "single-trunk": (("failover.single-trunk",), "an outbound route has one trunk base"),
    "route-trunk-base-missing": (("failover.trunk-base-missing", "dangling-reference"),
                                 "an outbound route names a trunk base that never existed"),
    "route-trunk-base-deleted": (("failover.trunk-base-missing", "dangling-reference"),
                                 "an outbound route names a deleted trunk base"),
    "phone-base-deleted": (("dangling-reference",), "a phone's base settings were deleted"),
    "campaign-queue-no-agents": (("failover.campaign-queue-no-agents",),
                                 "an outbound campaign dials for a queue with no members"),
    "campaign-queue-missing": (("failover.campaign-queue-missing", "dangling-reference"),
                               "an outbound campaign names a queue that does not exist"),
    "recipient-flow-missing": (("failover.recipient-flow-missing", "dangling-reference"),
                               "a message recipient routes to a flow that does not exist"),
    "worktype-queue-missing": (("failover.worktype-queue-missing", "dangling-reference"),
                               "a work type routes to a queue that does not exist"),
    "worktype-queue-no-agents": (("failover.worktype-queue-no-agents",),
                                 "a work type routes to a queue with no members"),
}


# Rules that also fire on what an org has by nature (IVRs share flows): their plants must be
# found, but not every finding under them is a plant.
SHARED_RULES = frozenset({"failover.single-point-of-failure"})


def planted_rules() -> frozenset[str]:
    """Every rule only plants trigger: for these, findings and plants match one to one."""
    return frozenset(r for rules, _ in CATALOGUE.values() for r in rules) - SHARED_RULES
