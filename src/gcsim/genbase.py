"""Org profiles (how many of each object) and the generator's helpers: ids, references."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from gcsim.paths import P_DIVISIONS
from gcsim.plants import CATALOGUE, Plant

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
    outboundflows: int
    contactlists: int
    dnclists: int
    callabletimesets: int
    responsesets: int
    rulesets: int
    campaigns: int
    sequences: int
    recipients: int
    libraries: int
    extensionpools: int
    utilizationlabels: int
    roles: int
    forms: int
    journeys: int


# Each size by keyword: one row per field of OrgProfile, one column per size.
_SIZE_TABLE = """
                     tiny   small  medium   large    huge
divisions               2       3       6      10      20
users                  20     300    3000    5000   30000
queues                  8      40     300     800    3000
flows                  10      50     400     600    3000
skills                  5      30     200     400    1500
languages               2       5      12      20      30
wrapupcodes             5      30     200     400    1500
groups                  3      15     100     200     800
teams                   2       8      60     120     500
skillgroups             2       5      30      60     200
schedules               4      24     200     400    2000
schedulegroups          2       8      60     120     600
ivrs                    3      12      80     200     800
emergencygroups         1       2       6      10      20
prompts                 6      40     400     900    4000
datatables              2       6      40      80     300
integrations            2       4      12      20      60
actions                 4      25     200     400    1500
locations               2       5      30      60     200
sites                   3       4      20      40     150
edges_per_site          2       2       2       3       3
trunkbases              4       8      30      60     200
routes_per_site         1       2       3       3       4
phonebases              1       3       8      12      30
phones                  5     150    2500    5000   25000
didpools                1       3      10      20      60
dids                    6     150    2500    5000   25000
scripts                 2      10      80     200     800
webdeployments          1       3      12      20      60
outboundflows           1       2       4       6      10
contactlists            2       6      30      60     200
dnclists                1       2       6      10      30
callabletimesets        1       2       4       6      10
responsesets            1       2       4       6      10
rulesets                1       3      10      20      60
campaigns               2       6      30      60     200
sequences               1       2       5      10      30
recipients              1       3      10      20      60
libraries               1       2       5      10      30
extensionpools          1       2       4       6      10
utilizationlabels       1       3       5       8      12
roles                   2       5      15      30      60
forms                   1       2       5      10      20
journeys                1       2       4       8      12
"""


def _sizes(table: str) -> dict[str, OrgProfile]:
    header, *rows = table.strip().splitlines()
    names = header.split()
    columns: dict[str, dict[str, int]] = {n: {} for n in names}
    for row in rows:
        field, *values = row.split()
        for n, v in zip(names, values, strict=True):
            columns[n][field] = int(v)
    return {n: OrgProfile(**c) for n, c in columns.items()}


SIZES: dict[str, OrgProfile] = _sizes(_SIZE_TABLE)


class GenBase:
    """What every part of the generator shares: the profile, the seeded random source, the
    org being built and the helpers that make ids and references."""

    def __init__(self, profile: OrgProfile, seed: int, weaknesses: bool) -> None:
        self.p = profile
        self.rng = random.Random(seed)
        self.weak = weaknesses
        self.org: dict[str, Any] = {}
        self.serial = 0
        self.plants: list[Plant] = []

    # -- helpers -------------------------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def chance(self, p: float) -> bool:
        """A planted weakness happens with probability ``p`` only in a weak org."""
        return self.weak and self.rng.random() < p

    def plant(self, name: str, *nodes: str, exact: bool = True) -> None:
        """Record a planted weakness (a ``CATALOGUE`` name) and the node keys its finding
        names."""
        rules, _ = CATALOGUE[name]
        self.plants.extend(Plant(r, tuple(sorted(nodes)), name, exact) for r in rules)

    @staticmethod
    def key(node_type: str, e: Entity) -> str:
        """The node key of an object (``type:id``), as a mapping names it."""
        return f"{node_type}:{e['id']}"

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
