"""Commands that read a live org: the crawl with its progress bar, capture, doctor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from gcmap.cli.common import UsageError, check_types, err, errors, out, write
from gcmap.domain.model import Progress as CrawlProgress

__all__ = ["CrawlEstimate", "Divisions", "Types", "capture", "crawl_live", "doctor"]

Types = typer.Option(None, "--type", help="only read these node types (repeatable)")
Divisions = typer.Option(None, "--division", help="only read these division ids (repeatable)")


@contextmanager
def _progress(enabled: bool) -> Iterator[CrawlProgress]:
    """A progress bar per type on a terminal; silent otherwise."""
    if not enabled or not err.is_terminal:
        yield lambda t, d, n, o: None
        return
    with Progress(TextColumn("{task.description:<20}"), BarColumn(), TextColumn(
            "{task.completed}/{task.total} pages · {task.fields[objects]} objects"),
            TimeElapsedColumn(), console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(kind: str, done: int, total: int, objects: int) -> None:
            if kind not in tasks:
                tasks[kind] = bar.add_task(kind, total=total, objects=0)
            bar.update(tasks[kind], completed=done, total=max(total, done), objects=objects)
        yield update


class CrawlEstimate:
    """Prints, once the first page of (nearly) every listing is in, how many calls the
    crawl will take and how long at the pacing: pages known, plus one member listing per
    queue and one dependency read per flow."""

    def __init__(self, kinds: set[str], rate_per_min: float, tokens: int,
                 emit: Any = None) -> None:
        self.kinds, self.rate, self.tokens = kinds, rate_per_min, tokens
        self.emit = emit or (lambda line: err.print(line, soft_wrap=True))
        self.pages: dict[str, int] = {}
        self.objects: dict[str, int] = {}
        self.done = False

    def update(self, kind: str, done: int, total: int, objects: int) -> None:
        if kind not in self.kinds:
            return
        self.pages[kind], self.objects[kind] = max(total, done), objects
        if self.done or len(self.pages) < 0.9 * len(self.kinds) or not self.rate:
            return
        self.done = True
        calls = sum(self.pages.values()) + self.objects.get("queue", 0) + \
            self.objects.get("flow", 0)
        minutes = calls / (self.rate * self.tokens)
        if minutes >= 0.5:  # only long crawls are worth a line
            hint = "" if self.tokens > 1 else "; --tokens 2 halves it (each token has its " \
                "own rate limit)"
            self.emit(f"about {calls:,} API calls: ~{minutes:.0f} min at "
                      f"{self.rate:g}/min with {self.tokens} token(s){hint}")


def doctor_checks() -> list[Any]:
    """The listings ``gcmap doctor`` calls: every crawl row but the per-parent ones, which
    are read with their parent listing's permission."""
    from gcmap.adapters.genesys.crawl_plan import CRAWL

    return [spec for spec in CRAWL if spec.parent is None]


def crawl_live(types: list[str] | None, divisions: list[str] | None, tokens: int | None,
                concurrency: int | None, show_progress: bool, base_url: str | None = None,
                client_id: str | None = None, client_secret: str | None = None,
                rate: float | None = None, queue_wrapups: bool | None = None,
                ) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Crawl the org in ``GENESYS_*`` (or the given overrides): (org doc, report, env)."""
    from gcmap.adapters.genesys.client import ClientConfig
    from gcmap.adapters.genesys.source import CrawlOptions, GenesysOrgSource
    from gcmap.settings import GcmapSettings, GenesysSettings

    gs, settings = GenesysSettings(), GcmapSettings()
    cid = client_id or gs.client_id
    secret = client_secret or gs.client_secret.get_secret_value()
    if not cid or not secret:
        raise UsageError("no Genesys credentials: set GENESYS_CLIENT_ID and "
                         "GENESYS_CLIENT_SECRET (and GENESYS_ENVIRONMENT, e.g. mypurecloud.ie),"
                         " or map a capture with --from-file org.json, or try 'gcmap demo'")
    cfg = ClientConfig(cid, secret, environment=gs.environment,
                       base_url=base_url or gs.api_base_url,
                       rate_per_min=settings.rate_per_min if rate is None else rate,
                       tokens=tokens or settings.tokens,
                       concurrency=concurrency or settings.concurrency)
    opts = CrawlOptions(types=frozenset(types) if types else None,
                        divisions=frozenset(divisions) if divisions else None,
                        queue_wrapups=settings.queue_wrapups if queue_wrapups is None
                        else queue_wrapups, user_grants=settings.user_grants)
    from gcmap.adapters.genesys.crawl_plan import CRAWL
    from gcmap.observability.metrics import GenesysMetrics

    estimate = CrawlEstimate({c.kind for c in CRAWL if c.parent is None},
                             cfg.rate_per_min, cfg.tokens)
    with _progress(show_progress) as progress:
        def both(kind: str, done: int, total: int, objects: int) -> None:
            estimate.update(kind, done, total, objects)
            progress(kind, done, total, objects)

        source = GenesysOrgSource(cfg, progress=both, on_event=GenesysMetrics().hook)
        try:
            result = source.crawl(opts)
        finally:
            source.close()
    env = gs.environment if not (base_url or gs.api_base_url) else (base_url or
                                                                    gs.api_base_url or "")
    return result.doc, result.report, env


def capture(out_file: Path = typer.Option(..., "--out", help="org file to write"),
            types: list[str] | None = Types, divisions: list[str] | None = Divisions) -> None:
    """Read an org and save it as an org file (secrets redacted) for offline mapping."""
    from gcmap.domain.capture import redact_secrets

    check_types(types)
    with errors():
        doc, report, _ = crawl_live(types, divisions, None, None, True)
        write(json.dumps(redact_secrets(doc), sort_keys=True, indent=1), out_file)
    err.print(f"wrote {out_file} ({report['apiCalls']} API calls"
              + ("; PARTIAL: " + ", ".join(f["type"] for f in report["failures"])
                 if report["partial"] else "") + ")")


def doctor() -> None:
    """Check credentials, region and each read permission gcmap needs."""
    from gcmap.adapters.genesys.changes import AUDIT_PERMISSION, SERVICE_MAPPING
    from gcmap.adapters.genesys.client import ClientConfig, GenesysClient
    from gcmap.adapters.genesys.errors import GenesysApiError
    from gcmap.adapters.genesys.transport import TransportError
    from gcmap.domain.regions import region_of_environment
    from gcmap.settings import GenesysSettings

    gs = GenesysSettings()
    with errors():
        if not gs.client_id or not gs.client_secret.get_secret_value():
            raise UsageError("set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET first")
        client = GenesysClient(ClientConfig(gs.client_id, gs.client_secret.get_secret_value(),
                                            environment=gs.environment,
                                            base_url=gs.api_base_url))
        out.print(f"API {client.base_url} · region "
                  f"{region_of_environment(gs.api_base_url or gs.environment) or 'unknown'}")
        client.tokens.token(0)
        out.print("[green]ok[/] client credentials accepted")
    missing = 0
    for spec in doctor_checks():
        try:
            if spec.paging == "postcursor":  # a query listing: one entity is enough
                client.post(spec.path, {"pageSize": 1})
            else:
                client.get(spec.path, None if spec.paging == "single"
                           else {"pageSize": 1, **spec.params})
            out.print(f"[green]ok[/]   {spec.kind:<16} {spec.permission}")
        except GenesysApiError as exc:
            missing += 1
            perm = exc.permission or spec.permission
            out.print(f"[red]FAIL[/] {spec.kind:<16} HTTP {exc.status}: grant {perm}")
        except TransportError as exc:
            missing += 1
            out.print(f"[red]FAIL[/] {spec.kind:<16} {exc.kind}: {exc}")
    try:  # the service's change watch reads the audit feed
        client.get(SERVICE_MAPPING)
        out.print(f"[green]ok[/]   {'audit feed':<16} {AUDIT_PERMISSION}")
    except (GenesysApiError, TransportError) as exc:
        missing += 1
        out.print(f"[red]FAIL[/] {'audit feed':<16} {exc}: grant {AUDIT_PERMISSION} (the "
                  "service's change watch; without it only scheduled re-maps run)")
    raise typer.Exit(1 if missing else 0)
