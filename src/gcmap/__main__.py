"""python -m gcmap."""

from __future__ import annotations

from gcmap.cli.main import main

main()
