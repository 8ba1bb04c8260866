"""Service paths benchmark: whatif and resilience on gcsim orgs, against brute force.

For each org: build the service model from the mapping document, one ``whatif`` on the
object that alone takes most entry points down, and ``resilience`` over every entry point
(one post-dominator tree) side by side with the brute-force answer (one evaluation per
candidate object; on the large org timed over a seeded sample and scaled to all candidates,
said so in the output). Usage: python benchmarks/service_paths_bench.py
"""

from __future__ import annotations

import json
import random
import time
from typing import Any

from gcmap.domain.service_model import model_from_document
from gcmap.domain.service_paths import by_object, evaluate, resilience, whatif
from gcmap.services.mapping import map_org
from gcsim import generate_org

SAMPLE = 60


def bench(size: str) -> dict[str, Any]:
    doc = map_org(generate_org(size, 1), environment="mypurecloud.com",
                  generated_at="2026-01-01T00:00:00Z").document
    t0 = time.perf_counter()
    model = model_from_document(doc)
    t1 = time.perf_counter()
    spof = resilience(model)
    t2 = time.perf_counter()
    worst = by_object(spof)[0][0]
    t3 = time.perf_counter()
    w = whatif(model, [worst])
    t4 = time.perf_counter()
    candidates = model.candidates()
    sample = candidates if len(candidates) <= SAMPLE * 4 else sorted(
        random.Random(1).sample(candidates, SAMPLE))
    t5 = time.perf_counter()
    for c in sample:
        evaluate(model, [c])
    t6 = time.perf_counter()
    brute = (t6 - t5) * len(candidates) / len(sample)
    return {"objects": len(doc["nodes"]), "entryPoints": len(model.entry_points),
            "candidates": len(candidates), "model_s": round(t1 - t0, 3),
            "resilience_s": round(t2 - t1, 3), "whatif_s": round(t4 - t3, 3),
            "whatif_with_model_s": round(t4 - t3 + t1 - t0, 3),
            "whatifDown": w["summary"]["down"],
            "bruteForce_s": round(brute, 2),
            "bruteForceMeasuredOn": len(sample),
            "resilienceSpeedup": round(brute / max(t2 - t1, 1e-9), 1)}


def main() -> None:
    print(json.dumps({size: bench(size) for size in ("medium", "large")}, indent=1))


if __name__ == "__main__":
    main()
