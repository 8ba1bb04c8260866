"""Composition root: builds the store, the org reader and the workers from settings."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from gcmap.adapters.netguard import NetGuard
from gcmap.adapters.webhooks import WebhookSender
from gcmap.domain.model import Finding, Progress
from gcmap.observability.metrics import GenesysMetrics, ServiceMetrics
from gcmap.services.delivery import DeliveryWorker
from gcmap.services.pipeline import MappingPipeline
from gcmap.services.retention import RetentionPolicy
from gcmap.services.runs import MappingWorker, WorkerConfig
from gcmap.services.watch import FleetWatch, WatchConfig
from gcmap.settings import GcmapSettings, GenesysSettings
from gcmap.storage import open_store
from gcmap.storage.protocol import Store

__all__ = ["Container", "FileReader", "LiveReader", "build_container", "cli_pipeline",
           "probe_org"]


class FileReader:
    """Maps an org file (``GCMAP_ORG_FILE``): offline service, tests."""

    def __init__(self, path: str, environment: str = "mypurecloud.com") -> None:
        self.path, self.environment = Path(path), environment

    def read(self, progress: Progress) -> tuple[dict[str, Any], dict[str, Any] | None]:
        doc: dict[str, Any] = json.loads(self.path.read_text())
        progress("file", 1, 1, len(doc))
        return doc, None


class LiveReader:
    """Crawls the org named by the ``GENESYS_*`` settings."""

    def __init__(self, genesys: GenesysSettings, settings: GcmapSettings,
                 metrics: GenesysMetrics) -> None:
        self.genesys, self.settings, self.metrics = genesys, settings, metrics
        self.environment = genesys.api_base_url or genesys.environment
        # The audit polls and the incremental re-reads share one client: one token, one
        # pacer, so together they stay inside the rate the settings give.
        self._client: Any = None
        self._client_lock = threading.Lock()

    def _shared_client(self) -> Any:
        from gcmap.adapters.genesys.client import GenesysClient

        with self._client_lock:
            if self._client is None:
                self._client = GenesysClient(self.client_config(), on_event=self.metrics.hook)
            return self._client

    def client_config(self) -> Any:
        from gcmap.adapters.genesys.client import ClientConfig

        g, s = self.genesys, self.settings
        return ClientConfig(g.client_id, g.client_secret.get_secret_value(),
                            environment=g.environment, base_url=g.api_base_url,
                            rate_per_min=s.rate_per_min, tokens=s.tokens,
                            concurrency=s.concurrency)

    def changes(self) -> Any:
        """The audit change source for the change watch."""
        from gcmap.adapters.genesys.changes import AuditChanges

        return AuditChanges(self._shared_client()).since

    def read_changes(self, base: dict[str, Any], records: list[dict[str, Any]],
                     ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Re-read what ``records`` changed and patch ``base`` (raises FullRemap)."""
        from gcmap.adapters.genesys.reread import reread

        return reread(self._shared_client(), base, records,
                      self.crawl_options())

    def crawl_options(self) -> Any:
        """What the settings ask a crawl to read beyond the listings (per-object extras)."""
        from gcmap.adapters.genesys.source import CrawlOptions

        return CrawlOptions(queue_wrapups=self.settings.queue_wrapups,
                            user_grants=self.settings.user_grants)

    def read(self, progress: Progress) -> tuple[dict[str, Any], dict[str, Any] | None]:
        from gcmap.adapters.genesys.source import GenesysOrgSource

        source = GenesysOrgSource(self.client_config(), progress=progress,
                                  on_event=self.metrics.hook)
        try:
            result = source.crawl(self.crawl_options())
        finally:
            source.close()
        return result.doc, result.report


def probe_org(doc: dict[str, Any], environment: str, settings: GcmapSettings,
              guard: NetGuard | None = None, extra_urls: list[str] | None = None,
              genesys_hosts: bool = True) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Probe data-action origins, GCMAP_PROBE_URLS, ``extra_urls`` and the Genesys API hosts
    of the org's region and GCMAP_FAILOVER_REGIONS, as the settings say."""
    from gcmap.adapters.probe import Prober
    from gcmap.services.probing import probe_endpoints

    s = settings
    prober = Prober(guard or NetGuard(s.split(s.outbound_allow_cidrs)),
                    timeout=s.probe_timeout, attempts=s.probe_attempts)
    return probe_endpoints(doc, prober, environment=environment,
                           extra_urls=[*s.split(s.probe_urls), *(extra_urls or [])],
                           failover_regions=s.split(s.failover_regions),
                           slow_ms=s.probe_slow_ms, genesys_hosts=genesys_hosts)


@dataclass
class Container:
    """Everything the API and the CLI need, wired once."""

    settings: GcmapSettings
    store: Store
    reader: Any
    org_key: str
    registry: CollectorRegistry
    metrics: ServiceMetrics
    clock: Callable[[], float] = time.time
    workers: list[MappingWorker] = field(default_factory=list)
    watch: FleetWatch | None = None
    guard: NetGuard = field(default_factory=NetGuard)
    sender: WebhookSender | None = None
    verify_sender: WebhookSender | None = None
    delivery: DeliveryWorker | None = None
    genesys_metrics: GenesysMetrics | None = None
    _readers: dict[str, LiveReader] = field(default_factory=dict)

    def start_workers(self) -> None:
        """Start the mapping workers, the webhook delivery worker and, when configured, the
        change watch."""
        s = self.settings
        if self.sender is not None and s.deliver_webhooks:
            self.delivery = DeliveryWorker(self.store, self.sender, self.clock,
                                           lease_s=s.delivery_lease_s,
                                           on_result=self.metrics.delivery_result)
            self.delivery.start()
        changes = self.reader.changes() if isinstance(self.reader, LiveReader) else None
        if s.watch_poll_s:
            # Every org's changes (registered orgs are live), and the re-map schedule.
            self.watch = FleetWatch(self.store, self.org_key, changes, self._changes_of,
                                    WatchConfig(poll_s=s.watch_poll_s,
                                                debounce_s=s.watch_debounce_s,
                                                max_wait_s=s.watch_max_wait_s,
                                                remap_interval_s=s.remap_interval_s),
                                    self.clock)
            self.watch.start()
        if s.workers and self.store.latest_run(self.org_key, ("queued", "running")) is None:
            # The first mapping starts with the service (replicas starting together may
            # queue one each; runs of one org never overlap, so the second finds little new).
            self.store.create_run(self.org_key, "service start", self.clock())
        for _ in range(self.settings.workers):
            s = self.settings
            w = MappingWorker(self.store, self.reader, WorkerConfig(
                lease_s=s.lease_s, heartbeat_s=min(s.heartbeat_s, s.lease_s / 3),
                poll_s=min(1.0, s.lease_s / 3),
                retention=RetentionPolicy(s.retain_last, s.retain_daily_days)),
                clock=self.clock,
                on_finished=self.metrics.run_finished,
                pipeline=self.pipeline(), readers=self.reader_for)
            w.start()
            self.workers.append(w)

    def reader_for(self, org_key: str) -> Any:
        """The reader of an org: the settings' org, or a registered one (its secret opened
        only here, for the crawl).

        Raises:
            LookupError: the org was removed while its run waited.
        """
        if org_key == self.org_key:
            return self.reader
        org = self.store.get_org(org_key)
        if org is None:
            self._readers.pop(org_key, None)
            raise LookupError(f"org {org_key} is not registered (removed while its run was "
                              "queued?)")
        if org_key in self._readers:  # one client per org: its token and pacer are shared
            return self._readers[org_key]
        genesys = GenesysSettings.model_construct(
            client_id=org["clientId"], client_secret=SecretStr(self.store.org_secret(org_key)
                                                               or ""),
            environment=org["environment"], api_base_url=org["apiBaseUrl"])
        reader = LiveReader(genesys, self.settings,
                            self.genesys_metrics or GenesysMetrics(CollectorRegistry()))
        self._readers[org_key] = reader
        return reader

    def _changes_of(self, org_key: str) -> Any:
        reader = self.reader_for(org_key)
        return reader.changes() if isinstance(reader, LiveReader) else None

    def pipeline(self) -> MappingPipeline:
        """The mapping pipeline of service runs (probing when GCMAP_PROBE_IN_RUNS is set)."""
        return MappingPipeline(self.settings.max_depth,
                               self.probe if self.settings.probe_in_runs else None, self.clock)

    def probe(self, doc: dict[str, Any], environment: str,
              ) -> tuple[list[Finding], list[dict[str, Any]]]:
        """Probe the org's endpoints and every registered webhook URL (service runs)."""
        hooks = [h["url"] for h in self.store.list_webhooks() if h["status"] != "disabled"]
        return probe_org(doc, environment, self.settings, self.guard, hooks)

    def stop_workers(self) -> None:
        if self.delivery is not None:
            self.delivery.stop()
            self.delivery = None
        if self.watch is not None:
            self.watch.stop()
            self.watch = None
        for w in self.workers:
            w.stop()
        self.workers.clear()


def cli_pipeline(settings: GcmapSettings, *, probe: bool, max_depth: int | None = None,
                 genesys_hosts: bool = True) -> MappingPipeline:
    """The mapping pipeline of a CLI command: the service's settings, with the command's
    own depth limit and probe choice (``genesys_hosts`` False: the org's API is not a
    Genesys region's, as in the offline demo)."""
    def probe_step(doc: dict[str, Any], environment: str,
                   ) -> tuple[list[Finding], list[dict[str, Any]]]:
        return probe_org(doc, environment, settings, genesys_hosts=genesys_hosts)

    return MappingPipeline(settings.max_depth if max_depth is None else max_depth,
                           probe_step if probe else None)


def build_container(settings: GcmapSettings | None = None,
                    genesys: GenesysSettings | None = None, *, migrate: bool = True,
                    reader: Any = None) -> Container:
    """Wire the service from settings (``GCMAP_*`` and ``GENESYS_*``)."""
    s = settings or GcmapSettings()
    g = genesys or GenesysSettings()
    registry = CollectorRegistry()
    genesys_metrics = GenesysMetrics(registry)
    box = s.secret_box()
    store = open_store(s.resolved_database_url, box)
    if migrate:
        store.migrate()
        if box is not None:
            store.reseal_secrets()  # secrets written before a key existed, or under an old key
    if s.org_file and not Path(s.org_file).is_file():
        raise ValueError(f"GCMAP_ORG_FILE {s.org_file} is not a file; point it at an org file "
                         "(gcmap capture --out org.json, or gcsim generate) or unset it")
    if reader is None:
        reader = FileReader(s.org_file) if s.org_file else LiveReader(g, s, genesys_metrics)
    ident = s.org_file or f"{g.api_base_url or g.environment}|{g.client_id}"
    org_key = hashlib.sha256(ident.encode()).hexdigest()[:32]
    guard = NetGuard(s.split(s.outbound_allow_cidrs))
    container = Container(s, store, reader, org_key, registry, ServiceMetrics(registry),
                          guard=guard, genesys_metrics=genesys_metrics)
    container.sender = WebhookSender(guard, timeout=s.webhook_timeout_s)
    container.verify_sender = WebhookSender(guard, timeout=10.0)
    container.metrics.track_backlog(store)
    return container
