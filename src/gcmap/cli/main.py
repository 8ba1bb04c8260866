"""The ``gcmap`` command line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from gcmap.cli import render
from gcmap.cli.admin import apikey_app, audit_app, db_app, secrets_app, serve
from gcmap.cli.common import (
    SEVERITIES,
    UsageError,
    check_types,
    err,
    errors,
    fail,
    load_mapping,
    out,
    read_json,
    resolve_key,
    write,
)
from gcmap.cli.compare import compare, promote
from gcmap.cli.findings import findings
from gcmap.cli.live import Divisions, Types, capture, crawl_live, doctor
from gcmap.cli.orgs import org_app
from gcmap.cli.report import report
from gcmap.cli.service import resilience, whatif

if TYPE_CHECKING:
    from gcmap.services.mapping import MappingOutcome
    from gcmap.settings import GcmapSettings

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Map, validate and check failover of a Genesys Cloud org.")
FORMATS = ("table", "json", "dot", "graphml", "mermaid", "cytoscape")


def _version(value: bool) -> None:
    if value:
        from gcmap import __version__

        print(f"gcmap {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version,
                                       is_eager=True, help="print the version and exit"),
          ) -> None:
    """Map, validate and check failover of a Genesys Cloud org."""


def _source(from_file: Path | None, environment: str | None, **live: Any,
            ) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    if from_file is not None:
        doc = read_json(from_file, "org file")
        if not isinstance(doc, dict) or not any(k.startswith("/api/v2/") for k in doc):
            raise UsageError(f"{from_file} is not an org file (one JSON object keyed by API "
                             "paths); write one with 'gcmap capture --out org.json'")
        return doc, None, environment or "mypurecloud.com"
    return crawl_live(**live)


def _map(doc: dict[str, Any], report: dict[str, Any] | None, env: str,
         max_depth: int | None = None, probe: bool = False,
         settings: GcmapSettings | None = None, genesys_hosts: bool = True) -> MappingOutcome:
    """Map an org already read, through the pipeline the service's runs use."""
    from gcmap.container import cli_pipeline
    from gcmap.settings import GcmapSettings

    def phase(name: str) -> None:
        if name == "probe":
            err.print("probing external endpoints…")

    pipeline = cli_pipeline(settings or GcmapSettings(), probe=probe, max_depth=max_depth,
                            genesys_hosts=genesys_hosts)
    return pipeline.map(doc, report, env, phase)


def _export(document: dict[str, Any], fmt: str) -> str:
    from gcmap.domain import export
    from gcmap.domain.document import canonical_json

    if fmt == "json":
        return canonical_json(document).decode() + "\n"
    return {"dot": export.to_dot, "graphml": export.to_graphml, "mermaid": export.to_mermaid,
            "cytoscape": export.to_cytoscape}[fmt](document)


def _check_fail_on(fail_on: str | None) -> None:
    """Refuse an unknown --fail-on before any work, not after a long crawl."""
    if fail_on is not None and fail_on not in SEVERITIES:
        fail(f"--fail-on must be one of {', '.join(SEVERITIES)}")


def _fail_on(document: dict[str, Any], fail_on: str | None) -> None:
    """Exit 1 when a finding is at or above ``fail_on`` (already checked)."""
    if fail_on is None:
        return
    worst = SEVERITIES.index(fail_on)
    hits = [f for f in document["findings"] if SEVERITIES.index(f["severity"]) <= worst]
    if hits:
        err.print(f"gcmap: {len(hits)} finding(s) at or above {fail_on}")
        raise typer.Exit(1)


FromFile = typer.Option(None, "--from-file", help="map an org file (gcmap capture) offline")


def _check_before_reading(fmt: str, fail_on: str | None, types: list[str] | None,
                          from_file: Path | None) -> None:
    """Every option a long crawl would only use at its end, checked in the first second."""
    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}")
    _check_fail_on(fail_on)
    check_types(types)
    if types and from_file is not None:
        fail("--type selects what a crawl reads; an org file is mapped whole (drop --type)")


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
            queue_wrapups: bool = typer.Option(
                False, "--queue-wrapups", help="also read each queue's wrap-up codes (one more "
                "call per queue; default GCMAP_QUEUE_WRAPUPS)"),
            ) -> None:
    """Map an org: read it, build the dependency graph, validate it, check failover.

    Examples: gcmap map · gcmap map --format json -o mapping.json --fail-on error ·
    gcmap map --from-file org.json --format dot -o org.dot
    """
    _check_before_reading(fmt, fail_on, types, from_file)
    with errors():
        doc, report, env = _source(from_file, environment, types=types, divisions=divisions,
                                   tokens=tokens, concurrency=concurrency,
                                   show_progress=fmt == "table" or output is not None,
                                   queue_wrapups=queue_wrapups or None)
        outcome = _map(doc, report, env, max_depth, probe)
        if fmt == "table":
            if output is not None:
                write(_export(outcome.document, "json"), output)
            render.render_report(out, outcome.document,
                                 saved_as=str(output) if output else "MAPPING.json")
        else:
            write(_export(outcome.document, fmt), output)
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
            SimServer(org_doc, SimConfig(rate_limit=sim_rate)) as sim, errors():
        services.attach(sim.state.org)
        err.print(f"gcsim: simulated {org} org on {sim.base_url} (limit {sim_rate:.0f} "
                  "requests/min per token); its data actions call simulated services on "
                  "127.0.0.1")
        doc, report, _ = crawl_live(None, None, 2, 8, True, base_url=sim.base_url,
                                     client_id="gcsim-client", client_secret="gcsim-secret",
                                     rate=sim_rate)
        # The demo's API is gcsim on this machine: the real region's API host is not the
        # org's, so it is not probed (it would only report this machine as offline).
        outcome = _map(doc, report, "mypurecloud.com", probe=True, settings=probe_settings,
                       genesys_hosts=False)
    if output is not None:
        write(_export(outcome.document, "json"), output)
    where = output or Path("mapping.json")
    render.render_report(out, outcome.document, saved_as=str(where))
    out.rule("Go further")
    out.print(f"mapping document: {where}  ·  done in {time.perf_counter() - t0:.1f} s")
    some_queue = next((n["name"] for n in outcome.document["nodes"] if n["type"] == "queue"), "")
    out.print(f"  gcmap findings -m {where}   (every finding; --format markdown|csv|json)",
              highlight=False)
    out.print(f"  gcmap impact '{some_queue}' --mapping {where} --depth 2", highlight=False)
    out.print(f"  gcmap whatif '{some_queue}' -m {where}   (what goes down if it fails)",
              highlight=False)
    out.print(f"  gcmap report -m {where} -o report.html   (one page to share)",
              highlight=False)
    out.print(f"  gcmap export --mapping {where} --format dot -o org.dot", highlight=False)
    out.print("  gcmap map --from-file org.json --format json   (after gcmap capture)")
    out.print("  the graph view: gcsim generate --org medium --out org.json; "
              "GCMAP_ORG_FILE=org.json gcmap serve; a key from 'gcmap apikey create --name me "
              "--scope mappings:read --scope mappings:write'; POST /api/v1/mappings; then open "
              "http://127.0.0.1:8080/ui (see README, Graph view)", highlight=False)
    out.print("  gcsim serve --org large   (then point GENESYS_API_BASE_URL at it)")


@app.command()
def impact(key: str, mapping: Path = typer.Option(..., "--mapping", "-m"),
           depth: int = typer.Option(3, "--depth", min=1),
           direction: str = typer.Option("usedby", help="uses|usedby"),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """What depends on KEY (usedby) or what KEY depends on (uses), to a depth; KEY may
    be a name that matches one object."""
    from gcmap.domain.document import graph_from_document
    from gcmap.domain.impact import impact as run_impact

    with errors():
        doc = load_mapping(mapping)
        graph = graph_from_document(doc)
        key = resolve_key(doc, key, mapping)
        if direction not in ("uses", "usedby"):
            raise UsageError("--direction must be uses or usedby")
        result = run_impact(graph, key, depth, direction)  # type: ignore[arg-type]
    if as_json:
        write(json.dumps(result, indent=1) + "\n", None)
    else:
        render.render_impact(out, result, doc)


@app.command()
def diff(old: Path, new: Path, as_json: bool = typer.Option(False, "--json")) -> None:
    """What changed between two mapping documents."""
    from gcmap.domain.diff import diff_documents

    with errors():
        before, after = load_mapping(old), load_mapping(new)
        result = diff_documents(before, after)
    if as_json:
        write(json.dumps(result, indent=1) + "\n", None)
    else:
        render.render_diff(out, result, before, after)


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
        fail(f"--format must be one of {', '.join(FORMATS[1:])}")
    with errors():
        doc = load_mapping(mapping)
        if node:
            g = graph_from_document(doc)
            if node not in g:
                raise UsageError(f"{node} is not in {mapping}")
            keys = {node}
            for d in ("uses", "usedby"):
                keys |= {n["key"] for n in run_impact(g, node, depth, d)["nodes"]}
            doc = subgraph(doc, keys)
        write(_export(doc, fmt), output)


@app.command()
def order(from_file: Path | None = FromFile,
          mapping: Path | None = typer.Option(
              None, "--mapping", "-m", help="read a mapping document instead of the org"),
          as_json: bool = typer.Option(False, "--json"),
          environment: str | None = typer.Option(None, "--environment")) -> None:
    """The create order for IaC, in waves: referenced objects first, each wave's objects
    together, and the fields to set once a wave exists."""
    from gcmap.domain.order import create_steps, steps_of

    with errors():
        if mapping is not None:
            if from_file is not None:
                raise UsageError("give --mapping or --from-file, not both")
            document = load_mapping(mapping)
            steps = create_steps(document)
        else:
            doc, report, env = _source(from_file, environment, types=None, divisions=None,
                                       tokens=None, concurrency=None,
                                       show_progress=not as_json)
            outcome = _map(doc, report, env)
            document, steps = outcome.document, steps_of(outcome.validation.order)
    if as_json:
        write(json.dumps(steps, indent=1) + "\n", None)
    else:
        render.render_order(out, steps, document)


@app.command()
def failover(from_file: Path | None = FromFile,
             mapping: Path | None = typer.Option(
                 None, "--mapping", "-m", help="read a mapping document instead of the org"),
             environment: str | None = typer.Option(None, "--environment"),
             fail_on: str | None = typer.Option(None, "--fail-on"),
             probe: bool = typer.Option(False, "--probe",
                                        help="also probe external endpoints")) -> None:
    """Failover weaknesses of an org, as a table (with --probe: endpoint latency too)."""
    _check_fail_on(fail_on)
    with errors():
        if mapping is not None:
            if probe or from_file is not None:
                raise UsageError("--mapping reads a finished mapping: drop --probe and "
                                 "--from-file, or map again with them")
            document = load_mapping(mapping)
        else:
            doc, report, env = _source(from_file, environment, types=None, divisions=None,
                                       tokens=None, concurrency=None, show_progress=True)
            document = _map(doc, report, env, probe=probe).document
    render.render_failover(out, document)
    if probe or "endpoints" in document["stats"]:
        render.render_endpoints(out, document)
    _fail_on({"findings": [f for f in document["findings"]
                           if f["rule"].startswith("failover.")]}, fail_on)


app.command()(capture)
app.command()(doctor)
app.command()(findings)
app.command()(report)
app.command()(compare)
app.command()(promote)
app.command()(whatif)
app.command()(resilience)
app.add_typer(apikey_app, name="apikey")
app.add_typer(audit_app, name="audit")
app.add_typer(db_app, name="db")
app.add_typer(secrets_app, name="secrets")
app.add_typer(org_app, name="org")
app.command()(serve)


def _settings_problem() -> str | None:
    """The first problem with the environment's settings, as a one-line message."""
    from pydantic import ValidationError

    from gcmap.settings import GcmapSettings, GenesysSettings, unknown_settings

    problems = unknown_settings(os.environ)
    if problems:
        return problems[0]
    for cls, prefix in ((GcmapSettings, "GCMAP_"), (GenesysSettings, "GENESYS_")):
        try:
            cls()
        except ValidationError as exc:
            e = exc.errors()[0]
            name = str(e["loc"][0]).upper() if e.get("loc") else "?"
            return f"bad setting {prefix}{name}: {e['msg']}"
    return None


def main() -> None:
    """Console-script entry point."""
    from gcmap.observability.logging import configure_logging
    from gcmap.settings import GcmapSettings

    problem = _settings_problem()
    if problem:
        err.print(f"gcmap: {problem}", highlight=False, soft_wrap=True)
        sys.exit(2)
    s = GcmapSettings()
    configure_logging(s.log_format, s.log_level)
    app()


if __name__ == "__main__":
    main()
