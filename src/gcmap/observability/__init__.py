"""gcmap observability."""

from __future__ import annotations
