"""``gcmap org add/list/remove``: the orgs one service maps, in its database.

The client secret is read from an environment variable (never from the command line, where
other users of the machine could see it), sealed under ``GCMAP_SECRET_KEY`` and never shown.
"""

from __future__ import annotations

import os
import time

import typer

from gcmap.cli.admin import _audit, _store
from gcmap.cli.common import UsageError, errors, out

__all__ = ["org_app"]

org_app = typer.Typer(help="Orgs the service maps besides its configured one.",
                      no_args_is_help=True)


@org_app.command("add")
def org_add(name: str = typer.Option(..., "--name"),
            client_id: str = typer.Option(..., "--client-id"),
            environment: str = typer.Option("mypurecloud.com", "--environment",
                                            help="domain, region or API URL"),
            base_url: str | None = typer.Option(None, "--base-url",
                                                help="an API base URL (a proxy, gcsim)"),
            secret_env: str = typer.Option("GENESYS_CLIENT_SECRET", "--client-secret-env",
                                           help="the environment variable holding the "
                                                "client secret"),
            remap_interval: float | None = typer.Option(
                None, "--remap-interval", min=60,
                help="re-map this org every so many seconds (default: "
                     "GCMAP_REMAP_INTERVAL_S)")) -> None:
    """Register an org (its first mapping is queued for the service)."""
    from gcmap.domain.regions import environment_domain, region_of_environment
    from gcmap.storage.orgs_common import OrgExists

    with errors():
        secret = os.environ.get(secret_env, "")
        if not secret:
            raise UsageError(f"set {secret_env} to the OAuth client's secret (it is read from "
                             "the environment, never from the command line)")
        env = environment_domain(environment)
        if base_url is None and region_of_environment(env) is None:
            raise UsageError(f"{environment!r} is no Genesys Cloud environment; give its "
                             "domain (mypurecloud.ie), region (eu-west-1) or API URL")
        store = _store(create=True)
        try:
            org = store.create_org(name, env, base_url, client_id, secret, time.time(),
                                   remap_interval)
        except OrgExists as exc:
            raise UsageError(f"{exc}; 'gcmap org list' shows them") from exc
        run = store.create_run(org["id"], "cli", time.time())
        _audit(store, "org add", f"org:{org['id']}", "created",
               {"name": name, "environment": env})
    out.print(f"registered {org['id']} ({name}); first mapping {run['id']} queued",
              highlight=False)


@org_app.command("list")
def org_list() -> None:
    """The registered orgs (never their secrets)."""
    with errors():
        orgs = _store(create=False).list_orgs()
    if not orgs:
        out.print("no registered orgs; add one with 'gcmap org add'")
    for o in orgs:
        out.print(f"{o['id']}  {o['name']}  {o['apiBaseUrl'] or o['environment']}  "
                  f"client {o['clientId']}", highlight=False)


@org_app.command("remove")
def org_remove(org_id: str) -> None:
    """Remove a registered org and its secret (its mappings stay until retention)."""
    with errors():
        store = _store(create=False)
        if not store.delete_org(org_id):
            raise UsageError(f"no registered org {org_id}; see 'gcmap org list'")
        _audit(store, "org remove", f"org:{org_id}", "removed")
    out.print(f"removed {org_id}")
