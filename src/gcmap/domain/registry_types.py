"""The registry's row types: a node type (NodeSpec), a reference field (Ref), a per-object
sub-collection (SubCollection), and the helpers rows share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from gcmap.domain.model import EdgeKind

__all__ = [
    "DID_OWNER_TYPES",
    "MEMBER_GROUP_TYPES",
    "TEL",
    "USER_EXPAND",
    "Listing",
    "NodeSpec",
    "Paging",
    "Q",
    "Ref",
    "SubCollection",
    "T",
    "div",
    "groups",
]

MEMBER_GROUP_TYPES = {"GROUP": "group", "TEAM": "team", "SKILLGROUP": "skill_group"}
DID_OWNER_TYPES = {"USER": "user", "PHONE": "phone", "IVR_CONFIG": "ivr", "GROUP": "group"}


@dataclass(frozen=True)
class Ref:
    """One reference field.

    Attributes:
        path: JSON path on the source object.
        target: the node type referenced (ignored when ``by`` decides it).
        kind: ``failover`` for fields that only matter when something else fails.
        deferrable: the field can be set after both objects exist (IaC may defer it to break a
            creation-order cycle).
        by: (discriminator field, value -> node type, read on the record rather than the ref).
        self_ok: a reference to itself is the documented default, not a problem.
        inverse: the field lists objects that point back at the holder (a child listing); the
            edge is stored from the listed object to the holder, and only when that object
            does not already reference it.
        depth: the reference is part of the configuration that routing and IaC follow, so it
            counts toward ``depth-exceeded``; False for the org chart (managers), membership
            (skills held, groups, teams, member groups, owners), people (contacts, WebRTC
            users) and reply addresses. Division references never count.
        id_field: where the referenced id is, when the value is an object that keeps it in
            another field than ``id`` (a call-analysis reaction keeps its flow in ``data``).
        strict: with ``by``, only the listed discriminator values reference anything (a
            reaction that is not ``transfer_flow`` names no object).
        key: the referenced ids are the keys of the map the path's final ``*`` iterates (a
            wrap-up code mapping is keyed by wrap-up code id); the edge's field is the path
            without ``.*``.
    """

    path: str
    target: str
    kind: EdgeKind = "reference"
    deferrable: bool = False
    by: tuple[str, dict[str, str], bool] | None = None
    self_ok: bool = False
    inverse: bool = False
    depth: bool = True
    id_field: str = "id"
    strict: bool = False
    key: bool = False


Paging = Literal["page", "cursor", "idcursor", "single", "postcursor"]
TEL = "telephony:plugin:all"  # every telephony listing's read permission
# The user fields the registry reads; /users fills them only when named in expand.
USER_EXPAND = "skills,languages,groups,locations,team"


@dataclass(frozen=True)
class Listing:
    """How a type's records are listed (a type may have two listings, as users do).

    The evidence for each row is in docs/crawl.md.

    Attributes:
        page_size: the largest page the endpoint honours.
        paging: ``page`` (pageNumber/pageCount), ``cursor`` (follow nextUri),
            ``idcursor`` (``after`` = the last id seen, until an empty page), ``single``, or
            ``postcursor`` (a POST query to ``request_path`` with ``pageSize`` and ``after`` in
            the body; the answer's ``after`` is the next cursor, empty at the end).
        params: query parameters every request sends (expand, state, sortBy, ...).
        division_param: the query parameter that filters by division, if any.
        permission: the read permission the endpoint needs (named when it answers 403).
        request_path: the path to call when it is not the row's source (the inactive users
            come from ``/users/query``).
        part: names a second listing of the same type (progress, failures).
        cursor_param: the query parameter a cursor goes back in.
        by_ids: the listing's id filter (``id`` or ``ids``), when it takes one: changed
            objects are read again through it, many in one call, in the listing's own shape.
        item: the path parameter of the single-object GET, used to read a changed object
            again when the listing has no id filter; only where the SDK gives that GET the
            listing's entity model. With neither, a change re-reads the whole listing.
    """

    page_size: int
    paging: Paging = "page"
    params: dict[str, str] = field(default_factory=dict)
    division_param: str | None = None
    permission: str = ""
    request_path: str | None = None
    part: str = ""
    cursor_param: str = "after"
    by_ids: str = ""
    item: str = ""


@dataclass(frozen=True)
class NodeSpec:
    """One node type: where its records come from, its reference fields, kept attributes.

    Attributes:
        parent: (parent node type, field) when ``source`` is listed per parent (``{parent id:
            [records]}``); each record then references its parent under that field name (the
            path parameter it was listed under).
        read: how the crawl lists it, from the listing's path down to its permission.
    """

    type: str
    source: str
    refs: tuple[Ref, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    name_path: str = "name"
    parent: tuple[str, str] | None = None
    read: tuple[Listing, ...] = ()


@dataclass(frozen=True)
class SubCollection:
    """A per-object sub-collection that adds edges: ``source[parentId] -> [items]``."""

    source: str
    parent: str
    item_path: str
    target: str
    field: str
    kind: EdgeKind = "reference"
    extra: tuple[str, ...] = ()
    depth: bool = True


def div() -> Ref:
    return Ref("division", "division", depth=False)


def groups(path: str, kind: EdgeKind = "reference") -> Ref:
    """Member groups (groups, teams, skill groups): membership, not routing configuration."""
    return Ref(path, "", kind, by=("type", MEMBER_GROUP_TYPES, False), depth=False)


Q = "/api/v2/routing/queues"
T = "/api/v2/telephony/providers/edges"
