"""Benchmark the pure engine: analyse() + build_plan() on a heavy visit.

Run from the repository root::

    python3 bench/bench_engine.py [--runs 2000] [--warmup 200] [--seed 20260302]

The visit has 40 findings, 10 active stressors, 3 old injuries, 6 pain sites and 20 earlier visits with 40 findings
each (seeded, so every run measures the same input).  Prints the median and 95th percentile of one
analyse + build_plan call in milliseconds.  Target: median <= 2 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.engine import (
    Catalog,
    Finding,
    Injury,
    MuscleTest,
    PainSite,
    PriorVisit,
    Screening,
    Stressor,
    VisitInput,
    analyse,
    build_plan,
    default_catalog_dir,
    load_catalog,
)

TARGET_MEDIAN_MS = 2.0
VISIT_DATE = dt.date(2026, 3, 2)
LOWER_LIMB_AND_BACK = [
    "plantar_heel",
    "arch_instep",
    "calf",
    "lateral_thigh",
    "lateral_knee",
    "lumbar",
]
STRESSOR_KINDS = [
    "footwear",
    "rapid_footwear_transition",
    "refined_sugar",
    "gut_distension_bloating",
    "poor_sleep",
    "work_commitments_stress",
    "anaerobic_overtraining",
    "inadequate_recovery",
    "posture_ergonomics",
    "body_weight",
]


def findings(rng: random.Random, muscles: list[str], prefix: str, count: int) -> tuple[Finding, ...]:
    chosen = rng.sample(muscles, count)
    return tuple(
        Finding(
            id=f"{prefix}-{index}",
            muscle=muscle,
            side=rng.choice(("left", "right")),
            location="belly",
            tenderness=rng.randint(2, 9),
            taut_band=rng.random() < 0.5,
            nodule=rng.random() < 0.3,
            twitch_response=rng.random() < 0.1,
            recognized=rng.random() < 0.3,
            status=rng.choice(("active", "latent", "unknown")),
            treated=rng.random() < 0.5,
            response=rng.choice(("released", "improved", "unchanged", None)),
        )
        for index, muscle in enumerate(chosen)
    )


def heavy_visit(catalog: Catalog, seed: int) -> VisitInput:
    """40 findings, 10 stressors, 20 earlier visits with 40 findings each."""
    rng = random.Random(seed)
    muscles = sorted(catalog.muscles)
    priors = tuple(
        PriorVisit(
            id=f"prior-{index:02d}",
            date=VISIT_DATE - dt.timedelta(days=7 * (index + 1)),
            findings=findings(rng, muscles, f"p{index}", 40),
            muscle_tests=(MuscleTest(f"pt{index}", "gluteus_medius", "left", "pre", "inhibited"),),
            pain_sites=(PainSite("plantar_heel", "left", rng.randint(3, 8), primary=True),),
        )
        for index in range(20)
    )
    return VisitInput(
        id="visit-now",
        date=VISIT_DATE,
        pain_sites=tuple(
            PainSite(zone, rng.choice(("left", "right")), rng.randint(2, 8), primary=index == 0)
            for index, zone in enumerate(LOWER_LIMB_AND_BACK)
        ),
        findings=findings(rng, muscles, "now", 40),
        muscle_tests=tuple(
            test
            for index, muscle in enumerate(muscles[:8])
            for test in (
                MuscleTest(f"pre{index}", muscle, "left", "pre", "inhibited"),
                MuscleTest(f"post{index}", muscle, "left", "post", rng.choice(("normal", "inhibited"))),
            )
        ),
        screenings=(Screening("SAFE-M-DVT", "negative"), Screening("SAFE-M-CES", "negative")),
        stressors=tuple(
            Stressor(f"s{index}", kind, catalog.stressor_kinds[kind].category, rng.randint(1, 3))
            for index, kind in enumerate(STRESSOR_KINDS)
        ),
        injuries=(
            Injury("i1", "posterior_shoulder", "left", dt.date(2019, 5, 1)),
            Injury("i2", "lateral_ankle", "right", dt.date(2018, 7, 1)),
            Injury("i3", "arch_instep", "left", None, painful_now=True),
        ),
        prior_visits=tuple(reversed(priors)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time analyse() + build_plan() on a heavy visit.")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args(argv)

    catalog = load_catalog(default_catalog_dir())
    visit = heavy_visit(catalog, args.seed)
    for _ in range(args.warmup):
        build_plan(visit, analyse(visit, catalog), catalog)

    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        plan = build_plan(visit, analyse(visit, catalog), catalog)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    analysis = analyse(visit, catalog)

    print(f"command: python3 bench/bench_engine.py --runs {args.runs} --warmup {args.warmup} --seed {args.seed}")
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    print(
        f"input: {len(visit.findings)} findings, {len(visit.stressors)} stressors, {len(visit.prior_visits)} earlier "
        f"visits with {sum(len(p.findings) for p in visit.prior_visits)} findings, {len(visit.pain_sites)} pain sites"
    )
    print(
        f"output: {len(analysis.patterns)} patterns, {len(analysis.suspected_sources)} sources, "
        f"{len(analysis.remote_drivers)} remote drivers, {len(analysis.recurring)} recurring, {len(plan.steps)} steps"
    )
    print(f"analyse + build_plan: median {median:.3f} ms, p95 {p95:.3f} ms over {args.runs} runs")
    verdict = "meets" if median <= TARGET_MEDIAN_MS else "MISSES"
    print(f"target median <= {TARGET_MEDIAN_MS:g} ms: {verdict}")
    return 0 if median <= TARGET_MEDIAN_MS else 1


if __name__ == "__main__":
    sys.exit(main())
