"""The CRF's share of a training step: its forward recursion as a log-sum-exp against a matrix product.

    assistant bench crf [--rounds 15] [--threads 2]      (or: python -m benchmarks.crf)

`TagCrf.loss` (``assistant train --crf``) runs the forward recursion over each batch's words. Until
2026-12-07 each step took a log-sum-exp over a [batch, tags, tags] tensor; it now multiplies the
row-scaled probabilities by the exponentiated pair scores. This times the loss's forward and backward
pass both ways on batches of 32 real word counts with the tag sets of SNIPS and ATIS (random scores:
speed does not depend on them), interleaved in shuffled rounds, and checks that both give the same
loss. Where ../shared is absent the word counts are drawn from 3 to 20 and the tag counts are SNIPS's
and ATIS's train splits' (79 and 159 with O).
Writes benchmarks/results/crf.json and a section of docs/performance.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import interleaved_timing_args, replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SHARED = ROOT.parent / "shared" / "data"
BATCH = 32
PUBLISHED_TAGS = {"snips": 79, "atis": 159}
"""BIO tags with O where the data sets are absent (what their train splits give)."""


def data_set(name: str) -> tuple[list[int], int, str]:
    """Words per training utterance, the tag count and where both come from."""
    folder = SHARED / name / "train"
    if not folder.is_dir():
        rng = random.Random(0)
        return [rng.randint(3, 20) for _ in range(2000)], PUBLISHED_TAGS[name], "drawn (../shared is absent)"
    lines = (folder / "seq.out").read_text(encoding="utf-8").splitlines()
    tags = {t for line in lines for t in line.split()}
    slots = {t[2:] for t in tags if t != "O"}
    return [len(line.split()) for line in lines], 2 * len(slots) + 1, f"the {name} train split"


def logsumexp_normaliser(emissions: Any, real: Any, pairs: Any, start: Any) -> Any:
    """The recursion as TagCrf ran it until 2026-12-07: the baseline."""
    import torch

    alpha = emissions[:, 0] + start
    for w in range(1, emissions.shape[1]):
        step = torch.logsumexp(alpha[:, :, None] + pairs[None], dim=1) + emissions[:, w]
        alpha = torch.where(real[:, w, None], step, alpha)
    return torch.logsumexp(alpha, dim=1)


def main(argv: list[str] | None = None) -> int:
    args = interleaved_timing_args(__doc__, argv, rounds=15, unit="batches")
    import torch

    from assistant.training.crf import TagCrf

    rows: list[list[Any]] = []
    results: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    for name in PUBLISHED_TAGS:
        words, n_tags, sources[name] = data_set(name)
        tags = ["O", *(f"{p}-s{i}" for i in range((n_tags - 1) // 2) for p in ("B", "I"))]
        crf = TagCrf(tags, weight=1.0)
        with torch.no_grad():
            crf.transitions.normal_()
        rng = random.Random(0)
        batches = []
        for _ in range(args.rounds * args.steps + 1):
            counts = torch.tensor([rng.choice(words) for _ in range(BATCH)])
            real = torch.arange(int(counts.max()))[None] < counts[:, None]
            batches.append((torch.randn(BATCH, int(counts.max()), len(tags)) * 3, real))
        pairs, start = crf.transitions + crf.barred, crf.start_barred
        compared = {"log-sum-exp (before)": logsumexp_normaliser, "scaled matrix product (now)": crf.log_normaliser}
        with torch.no_grad():
            gap = max(float((compared["log-sum-exp (before)"](e, r, pairs, start)
                             - compared["scaled matrix product (now)"](e, r, pairs, start)).abs().max())
                      for e, r in batches)
        times: dict[str, list[float]] = {label: [] for label in compared}
        order = list(compared)
        for r in range(args.rounds):
            random.Random(r).shuffle(order)
            for label in order:
                for scores, real in batches[1 + r * args.steps: 1 + (r + 1) * args.steps]:
                    emissions = scores.clone().requires_grad_()
                    started = time.perf_counter()
                    compared[label](emissions, real, crf.transitions + crf.barred, start).sum().backward()
                    times[label].append((time.perf_counter() - started) * 1000)
        before = statistics.median(times["log-sum-exp (before)"])
        for label, values in times.items():
            median = statistics.median(values)
            results.setdefault(name, {})[label] = {"median_ms": round(median, 2),
                                                   "of_before": round(median / before, 3)}
            rows.append([name, len(tags), label, f"{median:.1f}", f"{median / before:.2f}"])
        results[name]["tags"], results[name]["largest_log_z_difference"] = len(tags), gap
    print(table(["set", "tags", "recursion", "ms per batch (median)", "of before"], rows))
    print("largest difference in log Z between the two:", {k: f"{v['largest_log_z_difference']:.1e}"
                                                           for k, v in results.items()})
    if args.no_write:
        return 0
    path = write_result("crf", {"threads": args.threads, "rounds": args.rounds, "steps": args.steps,
                                "batch": BATCH, "words_from": sources, "sets": results})
    replace_section(DOCS / "performance.md", "crf", _section(path, results, sources, args.threads), "Performance")
    print(f"wrote {path} and {DOCS / 'performance.md'}")
    return 0


def _section(path: Path, results: dict[str, Any], sources: dict[str, str], threads: int) -> str:
    lines = [f"Measured by `assistant bench crf` ({threads} threads; `{path.relative_to(ROOT)}`): the CRF loss's "
             f"forward and backward pass on batches of {BATCH} utterances whose word counts come from "
             + ", ".join(f"{source} ({name})" for name, source in sources.items())
             + ". Median time per batch, interleaved rounds; the two recursions' log Z differ by at most "
             + ", ".join(f"{r['largest_log_z_difference']:.0e} ({name})" for name, r in results.items()) + ".", "",
             "| set | tags | recursion | ms per batch | of before |", "|---|---:|---|---:|---:|"]
    for name, variants in results.items():
        lines += [f"| {name} | {variants['tags']} | {label} | {r['median_ms']:.1f} | {r['of_before']:.2f} |"
                  for label, r in variants.items() if isinstance(r, dict)]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
