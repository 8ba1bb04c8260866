"""Org profiles (how many of each object) and the generator's helpers: ids, references."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from gcsim.paths import P_DIVISIONS

__all__ = ["SIZES", "Entity", "GenBase", "OrgProfile"]

Entity = dict[str, Any]


@dataclass(frozen=True)
class OrgProfile:
    """How many objects of each kind a generated org holds."""

    divisions: int
    users: int
    queues: int
    flows: int
    skills: int
    languages: int
    wrapupcodes: int
    groups: int
    teams: int
    skillgroups: int
    schedules: int
    schedulegroups: int
    ivrs: int
    emergencygroups: int
    prompts: int
    datatables: int
    integrations: int
    actions: int
    locations: int
    sites: int
    edges_per_site: int
    trunkbases: int
    routes_per_site: int
    phonebases: int
    phones: int
    didpools: int
    dids: int
    scripts: int
    webdeployments: int


SIZES: dict[str, OrgProfile] = {
    "tiny": OrgProfile(2, 20, 8, 10, 5, 2, 5, 3, 2, 2, 4, 2, 3, 1, 6, 2, 2, 4, 2, 3, 2, 4, 1, 1,
                       5, 1, 6, 2, 1),
    "small": OrgProfile(3, 300, 40, 50, 30, 5, 30, 15, 8, 5, 24, 8, 12, 2, 40, 6, 4, 25, 5, 4, 2,
                        8, 2, 3, 150, 3, 150, 10, 3),
    "medium": OrgProfile(6, 3000, 300, 400, 200, 12, 200, 100, 60, 30, 200, 60, 80, 6, 400, 40,
                         12, 200, 30, 20, 2, 30, 3, 8, 2500, 10, 2500, 80, 12),
    "large": OrgProfile(10, 5000, 800, 600, 400, 20, 400, 200, 120, 60, 400, 120, 200, 10, 900,
                        80, 20, 400, 60, 40, 3, 60, 3, 12, 5000, 20, 5000, 200, 20),
    "huge": OrgProfile(20, 30000, 3000, 3000, 1500, 30, 1500, 800, 500, 200, 2000, 600, 800, 20,
                       4000, 300, 60, 1500, 200, 150, 3, 200, 4, 30, 25000, 60, 25000, 800, 60),
}


class GenBase:
    """What every part of the generator shares: the profile, the seeded random source, the
    org being built and the helpers that make ids and references."""

    def __init__(self, profile: OrgProfile, seed: int, weaknesses: bool) -> None:
        self.p = profile
        self.rng = random.Random(seed)
        self.weak = weaknesses
        self.org: dict[str, Any] = {}
        self.serial = 0

    # -- helpers -------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def chance(self, p: float) -> bool:
        """A planted weakness happens with probability ``p`` only in a weak org."""
        return self.weak and self.rng.random() < p

    @staticmethod
    def ref(e: Entity, path: str) -> Entity:
        return {"id": e["id"], "name": e["name"], "selfUri": f"{path}/{e['id']}"}

    def div(self) -> Entity:
        d = self.rng.choice(self.org[P_DIVISIONS])
        return self.ref(d, P_DIVISIONS)

    def base(self, path: str, name: str, division: bool = True) -> Entity:
        e: Entity = {"id": self.uid(), "name": name}
        if division:
            e["division"] = self.div()
        e["selfUri"] = f"{path}/{e['id']}"
        return e

    def many(self, path: str, n: int, prefix: str, division: bool = True) -> list[Entity]:
        items = [self.base(path, f"{prefix} {i + 1:05d}", division) for i in range(n)]
        self.org[path] = items
        return items

    # -- generation ----------------------------------------------------------------------
