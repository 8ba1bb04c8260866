"""What a partial crawl did not read is named, so a diff does not report it as removed."""

from __future__ import annotations


def test_a_failed_read_of_grants_or_members_is_named_as_not_read() -> None:
    from gcmap.services.mapping import not_read_of

    report = {"partial": True, "failures": [{"type": "user_grant"}, {"type": "queue_member"},
                                             {"type": "flow"}]}
    assert not_read_of(report) == {
        "edgeFields": ["grants[].division", "grants[].role", "members[].user"],
        "types": ["flow"]}
