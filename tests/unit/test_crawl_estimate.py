"""The estimate a long crawl prints before it has read much."""

from __future__ import annotations

from gcmap.cli.live import CrawlEstimate


def test_the_estimate_counts_pages_members_and_dependencies_at_the_pacing() -> None:
    lines: list[str] = []
    est = CrawlEstimate({"queue", "flow", "user"}, 300, 1, lines.append)
    est.update("queue", 1, 4, 500)   # 4 pages; 500 queues -> 500 member listings
    est.update("flow", 1, 2, 500)    # 2 pages; 500 flows -> 500 dependency reads
    assert lines == []               # not every listing has answered yet
    est.update("user", 1, 20, 500)
    est.update("user", 2, 20, 1000)  # printed once only
    assert lines == ["about 1,026 API calls: ~3 min at 300/min with 1 token(s); --tokens 2 "
                     "halves it (each token has its own rate limit)"]


def test_a_short_crawl_or_an_unpaced_one_prints_nothing() -> None:
    lines: list[str] = []
    CrawlEstimate({"queue"}, 300, 1, lines.append).update("queue", 1, 3, 10)
    CrawlEstimate({"queue"}, 0, 1, lines.append).update("queue", 1, 3000, 10)
    assert lines == []
