"""``python -m gcsim``."""

from __future__ import annotations

import sys

from gcsim.cli import main

sys.exit(main())
