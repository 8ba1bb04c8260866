"""The pure core of gcmap: registry, graph build, validation, diff and exports.

Nothing here touches the network, a database, the clock or the environment; it takes plain
dicts in the Genesys Cloud API shape and returns plain values.
"""

from __future__ import annotations
