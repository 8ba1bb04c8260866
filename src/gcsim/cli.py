"""``gcsim`` command line: serve an org, or write a generated org to a file."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from gcsim.app import SimConfig
from gcsim.orgs import SIZES, generate_org, object_count
from gcsim.server import SimServer

__all__ = ["main"]


def _load(args: argparse.Namespace) -> dict[str, Any]:
    if args.org_file:
        path = Path(args.org_file)
        if not path.is_file():
            raise SystemExit(f"gcsim: org file {path} not found; write one with "
                             "'gcsim generate --out org.json' or 'gcmap capture'")
        try:
            org = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise SystemExit(f"gcsim: {path} is not valid JSON ({exc})") from exc
        if not isinstance(org, dict):
            raise SystemExit(f"gcsim: {path} must hold one JSON object keyed by API paths")
        return org
    return generate_org(args.org, args.seed, weaknesses=not args.healthy)


def _org_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", choices=list(SIZES), default="small", help="generated org size")
    p.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same org)")
    p.add_argument("--healthy", action="store_true",
                   help="generate an org without planted weaknesses")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gcsim`` console script."""
    parser = argparse.ArgumentParser(prog="gcsim", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve", help="serve the Genesys Cloud API for one org")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--host", default="127.0.0.1")
    _org_args(serve)
    serve.add_argument("--org-file", help="serve this org file instead of a generated org")
    serve.add_argument("--rate-limit", type=float, default=300.0,
                       help="requests per minute per access token (0 = unlimited)")
    serve.add_argument("--fault-rate", type=float, default=0.0,
                       help="fraction of requests answered 502/503/504 or reset")
    serve.add_argument("--latency-ms", type=float, default=0.0)
    serve.add_argument("--client-id", default="gcsim-client")
    serve.add_argument("--client-secret", default="gcsim-secret")
    serve.add_argument("--token-ttl", type=int, default=86400, help="token lifetime, seconds")
    gen = sub.add_parser("generate", help="write a generated org to an org file")
    _org_args(gen)
    gen.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    args.org_file = getattr(args, "org_file", None)
    t0 = time.perf_counter()
    org = _load(args)
    if args.cmd == "generate":
        Path(args.out).write_text(json.dumps(org, sort_keys=True))
        print(f"wrote {object_count(org)} objects to {args.out}")
        return 0
    cfg = SimConfig(rate_limit=args.rate_limit, fault_rate=args.fault_rate,
                    latency_ms=args.latency_ms, client_id=args.client_id,
                    client_secret=args.client_secret, token_ttl=args.token_ttl, seed=args.seed)
    server = SimServer(org, cfg, port=args.port, host=args.host)
    print(f"gcsim serving {object_count(org)} objects on {server.base_url} "
          f"(ready in {time.perf_counter() - t0:.2f} s); client id {cfg.client_id}",
          flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
