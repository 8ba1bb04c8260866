"""The long-lived heap kept out of the cyclic garbage collector's way.

A served mapping document and its graph are millions of objects that live as long as the
snapshot stays cached. Python's oldest-generation collection walks every one of them, and
under load it ran every few seconds for 40-70 ms on gcsim's large org, all of it time in
which no request was answered (the p99 of even ``/healthz``). Frozen objects are skipped
by the collector; reference counting still frees them when the snapshot is evicted
(documents and graphs hold no reference cycles).
"""

from __future__ import annotations

import gc

__all__ = ["settle"]


def settle() -> None:
    """Collect once (garbage frozen earlier included), then freeze every live object.

    Called when the process has just gained many long-lived objects: at start-up, after a
    snapshot is decoded and after its graph is built. Each costs one full collection,
    small beside the decoding it follows."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
