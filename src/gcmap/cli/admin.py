"""Administration commands: API keys, the audit log, the database schema, the service.

Every command that changes state writes the same hash-chained audit record as the HTTP API
does, with the actor ``cli:<os user>``; ``WRITING_COMMANDS`` lists them and a test runs each
command and fails when one changes the database without auditing.
"""

from __future__ import annotations

import getpass
import socket
import time
from pathlib import Path
from typing import Any

import typer

from gcmap.cli.common import UsageError, err, errors, fail, out

__all__ = ["WRITING_COMMANDS", "apikey_app", "audit_app", "db_app", "secrets_app", "serve"]

apikey_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
secrets_app = typer.Typer(help="Keys for secrets at rest (GCMAP_SECRET_KEY).",
                          no_args_is_help=True)
# The commands that change state, by the audit action each writes.
WRITING_COMMANDS = {"apikey create": "apikey.create", "apikey revoke": "apikey.revoke",
                    "db upgrade": "db.upgrade", "db prune": "db.prune",
                    "secrets reseal": "secrets.reseal", "org add": "org.add",
                    "org remove": "org.remove"}


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "cli:unknown"


def _store(create: bool) -> Any:
    """The configured store; a read refuses a SQLite file that does not exist instead of
    creating an empty one (a mistyped path would otherwise read as an intact, empty log)."""
    from gcmap.settings import GcmapSettings
    from gcmap.storage import open_store

    url = GcmapSettings().resolved_database_url
    if not create and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_file():
            raise UsageError(f"no database at {path}; check GCMAP_DATABASE_URL (or "
                             "GCMAP_DATA_DIR), or create it with 'gcmap db upgrade'")
    store = open_store(url, GcmapSettings().secret_box())
    store.migrate()
    return store


def _audit(store: Any, command: str, target: str, outcome: Any,
           details: dict[str, Any] | None = None) -> None:
    from gcmap.storage.common import audit_record

    now = time.time()
    actor = _actor()
    store.append_audit(audit_record(now, actor_id=actor, actor_name=actor,
                                    action=WRITING_COMMANDS[command], target=target,
                                    outcome=outcome, source="cli", details=details), now)


@apikey_app.command("create")
def apikey_create(name: str = typer.Option(..., "--name"),
                  scope: list[str] = typer.Option(..., "--scope", help="repeatable"),
                  org: list[str] = typer.Option([], "--org",
                                                help="limit the key to this org (repeatable; "
                                                     "'default' is the configured org)"),
                  ) -> None:
    """Create an API key; the key is shown once, only its hash is stored."""
    from gcmap.storage.common import SCOPES

    bad = sorted(set(scope) - set(SCOPES))
    if bad:
        fail(f"unknown scope(s) {', '.join(bad)}; choose from {', '.join(SCOPES)}")
    with errors():
        store = _store(create=True)
        unknown = [o for o in org if o != "default" and store.get_org(o) is None]
        if unknown:
            raise UsageError(f"no registered org {', '.join(unknown)}; 'gcmap org list' "
                             "shows them")
        key_id, secret = store.create_api_key(name, scope, time.time(), org or None)
        _audit(store, "apikey create", f"apikey:{key_id}", "created",
               {"name": name, "scopes": sorted(scope), "orgs": sorted(org) or None})
    out.print(f"key id {key_id} ({', '.join(sorted(scope))}); the key, shown once:",
              highlight=False)
    print(secret)


@apikey_app.command("list")
def apikey_list() -> None:
    """List API keys (prefixes only)."""
    with errors():
        keys = _store(create=False).list_api_keys()
    for k in keys:
        state = "revoked" if k["revokedAt"] else "active"
        out.print(f"{k['id']}  {k['prefix']}…  {k['name']}  {' '.join(k['scopes'])}  {state}",
                  highlight=False)


@apikey_app.command("revoke")
def apikey_revoke(key_id: str) -> None:
    """Revoke an API key by id."""
    with errors():
        store = _store(create=False)
    if not store.revoke_api_key(key_id, time.time()):
        fail(f"no active key {key_id}; see 'gcmap apikey list'")
    _audit(store, "apikey revoke", f"apikey:{key_id}", "revoked")
    out.print(f"revoked {key_id}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exit 1 at the first bad record."""
    with errors():
        v = _store(create=False).verify_audit()
    if v.ok:
        out.print(f"audit log intact: {v.rows} records, hash chain verified")
        return
    err.print(f"gcmap: audit log broken at record {v.first_bad_seq}: {v.reason}")
    raise typer.Exit(1)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest revision."""
    from gcmap.settings import GcmapSettings

    with errors():
        _audit(_store(create=True), "db upgrade", "database", "upgraded")
    out.print(f"database at the latest schema: {GcmapSettings().resolved_database_url}")


@db_app.command("prune")
def db_prune(dry_run: bool = typer.Option(False, "--dry-run",
                                          help="say what would go, delete nothing")) -> None:
    """Apply the retention policy (GCMAP_RETAIN_LAST, GCMAP_RETAIN_DAILY_DAYS): delete older
    runs and the snapshots only they used. The audit log is never pruned."""
    from gcmap.services.retention import RetentionPolicy, plan_retention
    from gcmap.settings import GcmapSettings

    s = GcmapSettings()
    with errors():
        store = _store(create=False)
        gone = plan_retention(store.all_runs(), time.time(),
                              RetentionPolicy(s.retain_last, s.retain_daily_days))
        if dry_run:
            out.print(f"would delete {len(gone)} run(s) (keep the last {s.retain_last} per "
                      f"org and one a day for {s.retain_daily_days} days)")
            return
        runs, snaps = store.delete_runs(gone)
        _audit(store, "db prune", "database", "pruned", {"runs": runs, "snapshots": snaps})
    out.print(f"deleted {runs} run(s) and {snaps} snapshot(s); the audit log is kept whole")


@secrets_app.command("new-key")
def secrets_new_key() -> None:
    """Print a new key for GCMAP_SECRET_KEY (put it first; keep old keys after it)."""
    from gcmap.storage.secretbox import new_key

    print(new_key())


@secrets_app.command("reseal")
def secrets_reseal() -> None:
    """Encrypt every stored secret under the first GCMAP_SECRET_KEY key (after a rotation,
    or for secrets stored before a key was set)."""
    with errors():
        store = _store(create=False)
        n = store.reseal_secrets()
        _audit(store, "secrets reseal", "secrets", "resealed", {"changed": n})
    out.print(f"resealed {n} stored secret(s) under the current key")


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
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:  # bound before anything starts, so a busy port is one line, not a crash later
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        fail(f"cannot listen on {host}:{port} ({exc.strerror}); choose another with --port")
    with errors():
        container = build_container(settings)
    err.print(f"gcmap serving on http://{host}:{port} (docs at /docs), database "
              f"{settings.resolved_database_url.split('@')[-1]}")
    if not settings.secret_key.get_secret_value():
        err.print("gcmap: no GCMAP_SECRET_KEY: webhook endpoints cannot be registered until "
                  "one is set ('gcmap secrets new-key' makes one)", highlight=False)
    plain = settings.http_impl == "h11"
    server = uvicorn.Server(uvicorn.Config(create_app(container), log_level="warning",
                                           http="h11" if plain else "auto",
                                           loop="asyncio" if plain else "auto"))
    server.run(sockets=[sock])
