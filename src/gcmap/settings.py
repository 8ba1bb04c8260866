"""Settings from the environment: ``GENESYS_*`` for the org, ``GCMAP_*`` for gcmap itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from gcmap.storage.secretbox import SecretBox

__all__ = ["GcmapSettings", "GenesysSettings", "unknown_settings"]


class GenesysSettings(BaseSettings):
    """How to reach the org (``GENESYS_CLIENT_ID``, ``GENESYS_CLIENT_SECRET``,
    ``GENESYS_ENVIRONMENT``, ``GENESYS_API_BASE_URL``)."""

    model_config = SettingsConfigDict(env_prefix="GENESYS_", extra="ignore")

    # CX as Code's variable names work too, so one environment serves Terraform and gcmap.
    client_id: Annotated[str, Field(validation_alias=AliasChoices(
        "GENESYS_CLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_ID", "client_id"))] = ""
    client_secret: Annotated[SecretStr, Field(validation_alias=AliasChoices(
        "GENESYS_CLIENT_SECRET", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "client_secret"))] = \
        SecretStr("")
    environment: Annotated[str, Field(validation_alias=AliasChoices(
        "GENESYS_ENVIRONMENT", "GENESYSCLOUD_REGION", "environment"))] = "mypurecloud.com"
    api_base_url: str | None = None


class GcmapSettings(BaseSettings):
    """gcmap's own settings (``GCMAP_*``)."""

    model_config = SettingsConfigDict(env_prefix="GCMAP_", extra="ignore")

    max_depth: Annotated[int, Field(ge=1)] = 8
    # Each queue's wrap-up codes cost one more call per queue (docs/crawl.md).
    queue_wrapups: bool = False
    # Each active user's role grants per division cost one more call per user (docs/crawl.md).
    user_grants: bool = False
    rate_per_min: Annotated[float, Field(ge=0)] = 300.0
    tokens: Annotated[int, Field(ge=1, le=20)] = 1
    concurrency: Annotated[int, Field(ge=1, le=64)] = 8
    log_format: str = "auto"
    log_level: str = "warning"
    outbound_allow_cidrs: str = ""
    probe_urls: str = ""
    probe_slow_ms: Annotated[float, Field(gt=0)] = 1000.0
    probe_timeout: Annotated[float, Field(gt=0)] = 3.0
    probe_attempts: Annotated[int, Field(ge=1, le=20)] = 3
    failover_regions: str = ""
    probe_in_runs: bool = False
    data_dir: str = "data"
    database_url: str = ""
    org_file: str = ""
    api_rate_per_min: Annotated[float, Field(gt=0)] = 600.0
    # Seconds an API key lookup is reused: a key revoked from the CLI still works this long
    # in a running service (0: look every key up on every request).
    api_key_cache_s: Annotated[float, Field(ge=0, le=60)] = 2.0
    # Seconds a finished run's record is reused by reads: a run deleted by retention or with
    # its org may still be read this long (0: every read asks the database).
    run_cache_s: Annotated[float, Field(ge=0, le=60)] = 2.0
    max_request_bytes: Annotated[int, Field(ge=1024)] = 1_048_576
    # "auto": uvicorn's httptools parser on uvloop; "h11": pure-Python HTTP on asyncio (the
    # stack before; kept for comparison and for platforms without the C extensions).
    http_impl: Literal["auto", "h11"] = "auto"
    workers: Annotated[int, Field(ge=0, le=8)] = 1
    # A full re-map daily (0: never): the audit feed is not guaranteed to miss nothing.
    remap_interval_s: Annotated[float, Field(ge=0)] = 86_400.0
    # The change watch: audit polls, quiet before a run, longest wait (docs/service.md).
    watch_poll_s: Annotated[float, Field(ge=0)] = 30.0
    watch_debounce_s: Annotated[float, Field(ge=0)] = 5.0
    watch_max_wait_s: Annotated[float, Field(ge=0)] = 30.0
    lease_s: Annotated[float, Field(gt=0)] = 30.0
    webhook_timeout_s: Annotated[float, Field(gt=0, le=60)] = 15.0
    deliver_webhooks: bool = True
    delivery_lease_s: Annotated[float, Field(gt=0)] = 60.0
    heartbeat_s: Annotated[float, Field(gt=0)] = 5.0
    # Retention: per org, the last N finished runs and the newest of each day for D days.
    retain_last: Annotated[int, Field(ge=1)] = 20
    retain_daily_days: Annotated[int, Field(ge=0)] = 30
    # Decoded mappings (and their graphs) kept in memory per process, estimated in MB.
    snapshot_cache_mb: Annotated[int, Field(ge=16)] = 1024
    # Keys for secrets at rest (AES-256-GCM), comma-separated, the first one current.
    secret_key: SecretStr = SecretStr("")

    def secret_box(self) -> SecretBox | None:
        """The box for ``GCMAP_SECRET_KEY``; None when no key is set.

        Raises:
            SecretKeyError: a malformed key (the message says how to make one).
        """
        return SecretBox.from_setting(self.secret_key.get_secret_value())

    @property
    def resolved_database_url(self) -> str:
        """``GCMAP_DATABASE_URL``, or a SQLite file in ``GCMAP_DATA_DIR``."""
        return self.database_url or f"sqlite:///{self.data_dir}/gcmap.db"

    @staticmethod
    def split(value: str) -> list[str]:
        """A comma-separated setting as a list."""
        return [v.strip() for v in value.split(",") if v.strip()]


# GCMAP_ variables that are not settings: the test suite's own.
_NOT_SETTINGS = ("GCMAP_TEST_",)


def unknown_settings(environ: Mapping[str, str]) -> list[str]:
    """One message per ``GCMAP_*``/``GENESYS_*`` variable that names no setting (a typo is
    refused, never silently ignored), with the setting meant when one is close."""
    import difflib

    known = {f"GCMAP_{n.upper()}" for n in GcmapSettings.model_fields} | {
        f"GENESYS_{n.upper()}" for n in GenesysSettings.model_fields}
    out = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(("GCMAP_", "GENESYS_")) or upper in known \
                or upper.startswith(_NOT_SETTINGS):
            continue
        close = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.75)
        out.append(f"unknown setting {name}" + (f"; did you mean {close[0]}?" if close else
                                                 "; see README, Configuration"))
    return out
