"""docs/accuracy.md and docs/accuracy.png from the results of benchmarks/accuracy.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("JointBERT: Chen, Zhuo and Wang, 'BERT for Joint Intent Classification and Slot Filling' (2019), and the "
           "monologg/JointBERT reproduction (which also reports the DistilBERT variant); CLINC150: Larson et al., "
           "'An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction' (EMNLP 2019).")
METRICS = (("intent_accuracy", "intent"), ("slot_f1", "slot F1"), ("exact_match", "sentence"),
           ("in_scope_accuracy", "in-scope"), ("oos_recall", "oos recall"))


def _cell(summary: dict[str, Any], key: str) -> str:
    if key not in summary:
        return "—"
    return f"{summary[key]['mean'] * 100:.2f} ± {summary[key]['spread'] * 100:.2f}"


def _goal(goals: dict[str, float], summary: dict[str, Any]) -> str:
    verdicts = []
    for key, target in goals.items():
        mean = summary.get(key, {}).get("mean")
        if mean is None:
            continue
        verdict = "met" if mean >= target else f"missed by {(target - mean) * 100:.2f} pt"
        verdicts.append(f"{key.replace('_', ' ')} {verdict}")
    return "; ".join(verdicts)


def write_report(results: dict[str, Any], json_path: Path, docs: Path) -> None:
    docs.mkdir(exist_ok=True)
    _plot(results, docs / "accuracy.png")
    lines = ["# Accuracy on public benchmarks", "",
             f"Produced by `assistant bench accuracy` (`benchmarks/accuracy.py`); numbers in "
             f"`{json_path.relative_to(ROOT)}`. Each model is trained by `assistant train --data` on the set's "
             "train split with the shipped recipe (MiniLM teacher fine-tuned, 6-layer SqueezeBERT student started "
             "from it, distilled, exported to int8 ONNX, about 10 MB), the out-of-scope rule is chosen on the "
             "validation split, and the test split is scored with the exported model. Mean ± standard deviation "
             "over seeds, in percent.", "",
             "| set | intent | slot F1 | sentence | in-scope | oos recall | train min | goals |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, block in results["sets"].items():
        s = block["summary"]
        lines.append(f"| {name} (n={len(block['runs'])}) | " + " | ".join(_cell(s, k) for k, _ in METRICS)
                     + f" | {s['train_minutes']['mean']} | {_goal(results['goals'].get(name, {}), s)} |")
    lines += ["", "Reference points on the same test splits (intent / slot F1 / sentence):", ""]
    for ref in results["references"]:
        parts = [f"{ref['model']}, {ref['parameters_m']}M parameters:"]
        for name in ("snips", "atis"):
            if ref.get(name):
                parts.append(f"{name.upper()} " + " / ".join(f"{v * 100:.1f}" for v in ref[name]))
        lines.append("- " + " ".join(parts))
    lines += ["- CLINC150 (full): BERT-class classifiers about 96% in-scope accuracy with 40–66% out-of-scope "
              "recall.", "", f"Sources: {SOURCES}", ""]
    if results.get("ablations"):
        lines += ["## What each part of the recipe buys (SNIPS, seed 0)", "",
                  "| variant | intent | slot F1 | sentence | train min |", "|---|---:|---:|---:|---:|"]
        for label, run in results["ablations"].items():
            t = run["test"]
            lines.append(f"| {label} | {t['intent_accuracy'] * 100:.2f} | {t['slot_f1'] * 100:.2f} | "
                         f"{t['exact_match'] * 100:.2f} | {run['train_minutes']} |")
        lines.append("")
    lines += ["![accuracy against size, and the out-of-scope trade-off](accuracy.png)", ""]
    (docs / "accuracy.md").write_text("\n".join(lines))


def _plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), dpi=110)
    snips = results["sets"].get("snips")
    if snips:
        ours = snips["summary"]
        run = snips["runs"][0]
        left.scatter([run["parameters_m"]], [ours["exact_match"]["mean"] * 100], marker="*", s=200,
                     label=f"ours: SqueezeBERT 6x384 int8, {run['size_mb']} MB")
    for ref in results["references"]:
        if ref.get("snips"):
            left.scatter([ref["parameters_m"]], [ref["snips"][2] * 100], label=ref["model"])
    left.set_xscale("log")
    left.set_xlabel("parameters (millions, log scale)")
    left.set_ylabel("SNIPS sentence accuracy, %")
    left.set_title("Size against exact-frame accuracy")
    left.legend(fontsize=8)
    clinc = results["sets"].get("clinc150")
    if clinc:
        run = clinc["runs"][0]
        curve = run.get("test_curve", [])
        right.plot([p[2] * 100 for p in curve], [p[1] * 100 for p in curve], marker=".", label="test, seed 0")
        chosen = run["test"]
        right.scatter([chosen["oos_recall"] * 100], [chosen["in_scope_accuracy"] * 100], marker="*", s=200,
                      color="red", label=f"threshold chosen on validation ({run['oos_rule']['method']})")
        right.axhline(95, color="grey", linestyle=":")
        right.axvline(85, color="grey", linestyle=":")
    right.set_xlabel("out-of-scope recall, %")
    right.set_ylabel("in-scope accuracy, %")
    right.set_title("CLINC150: catching out-of-scope requests")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    data = json.loads((ROOT / "benchmarks" / "results" / "accuracy.json").read_text())
    write_report(data, ROOT / "benchmarks" / "results" / "accuracy.json", ROOT / "docs")
