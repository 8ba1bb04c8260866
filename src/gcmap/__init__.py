"""gcmap: dependency mapping, validation and failover checks for Genesys Cloud orgs."""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
