"""gcsim: a local simulator of the Genesys Cloud Platform API, for demos, tests and benchmarks."""

from __future__ import annotations

from gcsim.app import SimConfig, SimState, create_app
from gcsim.orgs import SIZES, generate_org
from gcsim.server import SimServer

__all__ = ["SIZES", "SimConfig", "SimServer", "SimState", "create_app", "generate_org"]
__version__ = "0.1.0"
