"""SqueezeBERT against BERT-base, in one interleaved run: latency, energy and export routes.

    assistant bench nlu [--rounds 200] [--threads 1]      (or: python -m benchmarks.nlu)

Models (random weights: speed does not depend on them), all batch 1, on the same utterances:
- the shipped model (6 layers x 384, int8, per-group MatMul layout);
- SqueezeBERT-base shape (12 x 768, groups 4 as in the paper) exported three ways: transformers'
  Conv1d layout as is ("conv export"); our [batch, sequence, channels] layout with all groups of a
  convolution in one batched MatMul ("batched-MatMul export", how training computes); the same
  layout with one 2-D MatMul per group ("per-group MatMul export", what `assistant train` ships);
  each in fp32 and dynamic int8;
- BERT-base (12 x 768) in fp32 and dynamic int8.
Every round runs each model once in a shuffled order, so machine noise hits all of them alike.
Energy per request comes from the assistant's meter (RAPL when readable, else the CPU-time
estimate), summed over each model's runs: single runs are below a meter's resolution.
Then the ONNX Runtime session settings (threads, spinning, memory arena) are compared the same way.
Writes benchmarks/results/nlu.json, docs/performance.md and docs/performance_latency.png.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import RESULTS, percentiles, replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
DOCS = ROOT / "docs"
SEQUENCES = (12, 32)
GOAL_VS_BERT_FP32 = 5.0
GOAL_VS_BERT_INT8 = 1.5
SHIPPED = "shipped 6x384 int8"
CONV = "SqueezeBERT-base conv export"
BATCHED = "SqueezeBERT-base batched-MatMul export"
PER_GROUP = "SqueezeBERT-base per-group MatMul export"


@dataclass(frozen=True)
class Candidate:
    name: str
    path: Path
    family: str


def _export_all(cache: Path) -> list[Candidate]:
    """Export (once, cached) every candidate model; the shipped one is used as it is."""
    import torch
    from transformers import BertConfig, BertModel

    from assistant.training.export import SHIPPED_FORMAT, Layout, export_onnx, quantize
    from assistant.training.fast_squeezebert import FastSqueezeBert
    from assistant.training.modeling import JointModel, new_squeezebert, squeezebert_config

    cache.mkdir(parents=True, exist_ok=True)
    weights = SHIPPED_FORMAT.name.replace(" ", "-")
    torch.manual_seed(0)
    sample = torch.randint(1000, 30000, (1, 12))
    candidates = [Candidate(SHIPPED, ROOT / "resources" / "model" / "model.onnx", "shipped")]

    def build(name: str, family: str, make: Any, int8_ops: list[str] | None, layout: Layout = "split") -> None:
        fp32 = cache / f"{name.replace(' ', '_')}.fp32.onnx"
        route = weights if int8_ops is not None else "int8"  # the naive route quantises full-range int8
        int8 = cache / f"{name.replace(' ', '_')}.{route}.int8.onnx"  # another format, another file
        if not fp32.is_file():
            export_onnx(make(), fp32, sample, layout=layout)
        if not int8.is_file():
            _quantize(fp32, int8, int8_ops, quantize)
        candidates.append(Candidate(f"{name} fp32", fp32, family))
        candidates.append(Candidate(f"{name} int8", int8, family))

    base = squeezebert_config(30522, 12, 768, 12, 3072, 4, 512)

    def squeeze_conv() -> Any:
        return _ConvExport(new_squeezebert(base))

    def squeeze_matmul() -> Any:
        return JointModel(FastSqueezeBert(new_squeezebert(base)), 768, 27, 61)

    def bert() -> Any:
        config = BertConfig()
        return JointModel(BertModel(config, add_pooling_layer=False), 768, 27, 61)

    build(CONV, "squeezebert", squeeze_conv, None)
    build(BATCHED, "squeezebert", squeeze_matmul, ["MatMul", "Gather"], layout="batched")
    build(PER_GROUP, "squeezebert", squeeze_matmul, ["MatMul", "Gather"])
    build("BERT-base", "bert", bert, ["MatMul", "Gather"])
    return candidates


def _quantize(source: Path, target: Path, ops: list[str] | None, quantize: Any) -> None:
    if ops is not None:
        quantize(source, target)
        return
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)  # the naive route: Conv too


class _ConvExport:
    """transformers' SqueezeBertModel exported as it computes (Conv1d, [batch, channels, sequence])."""

    def __new__(cls, encoder: Any) -> Any:
        import torch
        from torch import nn

        class Wrapped(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.encoder = encoder
                self.intent_head = nn.Linear(768, 27)
                self.slot_head = nn.Linear(768, 61)

            def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> tuple[Any, Any]:
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                return self.intent_head(hidden[:, 0]), self.slot_head(hidden)

        return Wrapped()


def _session(path: Path, threads: int, spin: bool, arena: bool) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.enable_cpu_mem_arena = arena
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _inputs(length: int, vocab: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    ids = rng.integers(1000, min(vocab, 15000), size=(1, length), dtype=np.int64)
    ids[0, 0], ids[0, -1] = 101 if vocab > 101 else 2, 102 if vocab > 102 else 3
    return {"input_ids": ids, "attention_mask": np.ones_like(ids)}


def interleaved(sessions: dict[str, Any], feeds: dict[str, list[dict[str, np.ndarray]]], rounds: int,
                meter: Any) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Latency (ms) of each run and energy (J) summed per model, models shuffled every round."""
    names = list(sessions)
    times: dict[str, list[float]] = {n: [] for n in names}
    joules = dict.fromkeys(names, 0.0)
    order = random.Random(0)
    for name in names:  # warm-up
        for _ in range(5):
            sessions[name].run(None, feeds[name][0])
    for r in range(rounds):
        order.shuffle(names)
        for name in names:
            feed = feeds[name][r % len(feeds[name])]
            start_j = meter.reading()
            start = time.perf_counter_ns()
            sessions[name].run(None, feed)
            times[name].append((time.perf_counter_ns() - start) / 1e6)
            joules[name] += meter.reading() - start_j
    return times, joules


def run(rounds: int, threads: int, settings_rounds: int) -> dict[str, Any]:
    from tokenizers import Tokenizer

    from assistant.energy.meter import EnergyMeter

    meter = EnergyMeter.auto()
    candidates = _export_all(CACHE)
    rng = np.random.default_rng(0)
    shipped_vocab = Tokenizer.from_file(str(ROOT / "resources" / "model" / "tokenizer.json")).get_vocab_size()
    results: dict[str, Any] = {"sequences": {}, "energy_per_request": [], "energy_source": meter.source.description}
    for length in SEQUENCES:
        sessions = {c.name: _session(c.path, threads, spin=False, arena=True) for c in candidates}
        feeds = {c.name: [_inputs(length, shipped_vocab if c.family == "shipped" else 30522, rng) for _ in range(20)]
                 for c in candidates}
        times, joules = interleaved(sessions, feeds, rounds, meter)
        stats = {name: percentiles(v) for name, v in times.items()}
        results["sequences"][str(length)] = {"latency_ms": stats, "raw_ms": {k: [round(x, 4) for x in v]
                                                                             for k, v in times.items()}}
        for name in times:
            results["energy_per_request"].append({"model": name, "sequence": length, "p50_ms": stats[name]["p50"],
                                                  "mj_per_request": joules[name] / len(times[name]) * 1000})
        del sessions
    results["sizes_mb"] = {c.name: round(c.path.stat().st_size / 1e6, 1) for c in candidates}
    results["ratios_seq12"] = _ratios(results["sequences"]["12"]["latency_ms"])
    results["settings"] = _settings_sweep(candidates, settings_rounds, meter, rng, shipped_vocab)
    results["threads"] = threads
    return results


def _ratios(latency: dict[str, dict[str, float]]) -> dict[str, Any]:
    squeeze = {k: v["p50"] for k, v in latency.items() if k.startswith("SqueezeBERT-base")}
    best_name = min(squeeze, key=lambda k: squeeze[k])
    best = squeeze[best_name]

    def p50(name: str) -> float:
        return latency[name]["p50"]

    return {"best_squeezebert": best_name, "bert_fp32_over_best": p50("BERT-base fp32") / best,
            "bert_int8_over_best": p50("BERT-base int8") / best,
            "conv_int8_over_conv_fp32": p50(f"{CONV} int8") / p50(f"{CONV} fp32"),
            "batched_fp32_over_conv_fp32": p50(f"{BATCHED} fp32") / p50(f"{CONV} fp32"),
            "per_group_int8_over_batched_int8": p50(f"{PER_GROUP} int8") / p50(f"{BATCHED} int8")}


def _settings_sweep(candidates: list[Candidate], rounds: int, meter: Any, rng: np.random.Generator,
                    shipped_vocab: int) -> list[dict[str, Any]]:
    """Threads, spinning and memory arena for the shipped and the SqueezeBERT-base int8 models, seq 12."""
    chosen = [c for c in candidates if c.family == "shipped" or c.name == f"{PER_GROUP} int8"]
    variants = [(1, False, True), (2, False, True), (1, True, True), (2, True, True), (1, False, False)]
    sessions, feeds = {}, {}
    for c in chosen:
        for threads, spin, arena in variants:
            key = f"{c.name} | threads {threads}, spin {'on' if spin else 'off'}, arena {'on' if arena else 'off'}"
            sessions[key] = _session(c.path, threads, spin, arena)
            feeds[key] = [_inputs(12, shipped_vocab if c.family == "shipped" else 30522, rng) for _ in range(20)]
    times, joules = interleaved(sessions, feeds, rounds, meter)
    return [{"setting": k, **percentiles(v), "mj_per_request": joules[k] / len(v) * 1000} for k, v in times.items()]


def _plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    raw = results["sequences"]["12"]["raw_ms"]
    names = sorted(raw, key=lambda n: np.median(raw[n]))
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    bins = list(np.logspace(np.log10(min(min(v) for v in raw.values()) * 0.9),
                       np.log10(max(np.percentile(v, 99.5) for v in raw.values()) * 1.1), 80))
    for name in names:
        label = f"{name} (p50 {np.median(raw[name]):.2f} ms)"
        ax.hist(raw[name], bins=bins, histtype="step", linewidth=1.5, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("latency per request, ms (log scale), sequence length 12, batch 1")
    ax.set_ylabel("requests")
    ax.set_title("ONNX Runtime on the CPU, interleaved runs")
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _markdown(results: dict[str, Any], json_path: Path) -> str:
    from benchmarks.common import machine

    ratios = results["ratios_seq12"]
    lines = [f"Produced by `assistant bench nlu` (`benchmarks/nlu.py`) on {machine()['cpu']}, "
             f"{machine()['cores']} cores, {results['threads']} ONNX Runtime thread(s), batch 1; "
             f"numbers in `{json_path.relative_to(ROOT)}`. Runs are interleaved (every round runs every model once "
             "in a shuffled order), so the ratios are measured side by side. Random weights: speed does not "
             "depend on them.", ""]
    for length, block in results["sequences"].items():
        lines += [f"## Sequence length {length}", "", "| model | p50 ms | p90 ms | p99 ms | mJ/request | size MB |",
                  "|---|---:|---:|---:|---:|---:|"]
        energy = {(e["model"], str(e["sequence"])): e["mj_per_request"] for e in results["energy_per_request"]}
        for name, stats in sorted(block["latency_ms"].items(), key=lambda kv: kv[1]["p50"]):
            lines.append(f"| {name} | {stats['p50']:.2f} | {stats['p90']:.2f} | {stats['p99']:.2f} | "
                         f"{energy[(name, length)]:.2f} | {results['sizes_mb'][name]} |")
        lines.append("")
    met5 = ratios["bert_fp32_over_best"] >= GOAL_VS_BERT_FP32
    met15 = ratios["bert_int8_over_best"] >= GOAL_VS_BERT_INT8
    lines += ["## Goals at sequence length 12", "",
              f"Fastest SqueezeBERT-base variant: **{ratios['best_squeezebert']}**.", "",
              f"- BERT-base fp32 / SqueezeBERT-base: **{ratios['bert_fp32_over_best']:.2f}x** "
              f"(goal >= {GOAL_VS_BERT_FP32}x: {'met' if met5 else 'missed'})",
              f"- BERT-base int8 / SqueezeBERT-base: **{ratios['bert_int8_over_best']:.2f}x** "
              f"(goal >= {GOAL_VS_BERT_INT8}x: {'met' if met15 else 'missed'})",
              f"- the naive route: int8 quantisation of the Conv1d export makes it "
              f"{ratios['conv_int8_over_conv_fp32']:.2f}x as slow as its fp32 (ConvInteger); the batched-MatMul "
              f"layout in fp32 takes {ratios['batched_fp32_over_conv_fp32']:.2f}x the time of the Conv1d export in "
              f"fp32; in int8, one MatMul per group takes {ratios['per_group_int8_over_batched_int8']:.2f}x the "
              "time of the batched MatMul.", "",
              "![latency histogram](performance_latency.png)", "",
              "## Session settings (sequence length 12)", "",
              "| model | setting | p50 ms | p90 ms | p99 ms | mJ/request |", "|---|---|---:|---:|---:|---:|"]
    for row in results["settings"]:
        lines.append(f"| {row['setting']} | {row['p50']:.3f} | {row['p90']:.3f} | {row['p99']:.3f} | "
                     f"{row['mj_per_request']:.2f} |")
    lines += ["", f"Energy source: {results['energy_source']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--settings-rounds", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    results = run(args.rounds, args.threads, args.settings_rounds)
    for length, block in results["sequences"].items():
        print(f"\nSequence length {length}, {args.rounds} interleaved rounds, ms:")
        rows = [(n, s["p50"], s["p90"], s["p99"]) for n, s in sorted(block["latency_ms"].items(),
                                                                        key=lambda kv: kv[1]["p50"])]
        print(table(["model", "p50", "p90", "p99"], rows))
    ratios = results["ratios_seq12"]
    print(f"\nseq 12: BERT-base fp32 / best SqueezeBERT-base = {ratios['bert_fp32_over_best']:.2f}x "
          f"(goal {GOAL_VS_BERT_FP32}x); BERT-base int8 / best = {ratios['bert_int8_over_best']:.2f}x "
          f"(goal {GOAL_VS_BERT_INT8}x); best = {ratios['best_squeezebert']}")
    print("\nSession settings, seq 12:")
    print(table(["setting", "p50", "p99", "mJ"], [(r["setting"], r["p50"], r["p99"], r["mj_per_request"])
                                                  for r in results["settings"]]))
    stored = {k: v for k, v in results.items() if k != "sequences"}
    stored["sequences"] = {k: {"latency_ms": v["latency_ms"]} for k, v in results["sequences"].items()}
    path = write_result("nlu", stored)
    DOCS.mkdir(exist_ok=True)
    _plot(results, DOCS / "performance_latency.png")
    replace_section(DOCS / "performance.md", "performance", _markdown(results, path),
                    "Performance: SqueezeBERT against BERT-base")
    print(f"\nwrote {path}, {DOCS / 'performance.md'} and the plot; RESULTS={RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
