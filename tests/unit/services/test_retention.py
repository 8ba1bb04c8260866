"""Retention keeps the last N per org and the newest run of each day in the window."""

from __future__ import annotations

from typing import Any

from gcmap.services.retention import DAY, RetentionPolicy, plan_retention

NOW = 100 * DAY


def _run(i: int, org: str, day: float, status: str = "succeeded") -> dict[str, Any]:
    return {"id": f"{org}-{i:03d}", "orgKey": org, "status": status,
            "createdAt": NOW - day * DAY}


def test_the_last_runs_and_one_a_day_stay() -> None:
    # Org a: two runs a day for 40 days (newest first: day 0.1 and 0.5 of each day ago).
    runs = [_run(2 * d + k, "a", d + (0.1 if k == 0 else 0.5)) for d in range(40)
            for k in range(2)]
    runs += [_run(0, "b", 60), _run(1, "b", 70)]  # org b: two old runs
    runs += [_run(99, "a", 50, "running"), _run(98, "a", 55, "queued")]
    gone = set(plan_retention(runs, NOW, RetentionPolicy(keep_last=5, daily_days=10)))
    kept = {r["id"] for r in runs} - gone
    a_finished = sorted((r for r in runs if r["orgKey"] == "a" and r["status"] == "succeeded"),
                        key=lambda r: -r["createdAt"])
    last5 = {r["id"] for r in a_finished[:5]}
    daily = {f"a-{2 * d:03d}" for d in range(10)}  # the newer run of each of the last 10 days
    assert kept == last5 | daily | {"b-000", "b-001", "a-099", "a-098"}


def test_failed_runs_count_toward_the_last_n_but_not_the_daily_ones() -> None:
    runs = [_run(0, "a", 0.1, "failed"), _run(1, "a", 0.2), _run(2, "a", 1.1, "failed")]
    gone = plan_retention(runs, NOW, RetentionPolicy(keep_last=1, daily_days=5))
    assert gone == ["a-002"]  # a-000: the last one; a-001: day 0's newest success
