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
BEFORE = "log-sum-exp (before)"


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
    results, sources, rows = {}, {}, []
    for name in PUBLISHED_TAGS:
        words, n_tags, sources[name] = data_set(name)
        results[name] = measure(words, n_tags, args.rounds, args.steps)
        rows += [[name, n_tags, label, f"{r['median_ms']:.1f}", f"{r['of_before']:.2f}"]
                 for label, r in results[name]["recursions"].items()]
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


def measure(words: list[int], n_tags: int, rounds: int, steps: int) -> dict[str, Any]:
    """Both recursions on the same batches of ``words``-long rows, interleaved: their median times and how far
    their log Z apart."""
    import torch

    from assistant.training.crf import TagCrf

    crf = TagCrf(["O", *(f"{p}-s{i}" for i in range((n_tags - 1) // 2) for p in ("B", "I"))], weight=1.0)
    with torch.no_grad():
        crf.transitions.normal_()
    rng = random.Random(0)
    batches = []
    for _ in range(rounds * steps):
        counts = torch.tensor([rng.choice(words) for _ in range(BATCH)])
        real = torch.arange(int(counts.max()))[None] < counts[:, None]
        batches.append((torch.randn(BATCH, int(counts.max()), n_tags) * 3, real))
    compared = {BEFORE: logsumexp_normaliser, "scaled matrix product (now)": crf.log_normaliser}
    with torch.no_grad():
        pairs = crf.transitions + crf.barred
        log_z = {label: [f(e, r, pairs, crf.start_barred) for e, r in batches] for label, f in compared.items()}
    gap = max(float((a - b).abs().max()) for a, b in zip(*log_z.values(), strict=True))
    times: dict[str, list[float]] = {label: [] for label in compared}
    order = list(compared)
    for r in range(rounds):
        random.Random(r).shuffle(order)
        for label in order:
            for scores, real in batches[r * steps: (r + 1) * steps]:
                emissions = scores.clone().requires_grad_()
                started = time.perf_counter()
                compared[label](emissions, real, crf.transitions + crf.barred, crf.start_barred).sum().backward()
                times[label].append((time.perf_counter() - started) * 1000)
    before = statistics.median(times[BEFORE])
    return {"tags": n_tags, "largest_log_z_difference": gap,
            "recursions": {label: {"median_ms": round(statistics.median(values), 2),
                                   "of_before": round(statistics.median(values) / before, 3)}
                           for label, values in times.items()}}


def _section(path: Path, results: dict[str, Any], sources: dict[str, str], threads: int) -> str:
    lines = [f"Measured by `assistant bench crf` ({threads} threads; `{path.relative_to(ROOT)}`): the CRF loss's "
             f"forward and backward pass on batches of {BATCH} utterances whose word counts come from "
             + ", ".join(f"{source} ({name})" for name, source in sources.items())
             + ". Median time per batch, interleaved rounds; the two recursions' log Z differ by at most "
             + ", ".join(f"{r['largest_log_z_difference']:.0e} ({name})" for name, r in results.items()) + ".", "",
             "| set | tags | recursion | ms per batch | of before |", "|---|---:|---|---:|---:|"]
    for name, result in results.items():
        lines += [f"| {name} | {result['tags']} | {label} | {r['median_ms']:.1f} | {r['of_before']:.2f} |"
                  for label, r in result["recursions"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
