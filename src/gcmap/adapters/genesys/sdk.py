"""Lazy, contained import of the official SDK (PureCloudPlatformClientV2).

Importing the SDK costs over a second and has process-wide side effects: it reads
``~/.genesyscloudpython/config`` (which can change the default host and logging), starts a
file-watcher thread, and silences the ``urllib3`` logger. gcmap imports it once, here, and
undoes what would change its behaviour.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from types import ModuleType

__all__ = ["load_sdk"]

_lock = threading.Lock()
_sdk: ModuleType | None = None


def load_sdk() -> ModuleType:
    """Import the SDK once with its side effects contained; returns the package module."""
    global _sdk
    with _lock:
        if _sdk is not None:
            return _sdk
        saved = {name: (logging.getLogger(name).level, logging.getLogger(name).propagate)
                 for name in ("urllib3", "watchdog")}
        home = os.environ.get("HOME")
        # Point the config-file lookup at an empty folder while the singleton is built, so a
        # config file on this host cannot change hosts, tokens or logging.
        with tempfile.TemporaryDirectory(prefix="gcmap-sdk-") as empty:
            os.environ["HOME"] = empty
            try:
                import PureCloudPlatformClientV2 as sdk
            finally:
                if home is None:
                    os.environ.pop("HOME", None)
                else:
                    os.environ["HOME"] = home
        cfg = sdk.Configuration()
        cfg.live_reload_config = False
        observer = getattr(cfg, "_observer", None)
        if observer is not None:
            observer.unschedule_all()
        # A client without its own token would silently use this one: keep it empty.
        cfg.access_token = ""
        cfg.should_refresh_access_token = False
        for name, (level, propagate) in saved.items():
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).propagate = propagate
        module: ModuleType = sdk
        _sdk = module
        return module
