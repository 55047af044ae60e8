"""How each int8 weight format computes on this CPU, against the fp32 model it was made from.

    assistant bench int8 MODEL_DIR [--rounds 300]      (or: python -m benchmarks.int8 MODEL_DIR)

MODEL_DIR is a model trained with ``assistant train --no-quantize`` (the shipped model's command plus
that flag gives the shipped weights in fp32). ONNX Runtime multiplies the uint8 activations of a
dynamically quantised MatMul by its weights; with int8 weights on an x86 CPU without VNNI it uses
VPMADDUBSW, which adds two byte products into a 16-bit integer and saturates above 32 767, so the
result depends on the CPU. The variants:
- "int8": int8 weights over their full range (the export until 2026-12-07);
- "7-bit int8": int8 weights in [-64, 64] (``reduce_range``): two products stay below 2**15;
- "uint8": uint8 weights with a zero point per column (ONNX Runtime widens them to 16 bits first).
For each, on the built-in examples and ``tests/data/heldout.yaml`` (or with ``--data`` on a data
set's test split), each parsed alone as the app parses a request: the largest |logit| change from
fp32, the parses whose intent differs from fp32's, the held-out scores, and the median latency per
request (variants interleaved in shuffled rounds over the first ROUNDS texts). The slot logit change
is over every token, [CLS], [SEP] and word pieces the decoder does not read included; the median is
over sentences of each sentence's largest change. Every variant keeps the fp32 model's card, so its
out-of-scope rule. Writes benchmarks/results/int8.json and its section of docs/performance.md (with
``--data``: int8-NAME.json alone).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import percentiles, replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
HELDOUT = ROOT / "tests" / "data" / "heldout.yaml"


def _texts(data: Path | None) -> tuple[list[str], list[Any]]:
    """What each format parses: the built-in examples and the held-out file, or a data set's test split."""
    from assistant.nlu.data import load_labelled, read_labelled_yaml
    from assistant.plugins.registry import PluginRegistry

    if data is not None:
        test = load_labelled(data, "test")
        return [u.text for u in test], test
    examples = [e.text for s in PluginRegistry.discover(None).specs() for i in s.intents for e in i.examples]
    return examples, read_labelled_yaml(HELDOUT)


def _logits(model: Any, text: str) -> tuple[np.ndarray, np.ndarray]:
    ids = model.encoder.encode(text).input_ids[None, :]
    intents, slots = model.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
    return intents[0], slots[0]


def _accuracy(models: dict[str, Any], texts: list[str], heldout: list[Any], quote: bool) -> dict[str, dict[str, Any]]:
    """``quote``: list the texts whose intent changed (the built-in examples are ours; a public data set's
    utterances stay out of the results)."""
    from assistant.nlu.metrics import score

    reference = models["fp32"]
    fp32 = [_logits(reference, t) for t in texts]
    fp32_intents = [reference.parse(t).intent.name for t in texts]
    out = {}
    for name, model in models.items():
        changes = np.array([[float(np.abs(a - b).max()) for a, b in zip(ref, _logits(model, t), strict=True)]
                            for ref, t in zip(fp32, texts, strict=True)])  # [text, (intent, slots)]
        intents = [model.parse(t).intent.name for t in texts]
        unlike = [[t, a, b] for t, a, b in zip(texts, fp32_intents, intents, strict=True) if a != b]
        scores = score(heldout, [model.parse(u.text) for u in heldout]).to_json(4)
        out[name] = {"largest_intent_logit_change": round(float(changes[:, 0].max()), 4),
                     "largest_slot_logit_change": round(float(changes[:, 1].max()), 4),
                     "median_logit_change": round(float(np.median(changes.max(axis=1))), 4),
                     "intents_unlike_fp32": len(unlike), "unlike_fp32": unlike[:10] if quote else [],
                     "heldout": scores, "size_mb": round(model.size_bytes / 1e6, 2)}
    return out


def _latency(models: dict[str, Any], texts: list[str], rounds: int) -> dict[str, dict[str, float]]:
    names = list(models)
    times: dict[str, list[float]] = {n: [] for n in names}
    order = random.Random(0)
    for name in names:
        for text in texts[:5]:
            models[name].parse(text)
    for r in range(rounds):
        order.shuffle(names)
        text = texts[r % len(texts)]
        for name in names:
            start = time.perf_counter_ns()
            models[name].parse(text)
            times[name].append((time.perf_counter_ns() - start) / 1e6)
    return {name: percentiles(values) for name, values in times.items()}


def run(model_dir: Path, rounds: int, data: Path | None = None) -> dict[str, Any]:
    from assistant.nlu.int8_kernels import FORMATS
    from assistant.nlu.runtime import NluModel, SessionSettings
    from assistant.training.export import quantize_weights

    texts, heldout = _texts(data)
    settings = SessionSettings(threads=1)
    with tempfile.TemporaryDirectory(prefix="assistant-int8-") as folder:
        models = {"fp32": NluModel(model_dir, settings)}
        for number, weights in enumerate(FORMATS):
            target = Path(folder) / str(number)
            shutil.copytree(model_dir, target)
            quantize_weights(model_dir / "model.onnx", target / "model.onnx", weights)
            models[weights.name] = NluModel(target, settings)
        accuracy = _accuracy(models, texts, heldout, quote=data is None)
        latency = _latency(models, texts, rounds)
    return {"model": str(model_dir), "data": str(data) if data else None, "texts": len(texts), "heldout": len(heldout),
            "rounds": rounds, "variants": {n: {**accuracy[n], "latency_ms": latency[n]} for n in models}}


def _rows(results: dict[str, Any]) -> list[list[Any]]:
    fp32 = results["variants"]["fp32"]["latency_ms"]["p50"]
    return [[name, f"{v['size_mb']:.1f}", f"{v['largest_intent_logit_change']:.2f}",
             f"{v['largest_slot_logit_change']:.2f}", f"{v['median_logit_change']:.3f}",
             f"{v['intents_unlike_fp32']} / {results['texts']}",
             f"{v['heldout']['intent_accuracy']:.2%}", f"{v['heldout']['slot_f1']:.2%}",
             f"{v['latency_ms']['p50']:.2f}", f"{v['latency_ms']['p50'] / fp32:.2f}"]
            for name, v in results["variants"].items()]


HEADERS = ["weights", "MB", "largest intent logit change", "largest slot logit change",
           "median of sentences' largest change", "intents unlike fp32", "held-out intent", "held-out slot F1",
           "ms per request (median)", "vs fp32"]


def _markdown(results: dict[str, Any], json_path: Path) -> str:
    rows = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    rows += ["| " + " | ".join(str(c) for c in row) + " |" for row in _rows(results)]
    flags = ", ".join(results["machine"].get("int8_extensions", [])) or "none read"  # write_result records them
    return "\n".join([
        f"Measured {results['measured'][:10]} on {results['machine']['cpu']} (integer extensions: {flags}), "
        f"one thread, by `assistant bench int8` on `{Path(results['model']).name}` trained with `--no-quantize`: "
        f"{results['texts']} built-in examples and {results['heldout']} held-out utterances, each parsed alone; "
        f"latency over {results['rounds']} interleaved rounds ({json_path.relative_to(ROOT).as_posix()}).", "",
        *rows, "",
        *[f"- {name}: " + "; ".join(f"“{text}” {want} → {got}" for text, want, got in v["unlike_fp32"])
          for name, v in results["variants"].items() if v.get("unlike_fp32")]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a model directory trained with --no-quantize")
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--data", type=Path, help="a data set (BIO or CLINC150 JSON): parse its test split instead "
                                                  "of the built-in examples; writes int8-NAME.json, no docs")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from assistant.nlu.modelcard import ModelCard

    card = args.model / "model_card.json"
    if not card.is_file() or ModelCard.read(args.model).precision != "fp32":
        print(f"{args.model} is not an fp32 model: train one with `assistant train --no-quantize --output DIR`")
        return 1
    results = run(args.model, args.rounds, args.data)
    print(table(HEADERS, _rows(results)))
    if args.no_write:
        return 0
    if args.data:
        print(f"wrote {write_result(f'int8-{args.data.name}', results)}")
        return 0
    path = write_result("int8", results)
    replace_section(DOCS / "performance.md", "int8", _markdown(json.loads(path.read_text()), path),
                    "Performance")
    print(f"wrote {path} and {DOCS / 'performance.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
