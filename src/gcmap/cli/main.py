"""The ``gcmap`` command line."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from gcmap.cli import render

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Map, validate and check failover of a Genesys Cloud org.")
out = Console()
err = Console(stderr=True)

FORMATS = ("table", "json", "dot", "graphml", "mermaid", "cytoscape")
SEVERITIES = ("error", "warning", "info")


class UsageError(Exception):
    """A usage or configuration problem: exit 2 with a one-line message naming the fix."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fail(message: str) -> None:
    err.print(f"gcmap: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def _errors() -> Iterator[None]:
    from gcmap.adapters.genesys.errors import AuthError
    from gcmap.domain.errors import DomainError

    try:
        yield
    except (UsageError, AuthError, DomainError, ValueError) as exc:
        _fail(str(exc))


def _read_json(path: Path, what: str) -> Any:
    if not path.is_file():
        raise UsageError(f"{what} {path} not found")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc.msg} at line {exc.lineno})") from exc


def _write(text: str | bytes, output: Path | None) -> None:
    """Write to stdout, or atomically to a file (never half-written)."""
    data = text.encode() if isinstance(text, str) else text
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int, int], None]]:
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


def _crawl_live(types: list[str] | None, divisions: list[str] | None, tokens: int | None,
                concurrency: int | None, show_progress: bool, base_url: str | None = None,
                client_id: str | None = None, client_secret: str | None = None,
                rate: float | None = None) -> tuple[dict[str, Any], dict[str, Any], str]:
    from gcmap.adapters.genesys.client import ClientConfig
    from gcmap.adapters.genesys.source import CrawlOptions, GenesysOrgSource
    from gcmap.domain.registry import NODE_TYPES
    from gcmap.settings import GcmapSettings, GenesysSettings

    gs, settings = GenesysSettings(), GcmapSettings()
    cid = client_id or gs.client_id
    secret = client_secret or gs.client_secret.get_secret_value()
    if not cid or not secret:
        raise UsageError("no Genesys credentials: set GENESYS_CLIENT_ID and "
                         "GENESYS_CLIENT_SECRET (and GENESYS_ENVIRONMENT, e.g. mypurecloud.ie),"
                         " or map a capture with --from-file org.json, or try 'gcmap demo'")
    unknown = sorted(set(types or []) - set(NODE_TYPES))
    if unknown:
        raise UsageError(f"unknown type(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(NODE_TYPES)}")
    cfg = ClientConfig(cid, secret, environment=gs.environment,
                       base_url=base_url or gs.api_base_url,
                       rate_per_min=settings.rate_per_min if rate is None else rate,
                       tokens=tokens or settings.tokens,
                       concurrency=concurrency or settings.concurrency)
    opts = CrawlOptions(types=frozenset(types) if types else None,
                        divisions=frozenset(divisions) if divisions else None)
    from gcmap.observability.metrics import GenesysMetrics

    with _progress(show_progress) as progress:
        source = GenesysOrgSource(cfg, progress=progress, on_event=GenesysMetrics().hook)
        try:
            result = source.crawl(opts)
        finally:
            source.close()
    env = gs.environment if not (base_url or gs.api_base_url) else (base_url or
                                                                    gs.api_base_url or "")
    return result.doc, result.report, env


def _source(from_file: Path | None, environment: str | None, **live: Any,
            ) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    if from_file is not None:
        doc = _read_json(from_file, "org file")
        if not isinstance(doc, dict) or not any(k.startswith("/api/v2/") for k in doc):
            raise UsageError(f"{from_file} is not an org file (one JSON object keyed by API "
                             "paths); write one with 'gcmap capture --out org.json'")
        return doc, None, environment or "mypurecloud.com"
    return _crawl_live(**live)


def _map(doc: dict[str, Any], report: dict[str, Any] | None, env: str,
         max_depth: int | None = None, probe: bool = False, settings: Any = None) -> Any:
    from gcmap.services.mapping import map_org
    from gcmap.settings import GcmapSettings

    if max_depth is None:
        max_depth = (settings or GcmapSettings()).max_depth

    findings, summaries = _probe(doc, env, settings) if probe else ([], None)
    outcome = map_org(doc, environment=env, generated_at=_now(), max_depth=max_depth,
                      crawl_report=report, extra_findings=findings)
    if summaries is not None:
        outcome.document["stats"]["endpoints"] = summaries
    return outcome


def _probe(doc: dict[str, Any], env: str, settings: Any = None,
           ) -> tuple[list[Any], list[dict[str, Any]]]:
    """Probe the org's external endpoints (data-action hosts, GCMAP_PROBE_URLS, API hosts)."""
    from gcmap.container import probe_org
    from gcmap.settings import GcmapSettings

    err.print("probing external endpoints…")
    return probe_org(doc, env, settings or GcmapSettings())


def _export(document: dict[str, Any], fmt: str) -> str:
    from gcmap.domain import export
    from gcmap.domain.document import canonical_json

    if fmt == "json":
        return canonical_json(document).decode() + "\n"
    return {"dot": export.to_dot, "graphml": export.to_graphml, "mermaid": export.to_mermaid,
            "cytoscape": export.to_cytoscape}[fmt](document)


def _fail_on(document: dict[str, Any], fail_on: str | None) -> None:
    if fail_on is None:
        return
    if fail_on not in SEVERITIES:
        _fail(f"--fail-on must be one of {', '.join(SEVERITIES)}")
    worst = SEVERITIES.index(fail_on)
    hits = [f for f in document["findings"] if SEVERITIES.index(f["severity"]) <= worst]
    if hits:
        err.print(f"gcmap: {len(hits)} finding(s) at or above {fail_on}")
        raise typer.Exit(1)


FromFile = typer.Option(None, "--from-file", help="map an org file (gcmap capture) offline")
Types = typer.Option(None, "--type", help="only read these node types (repeatable)")
Divisions = typer.Option(None, "--division", help="only read these division ids (repeatable)")


@app.command("map")
def map_cmd(from_file: Path | None = FromFile,
            fmt: str = typer.Option("table", "--format", "-f", help="|".join(FORMATS)),
            output: Path | None = typer.Option(None, "--output", "-o"),
            fail_on: str | None = typer.Option(None, "--fail-on", help="error|warning|info"),
            max_depth: int | None = typer.Option(
                None, "--max-depth", min=1,
                help="depth limit for depth-exceeded (default GCMAP_MAX_DEPTH, 8)"),
            types: list[str] | None = Types, divisions: list[str] | None = Divisions,
            tokens: int | None = typer.Option(None, "--tokens", min=1, max=20),
            concurrency: int | None = typer.Option(None, "--concurrency", min=1, max=64),
            environment: str | None = typer.Option(None, "--environment",
                                                   help="environment of a --from-file org"),
            probe: bool = typer.Option(False, "--probe",
                                       help="probe external endpoints (latency, reachability)"),
            ) -> None:
    """Map an org: read it, build the dependency graph, validate it, check failover.

    Examples: gcmap map · gcmap map --format json -o mapping.json --fail-on error ·
    gcmap map --from-file org.json --format dot -o org.dot
    """
    if fmt not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}")
    with _errors():
        doc, report, env = _source(from_file, environment, types=types, divisions=divisions,
                                   tokens=tokens, concurrency=concurrency,
                                   show_progress=fmt == "table" or output is not None)
        outcome = _map(doc, report, env, max_depth, probe)
        if fmt == "table":
            if output is not None:
                _write(_export(outcome.document, "json"), output)
            render.render_report(out, outcome.document)
        else:
            _write(_export(outcome.document, fmt), output)
    _fail_on(outcome.document, fail_on)


@app.command()
def demo(org: str = typer.Option("medium", help="gcsim org size"),
         seed: int = typer.Option(1), output: Path | None = typer.Option(
             Path("out/demo-mapping.json"), "--output", "-o",
             help="where to keep the mapping document")) -> None:
    """Map a simulated org end to end: nothing to configure, no credentials."""
    import time

    from gcmap.settings import GcmapSettings
    from gcsim import SimConfig, SimServer, generate_org
    from gcsim.externals import ExternalServices

    t0 = time.perf_counter()
    sim_rate = 6000.0  # the demo's simulated limit; real orgs default to 300/min per token
    org_doc = generate_org(org, seed)
    # The simulated org's data actions call simulated services on this machine (fast, slow,
    # failing, down), so the probes have something real to measure.
    probe_settings = GcmapSettings(outbound_allow_cidrs="127.0.0.0/8", probe_timeout=2.0,
                                   probe_attempts=3, probe_slow_ms=1000)
    with ExternalServices() as services, \
            SimServer(org_doc, SimConfig(rate_limit=sim_rate)) as sim, _errors():
        services.attach(sim.state.org)
        err.print(f"gcsim: simulated {org} org on {sim.base_url} (limit {sim_rate:.0f} "
                  "requests/min per token); its data actions call simulated services on "
                  "127.0.0.1")
        doc, report, _ = _crawl_live(None, None, 2, 8, True, base_url=sim.base_url,
                                     client_id="gcsim-client", client_secret="gcsim-secret",
                                     rate=sim_rate)
        outcome = _map(doc, report, "mypurecloud.com", probe=True, settings=probe_settings)
    if output is not None:
        _write(_export(outcome.document, "json"), output)
    render.render_report(out, outcome.document)
    out.rule("Go further")
    where = output or Path("mapping.json")
    out.print(f"mapping document: {where}  ·  done in {time.perf_counter() - t0:.1f} s")
    some_queue = next((n["key"] for n in outcome.document["nodes"] if n["type"] == "queue"), "")
    out.print(f"  gcmap impact {some_queue} --mapping {where} --depth 2", highlight=False)
    out.print(f"  gcmap export --mapping {where} --format dot -o org.dot", highlight=False)
    out.print("  gcmap map --from-file org.json --format json   (after gcmap capture)")
    out.print("  the graph view: gcsim generate --org medium --out org.json; "
              "GCMAP_ORG_FILE=org.json gcmap serve; a key from 'gcmap apikey create --name me "
              "--scope mappings:read --scope mappings:write'; POST /api/v1/mappings; then open "
              "http://127.0.0.1:8080/ui (see README, Graph view)", highlight=False)
    out.print("  gcsim serve --org large   (then point GENESYS_API_BASE_URL at it)")


@app.command()
def capture(out_file: Path = typer.Option(..., "--out", help="org file to write"),
            types: list[str] | None = Types, divisions: list[str] | None = Divisions) -> None:
    """Read an org and save it as an org file (secrets redacted) for offline mapping."""
    from gcmap.domain.capture import redact_secrets

    with _errors():
        doc, report, _ = _crawl_live(types, divisions, None, None, True)
        _write(json.dumps(redact_secrets(doc), sort_keys=True, indent=1), out_file)
    err.print(f"wrote {out_file} ({report['apiCalls']} API calls"
              + ("; PARTIAL: " + ", ".join(f["type"] for f in report["failures"])
                 if report["partial"] else "") + ")")


def _load_mapping(path: Path) -> dict[str, Any]:
    doc = _read_json(path, "mapping document")
    if not isinstance(doc, dict) or doc.get("schemaVersion") != 1:
        raise UsageError(f"{path} is not a gcmap mapping document; write one with "
                         "'gcmap map --format json -o mapping.json'")
    return doc


@app.command()
def impact(key: str, mapping: Path = typer.Option(..., "--mapping", "-m"),
           depth: int = typer.Option(3, "--depth", min=1),
           direction: str = typer.Option("usedby", help="uses|usedby"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """What depends on KEY (usedby) or what KEY depends on (uses), to a depth."""
    from gcmap.domain.document import graph_from_document
    from gcmap.domain.impact import impact as run_impact

    with _errors():
        doc = _load_mapping(mapping)
        graph = graph_from_document(doc)
        if key not in graph:
            near = [n["key"] for n in doc["nodes"] if key.lower() in
                    (n["name"] or "").lower() or key in n["key"]][:5]
            hint = f"; did you mean {', '.join(near)}" if near else ""
            raise UsageError(f"{key} is not in {mapping} (keys are <type>:<id>){hint}")
        if direction not in ("uses", "usedby"):
            raise UsageError("--direction must be uses or usedby")
        result = run_impact(graph, key, depth, direction)  # type: ignore[arg-type]
    if as_json:
        _write(json.dumps(result, indent=1) + "\n", None)
    else:
        render.render_impact(out, result)


@app.command()
def diff(old: Path, new: Path, as_json: bool = typer.Option(False, "--json")) -> None:
    """What changed between two mapping documents."""
    from gcmap.domain.diff import diff_documents

    with _errors():
        result = diff_documents(_load_mapping(old), _load_mapping(new))
    if as_json:
        _write(json.dumps(result, indent=1) + "\n", None)
    else:
        render.render_diff(out, result)


@app.command()
def export(mapping: Path = typer.Option(..., "--mapping", "-m"),
           fmt: str = typer.Option("dot", "--format", "-f"),
           node: str | None = typer.Option(None, "--node", help="export a neighbourhood"),
           depth: int = typer.Option(2, "--depth", min=1),
           output: Path | None = typer.Option(None, "--output", "-o")) -> None:
    """Export a mapping document (or a node's neighbourhood) as dot, graphml, mermaid,
    cytoscape or json."""
    from gcmap.domain.document import graph_from_document
    from gcmap.domain.export import subgraph
    from gcmap.domain.impact import impact as run_impact

    if fmt not in FORMATS[1:]:
        _fail(f"--format must be one of {', '.join(FORMATS[1:])}")
    with _errors():
        doc = _load_mapping(mapping)
        if node:
            g = graph_from_document(doc)
            if node not in g:
                raise UsageError(f"{node} is not in {mapping}")
            keys = {node}
            for d in ("uses", "usedby"):
                keys |= {n["key"] for n in run_impact(g, node, depth, d)["nodes"]}
            doc = subgraph(doc, keys)
        _write(_export(doc, fmt), output)


@app.command()
def order(from_file: Path | None = FromFile, as_json: bool = typer.Option(False, "--json"),
          environment: str | None = typer.Option(None, "--environment")) -> None:
    """The create order for IaC: referenced objects first; fields to set afterwards."""
    with _errors():
        doc, report, env = _source(from_file, environment, types=None, divisions=None,
                                   tokens=None, concurrency=None, show_progress=not as_json)
        outcome = _map(doc, report, env)
    steps = [{"nodes": list(s.nodes), "deferred": [
        {"from": e.src, "to": e.dst, "field": e.field} for e in s.deferred]}
        for s in outcome.validation.order]
    if as_json:
        _write(json.dumps(steps, indent=1) + "\n", None)
    else:
        render.render_order(out, steps)


@app.command()
def failover(from_file: Path | None = FromFile,
             environment: str | None = typer.Option(None, "--environment"),
             fail_on: str | None = typer.Option(None, "--fail-on"),
             probe: bool = typer.Option(False, "--probe",
                                        help="also probe external endpoints")) -> None:
    """Failover weaknesses of an org, as a table (with --probe: endpoint latency too)."""
    with _errors():
        doc, report, env = _source(from_file, environment, types=None, divisions=None,
                                   tokens=None, concurrency=None, show_progress=True)
        outcome = _map(doc, report, env, probe=probe)
    render.render_failover(out, outcome.document)
    if probe:
        render.render_endpoints(out, outcome.document)
    _fail_on({"findings": [f for f in outcome.document["findings"]
                           if f["rule"].startswith("failover.")]}, fail_on)


@app.command()
def doctor() -> None:
    """Check credentials, region and each read permission gcmap needs."""
    from gcmap.adapters.genesys.client import ClientConfig, GenesysClient
    from gcmap.adapters.genesys.crawl_plan import CRAWL
    from gcmap.adapters.genesys.errors import GenesysApiError
    from gcmap.adapters.genesys.transport import TransportError
    from gcmap.domain.regions import region_of_environment
    from gcmap.settings import GenesysSettings

    gs = GenesysSettings()
    with _errors():
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
    for spec in CRAWL:
        if spec.parent is not None:
            continue  # read per parent, with the parent listing's permission
        try:
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
    raise typer.Exit(1 if missing else 0)


apikey_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")


def _store() -> Any:
    from gcmap.settings import GcmapSettings
    from gcmap.storage import open_store

    store = open_store(GcmapSettings().resolved_database_url)
    store.migrate()
    return store


@apikey_app.command("create")
def apikey_create(name: str = typer.Option(..., "--name"),
                  scope: list[str] = typer.Option(..., "--scope", help="repeatable")) -> None:
    """Create an API key; the key is shown once, only its hash is stored."""
    import time

    from gcmap.storage.common import SCOPES

    bad = sorted(set(scope) - set(SCOPES))
    if bad:
        _fail(f"unknown scope(s) {', '.join(bad)}; choose from {', '.join(SCOPES)}")
    with _errors():
        key_id, secret = _store().create_api_key(name, scope, time.time())
    out.print(f"key id {key_id} ({', '.join(sorted(scope))}); the key, shown once:",
              highlight=False)
    print(secret)


@apikey_app.command("list")
def apikey_list() -> None:
    """List API keys (prefixes only)."""
    for k in _store().list_api_keys():
        state = "revoked" if k["revokedAt"] else "active"
        out.print(f"{k['id']}  {k['prefix']}…  {k['name']}  {' '.join(k['scopes'])}  {state}",
                  highlight=False)


@apikey_app.command("revoke")
def apikey_revoke(key_id: str) -> None:
    """Revoke an API key by id."""
    import time

    if not _store().revoke_api_key(key_id, time.time()):
        _fail(f"no active key {key_id}; see 'gcmap apikey list'")
    out.print(f"revoked {key_id}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exit 1 at the first bad record."""
    v = _store().verify_audit()
    if v.ok:
        out.print(f"audit log intact: {v.rows} records, hash chain verified")
        return
    err.print(f"gcmap: audit log broken at record {v.first_bad_seq}: {v.reason}")
    raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest revision."""
    from gcmap.settings import GcmapSettings

    with _errors():
        _store()
    out.print(f"database at the latest schema: {GcmapSettings().resolved_database_url}")


@app.command()
def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8080),
          workers: int | None = typer.Option(None, "--workers",
                                             help="mapping workers in this process")) -> None:
    """Run the HTTP API with background mapping workers."""
    import uvicorn

    from gcmap.api.app import create_app
    from gcmap.container import build_container
    from gcmap.settings import GcmapSettings

    settings = GcmapSettings()
    if workers is not None:
        settings = settings.model_copy(update={"workers": workers})
    with _errors():
        container = build_container(settings)
    err.print(f"gcmap serving on http://{host}:{port} (docs at /docs), database "
              f"{settings.resolved_database_url.split('@')[-1]}")
    uvicorn.run(create_app(container), host=host, port=port, log_level="warning")


def main() -> None:
    """Console-script entry point."""
    from gcmap.observability.logging import configure_logging
    from gcmap.settings import GcmapSettings

    s = GcmapSettings()
    configure_logging(s.log_format, s.log_level)
    app()


if __name__ == "__main__":
    main()
