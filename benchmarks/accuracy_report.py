"""docs/accuracy.md and docs/accuracy.png from the results of benchmarks/accuracy.py."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

from benchmarks.common import replace_section

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("JointBERT: Chen, Zhuo and Wang, 'BERT for Joint Intent Classification and Slot Filling' (2019), and the "
           "monologg/JointBERT reproduction (which also reports the DistilBERT variant); CLINC150: Larson et al., "
           "'An Evaluation Dataset for Intent Classification and Out-of-Scope Prediction' (EMNLP 2019).")
METRICS = (("intent_accuracy", "intent"), ("slot_f1", "slot F1"), ("exact_match", "sentence"),
           ("in_scope_accuracy", "in-scope"), ("oos_recall", "oos recall"))


def _cell(summary: dict[str, Any], key: str, seeds: int) -> str:
    if key not in summary:
        return "—"
    if seeds == 1:
        return f"{summary[key]['mean'] * 100:.2f}"
    return f"{summary[key]['mean'] * 100:.2f} ± {summary[key]['spread'] * 100:.2f}"


def _trained(runs: list[dict[str, Any]]) -> str:
    """When the runs' models were trained: a date, or the first and last."""
    dates = sorted({run["trained"] for run in runs if run.get("trained")})
    if not dates:
        return "—"
    return dates[0] if len(dates) == 1 else f"{dates[0]} – {dates[-1]}"


def _goal(goals: dict[str, float], summary: dict[str, Any]) -> str:
    verdicts = []
    for key, target in goals.items():
        if key == "train_minutes":
            verdicts.append(_time_goal(summary, target))
            continue
        mean = summary.get(key, {}).get("mean")
        if mean is None:
            continue
        verdict = "met" if mean >= target else f"missed by {_points(target - mean)} pt"
        verdicts.append(f"{key.replace('_', ' ')} {verdict}")
    return "; ".join(verdicts)


def _points(shortfall: float) -> str:
    """Percentage points, with a third decimal when two would round a miss to nothing."""
    points = shortfall * 100
    return f"{points:.2f}" if points >= 0.005 else f"{points:.3f}"


def minutes(summary: dict[str, Any]) -> float:
    """The training time a set's row shows: the median of its timed runs (results published before
    2026-12-05 have the mean of all runs)."""
    time = summary["train_minutes"]
    return float(time.get("median", time.get("mean")))


def _time_goal(summary: dict[str, Any], target: float) -> str:
    time, value = summary["train_minutes"], minutes(summary)
    verdict = "met" if value <= target else f"missed by {value - target:.1f} min"
    threads = time.get("threads")
    if not threads:
        return f"training time {verdict}"
    if "median" not in time:
        which = "mean of its runs"
    else:
        which = f"median of {time['runs']} runs" if time["runs"] > 1 else "one run"
    return (f"training time {verdict} on {threads} thread{'s' if threads > 1 else ''} ({which}; the goal is for "
            "2 cores)")


def results_section(results: dict[str, Any], json_path: Path) -> str:
    """The generated part of docs/accuracy.md: the table, the references, the ablations, the plot."""
    load = results.get("machine", {}).get("load_average_1_5_15_min")
    lines = [f"Measured {results.get('measured', '')} on {results.get('machine', {}).get('cpu', 'this machine')}"
             f"{f' (load average {load[1]} over 5 min)' if load else ''}; numbers in `{json_path.relative_to(ROOT)}`. "
             "Percent; mean ± standard deviation where there is more than one seed. Training minutes: the median "
             "of the runs that had the most threads (rows published before 2026-12-05: the mean of all runs).", "",
             "| set | seeds | trained | intent | slot F1 | sentence | in-scope | oos recall | train min | goals |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, block in results["sets"].items():
        s, seeds = block["summary"], len(block["runs"])
        lines.append(f"| {name} | {seeds} | {_trained(block['runs'])} | "
                     + " | ".join(_cell(s, k, seeds) for k, _ in METRICS)
                     + f" | {minutes(s)} | {_goal(results['goals'].get(name, {}), s)} |")
    prior = _without_prior(results)
    if prior:
        lines += ["", "The same models decoded without the tag-pair prior (slot F1 / sentence, mean over the same "
                  "seeds; weight chosen on validation in brackets): " + "; ".join(prior) + "."]
    balanced = _balanced_rule(results)
    if balanced:
        lines += ["", "Rows whose threshold was chosen for an out-of-scope recall on validation; the rule with the "
                  "best balance of in-scope accuracy and recall, chosen on the same validation split, would have given "
                  "(in-scope / oos recall on test, mean over the same seeds): " + "; ".join(balanced) + "."]
    lines += ["", "Reference points on the same test splits (intent / slot F1 / sentence):", ""]
    for ref in results["references"]:
        parts = [f"{ref['model']}, {ref['parameters_m']}M parameters:"]
        for name in ("snips", "atis"):
            if ref.get(name):
                parts.append(f"{name.upper()} " + " / ".join(f"{v * 100:.1f}" for v in ref[name]))
        lines.append("- " + " ".join(parts))
    lines += ["- CLINC150 (full): BERT-class classifiers about 96% in-scope accuracy with 40–66% out-of-scope "
              "recall.", "", f"Sources: {SOURCES}", ""]
    for name, variants in results.get("ablations", {}).items():
        lines += _ablation_table(name, variants, results["goals"].get(name, {}).get("oos_recall", 1.0))
    lines.append("![accuracy against size, and the out-of-scope trade-off](accuracy.png)")
    return "\n".join(lines)


def _ablation_table(name: str, variants: dict[str, Any], recall_goal: float) -> list[str]:
    """What each part of the recipe buys on one set: tagging scores, or out-of-scope scores for CLINC150."""
    oos = any("test_curve" in run for run in variants.values())
    if oos:
        lines = [f"What each part of the recipe buys ({name} test, seed 0; in-scope accuracy without any "
                 "rejection is the classifier's own ceiling; the best in-scope accuracy of the test curve's "
                 f"points that catch at least {recall_goal:.0%} of the out-of-scope queries compares the "
                 "curves where the goal is, whatever point the validated threshold picks):", "",
                 f"| variant | in-scope | oos recall | in-scope, no rejection | in-scope at ≥ {recall_goal:.0%} "
                 "recall (test curve) | train min | trained |",
                 "|---|---:|---:|---:|---:|---:|---|"]
        for label, run in variants.items():
            test, points = run["test"], run["test_curve"]
            ceiling = max(point[1] for point in points)
            at_goal = max((point[1] for point in points if point[2] >= recall_goal), default=None)
            lines.append(f"| {label} | {test['in_scope_accuracy'] * 100:.2f} | {test['oos_recall'] * 100:.2f} | "
                         f"{ceiling * 100:.2f} | {'—' if at_goal is None else f'{at_goal * 100:.2f}'} | "
                         f"{run['train_minutes']} | {_trained([run])} |")
        return [*lines, ""]
    lines = [f"What each part of the recipe buys ({name} test, seed 0):", "",
             "| variant | intent | slot F1 | sentence | train min | trained |", "|---|---:|---:|---:|---:|---|"]
    for label, run in variants.items():
        lines.append(_ablation_row(label, run["test"], run["train_minutes"], _trained([run])))
        if label == "full recipe" and "test_without_tag_prior" in run:
            lines.append(_ablation_row("full recipe, decoded without the tag-pair prior",
                                       run["test_without_tag_prior"], "(same model)", _trained([run])))
    return [*lines, ""]


def _ablation_row(label: str, test: dict[str, Any], minutes: object, trained: str) -> str:
    return (f"| {label} | {test['intent_accuracy'] * 100:.2f} | {test['slot_f1'] * 100:.2f} | "
            f"{test['exact_match'] * 100:.2f} | {minutes} | {trained} |")


def _without_prior(results: dict[str, Any]) -> list[str]:
    parts = []
    for name, block in results["sets"].items():
        runs = [r for r in block["runs"] if "test_without_tag_prior" in r]
        if not runs:
            continue
        slot, exact = (statistics.fmean(r["test_without_tag_prior"][k] for r in runs) * 100
                       for k in ("slot_f1", "exact_match"))
        weights = ", ".join(f"{r['tag_bigram_weight']:g}" for r in runs)
        parts.append(f"{name} {slot:.2f} / {exact:.2f} ({weights})")
    return parts


def _balanced_rule(results: dict[str, Any]) -> list[str]:
    parts = []
    for name, block in results["sets"].items():
        runs = [r["balanced_rule"] for r in block["runs"] if "balanced_rule" in r]
        if runs:
            accuracy, recall = (statistics.fmean(r[k] for r in runs) * 100
                                for k in ("test_in_scope_accuracy", "test_oos_recall"))
            parts.append(f"{name} {accuracy:.2f} / {recall:.2f}")
    return parts


def write_report(results: dict[str, Any], json_path: Path, docs: Path) -> None:
    docs.mkdir(exist_ok=True)
    _plot(results, docs / "accuracy.png")
    replace_section(docs / "accuracy.md", "accuracy", results_section(results, json_path),
                    "Accuracy on public benchmarks")


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
        if "balanced_rule" in run:
            other = run["balanced_rule"]
            right.scatter([other["test_oos_recall"] * 100], [other["test_in_scope_accuracy"] * 100], marker="x",
                          s=80, color="black", label="best balanced rule on validation (not shipped)")
        right.axhline(95, color="grey", linestyle=":")
        right.axvline(85, color="grey", linestyle=":")
        right.legend(fontsize=8)
    right.set_xlabel("out-of-scope recall, %")
    right.set_ylabel("in-scope accuracy, %")
    right.set_title("CLINC150: catching out-of-scope requests")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


if __name__ == "__main__":
    data = json.loads((ROOT / "benchmarks" / "results" / "accuracy.json").read_text())
    write_report(data, ROOT / "benchmarks" / "results" / "accuracy.json", ROOT / "docs")
