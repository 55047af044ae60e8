"""Training step time: real tokens only against the padded grid, fused AdamW against the default.

    assistant bench training [--rounds 12] [--threads 2]      (or: python -m benchmarks.training)

The models of the SNIPS recipe with random weights (speed does not depend on them): the
SqueezeBERT student (6 x 384, groups 4, 16 000 word pieces) and the MiniLM-shaped BERT teacher.
Batches of 32 are drawn at random, as training draws them, from the token lengths of SNIPS's
training split with one slot-value substitution copy each (the recipe's data; the built-in
plugins' examples when ../shared is absent). Each step is what the training loop does: forward,
joint loss, backward, gradient clipping, optimizer step. Every round runs each variant for a few
steps in a shuffled order, so machine noise hits all of them alike; the table has the median time
per step and its ratio to the way training computed before (padded, default AdamW).
Writes benchmarks/results/training.json and a section of docs/performance.md.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import interleaved_timing_args, replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPS = ROOT.parent / "shared" / "data" / "snips"
BATCH = 32
VOCABULARY = 16000
INTENTS, TAGS = 8, 73
BEFORE = "padded, default AdamW"


def token_lengths() -> tuple[list[int], str]:
    """Word pieces per training utterance ([CLS] and [SEP] included) and where they come from."""
    from assistant.nlu.encoding import TextEncoder
    from assistant.training.augment import augment
    from assistant.training.pretrained import load_minilm

    encoder = TextEncoder.from_file(load_minilm().tokenizer_file, 128)
    if SNIPS.is_dir():
        from assistant.nlu.data import load_labelled

        train = load_labelled(SNIPS, "train")
        texts = [u.text for u in [*train, *augment(train, 1, 0)]]
        source = "the SNIPS train split with one substitution copy each"
    else:
        from assistant.nlu.training_set import build_training_set, general_negatives
        from assistant.plugins.registry import PluginRegistry

        specs = PluginRegistry.discover(None).specs()
        texts = [u.text for u in build_training_set(specs, general_negatives()).train]
        source = "the built-in plugins' training examples (../shared is absent)"
    return [len(encoder.encode(t).input_ids) for t in texts], source


def batches(lengths: list[int], count: int, seed: int) -> list[Any]:
    """``count`` training batches of random utterances with these lengths, padded as training pads them."""
    import numpy as np

    from assistant.training.features import Features, collate

    rng = np.random.default_rng(seed)
    utterances = [Features(rng.integers(5, VOCABULARY, n), int(rng.integers(INTENTS)), rng.integers(0, TAGS, n))
                  for n in lengths]
    order = random.Random(seed)
    return [collate(utterances, order.sample(range(len(utterances)), BATCH)) for _ in range(count)]


STUDENT_BEFORE = f"student, {BEFORE}"
TEACHER_BEFORE = f"teacher (transformers BertModel), {BEFORE}"


def variants() -> dict[str, tuple[Callable[[], Any], str]]:
    """Name -> (a function making (model, optimizer), the variant it is compared with); each model
    starts from the same seed."""
    import torch
    from transformers import BertConfig, BertModel

    from assistant.training.fast_bert import FastBert
    from assistant.training.fast_squeezebert import FastSqueezeBert
    from assistant.training.loop import adamw
    from assistant.training.modeling import JointModel, new_squeezebert, squeezebert_config

    def student(pack: bool, fused: bool) -> Callable[[], Any]:
        def make() -> Any:
            torch.manual_seed(0)
            encoder = new_squeezebert(squeezebert_config(VOCABULARY, 6, 384, 12, 1536, 4, 128))
            model = JointModel(FastSqueezeBert(encoder, pack=pack), 384, INTENTS, TAGS).train()
            return model, adamw(model, 3e-4, 0.01, fused=fused)
        return make

    def teacher(ours: bool, fused: bool) -> Callable[[], Any]:
        def make() -> Any:
            torch.manual_seed(0)
            bert = BertModel(BertConfig(vocab_size=VOCABULARY, hidden_size=384, num_hidden_layers=6,
                                        num_attention_heads=12, intermediate_size=1536), add_pooling_layer=False)
            model = JointModel(FastBert(bert) if ours else bert, 384, INTENTS, TAGS).train()
            return model, adamw(model, 1e-4, 0.01, fused=fused)
        return make

    return {
        STUDENT_BEFORE: (student(False, False), STUDENT_BEFORE),
        "student, padded, fused AdamW": (student(False, True), STUDENT_BEFORE),
        "student, real tokens only, default AdamW": (student(True, False), STUDENT_BEFORE),
        "student, real tokens only, fused AdamW (training now)": (student(True, True), STUDENT_BEFORE),
        TEACHER_BEFORE: (teacher(False, False), TEACHER_BEFORE),
        "teacher, real tokens only, fused AdamW (training now)": (teacher(True, True), TEACHER_BEFORE),
    }


def step(model: Any, optimizer: Any, batch: Any) -> None:
    """One training step as the training loop takes it (without distillation)."""
    from assistant.training.loop import joint_loss, update

    intent_logits, slot_logits = model(batch.input_ids, batch.attention_mask)
    update(model, optimizer, joint_loss(intent_logits, slot_logits, batch))


def main(argv: list[str] | None = None) -> int:
    args = interleaved_timing_args(__doc__, argv, rounds=12, unit="steps")
    lengths, source = token_lengths()
    data = batches(lengths, args.rounds * args.steps + 2, seed=0)
    width = statistics.fmean(int(b.input_ids.shape[1]) for b in data)
    real = statistics.fmean(float(b.attention_mask.sum()) / BATCH for b in data)
    compared = variants()
    made = {name: make() for name, (make, _) in compared.items()}
    times: dict[str, list[float]] = {name: [] for name in made}
    for model, optimizer in made.values():  # warm up: first steps allocate
        for batch in data[:2]:
            step(model, optimizer, batch)
    order = list(made)
    for r in range(args.rounds):
        random.Random(r).shuffle(order)
        chunk = data[2 + r * args.steps: 2 + (r + 1) * args.steps]
        for name in order:
            model, optimizer = made[name]
            for batch in chunk:
                started = time.perf_counter()
                step(model, optimizer, batch)
                times[name].append((time.perf_counter() - started) * 1000)
    rows, results = [], {}
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / statistics.median(times[compared[name][1]])
        results[name] = {"median_ms": round(median, 1), "of_before": round(ratio, 3), "steps": len(values)}
        rows.append([name, f"{median:.0f}", f"{ratio:.2f}"])
    print(f"batches of {BATCH} from {source}: {real:.1f} real tokens per utterance, padded to {width:.1f}")
    print(table(["variant", "ms/step (median)", "of before"], rows))
    if args.no_write:
        return 0
    path = write_result("training", {"threads": args.threads, "rounds": args.rounds, "steps": args.steps,
                                     "lengths_from": source, "real_tokens_per_utterance": round(real, 2),
                                     "padded_width": round(width, 2), "variants": results})
    replace_section(DOCS / "performance.md", "training", _section(path, results, source, real, width, args.threads),
                    "Performance")
    print(f"wrote {path} and {DOCS / 'performance.md'}")
    return 0


def _section(path: Path, results: dict[str, Any], source: str, real: float, width: float, threads: int) -> str:
    lines = [f"Measured by `assistant bench training` ({threads} threads; `{path.relative_to(ROOT)}`): batches of "
             f"{BATCH} drawn at random from {source}, {real:.1f} real word pieces per utterance, padded to "
             f"{width:.1f}. Median time per training step, interleaved rounds.", "",
             "| variant | ms per step | of before |", "|---|---:|---:|"]
    lines += [f"| {name} | {r['median_ms']:.0f} | {r['of_before']:.2f} |" for name, r in results.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
