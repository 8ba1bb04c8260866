"""gcmap adapters genesys."""

from __future__ import annotations
