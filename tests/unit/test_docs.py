"""The README stays true to the code: every rule and command it should document, it does."""

from __future__ import annotations

from pathlib import Path

from gcmap.cli.main import app
from gcmap.domain.failover import RULES

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_readme_documents_every_failover_rule() -> None:
    missing = [r for r in RULES if f"`{r}`" not in README]
    assert missing == []


def test_readme_documents_every_cli_command() -> None:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in
             app.registered_commands]
    missing = [n for n in names if f"gcmap {n}" not in README]
    assert missing == []


def test_quick_start_is_exactly_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    assert [line for line in block.splitlines() if line.strip()] == ["make demo", "make test"]


def test_every_permission_the_crawl_needs_is_in_the_readme() -> None:
    from gcmap.adapters.genesys.crawl_plan import CRAWL

    needed = {s.permission for s in CRAWL if s.permission}
    assert needed and [p for p in sorted(needed) if f"`{p}`" not in README] == []
