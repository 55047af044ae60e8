"""Speech to intent on Picovoice's coffee-order benchmark, the way the assistant hears a request.

    assistant bench speech [--data ../shared/bench/speech-to-intent] [--variants pocketsphinx pocketsphinx-open]
                           [--snrs 24 21 18 15 12 9 6] [--limit N] [--jobs 2]

The coffee plugin is built from ``coffee_maker.yaml`` alone (converted Rhino context; never the
audio or the labels) and the project's NLU is trained on it (cached by data hash). Every clip goes
through the same streaming recogniser as the microphone (30 ms blocks), clean and with the
benchmark's kitchen noise mixed by its own rule (peak 2048-sample frame energy, random offset,
fixed seed). A command is accepted when the intent and every labelled slot are right. Latency is
from the end of the audio to the intent (the recogniser's finish plus the NLU); the real-time
factor is all decoding time over the audio's length. Writes benchmarks/results/speech.json and
the results section of docs/speech.md with docs/speech.png.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import percentiles, replace_section, table, write_result

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "speech"
DOCS = ROOT / "docs"
SHARED = ROOT.parent / "shared" / "bench" / "speech-to-intent"
SNRS_DB = (24, 21, 18, 15, 12, 9, 6)
SEED = 0
RHINO = {"average_over_snrs": 0.976, "6dB": 0.935}
"""Picovoice Rhino, as reported by the benchmark's authors (README of speech-to-intent-benchmark)."""


@dataclass(frozen=True)
class Variant:
    engine: str
    grammar: bool
    """Decode against the plugin's grammar; without it, the open-vocabulary baseline ('-open')."""
    hands_free: bool = False
    """The endpointer cuts the clip into utterances, as in hands-free listening; the first one with
    words is the request (the assistant skips utterances without words)."""

    @property
    def baseline(self) -> bool:
        """Measured on ``--baseline-conditions`` only: the open-vocabulary and hands-free rows."""
        return not self.grammar or self.hands_free


VARIANTS = {
    "pocketsphinx": Variant("pocketsphinx", True),
    "pocketsphinx-open": Variant("pocketsphinx", False),
    "pocketsphinx-hands-free": Variant("pocketsphinx", True, hands_free=True),
    "vosk": Variant("vosk", True),
    "vosk-open": Variant("vosk", False),
}


def clips(data: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """(label key, audio file, label) for every labelled clip whose audio is present, sorted."""
    labels = json.loads((data / "label.json").read_text())
    found = []
    for key in sorted(labels):
        stem = Path(key).stem
        audio = next((data / "speech" / f"{stem}{ext}" for ext in (".flac", ".wav")
                      if (data / "speech" / f"{stem}{ext}").is_file()), None)
        if audio is not None:
            found.append((key, audio, labels[key]))
    return found


def engine_fingerprint() -> str:
    from assistant.speech.engines import pocketsphinx_engine as ps

    blob = json.dumps({"ps": [ps.DECODER_OPTIONS, ps.CMN_WINDOW_S, ps.FSG_MAX_ARCS], "version": 3}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _use_decoder_options(options: dict[str, Any]) -> None:
    """Extra PocketSphinx options for this process (they are part of the cache key through the fingerprint)."""
    from assistant.speech.engines import pocketsphinx_engine

    pocketsphinx_engine.DECODER_OPTIONS.update(options)


def recognise_condition(variant: str, condition: str, data: Path, limit: int | None,
                        decoder_options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Transcribe every clip of one condition ('clean' or an SNR like '6dB'); cached, as it is the slow part."""
    _use_decoder_options(decoder_options or {})
    import soundfile

    from assistant.speech.audio import to_int16
    from assistant.speech.bench.noise import mix
    from assistant.speech.bench.rhino_context import read_context
    from assistant.speech.decode import recognise
    from assistant.speech.endpointing import utterances
    from assistant.speech.engines import EngineSettings, create
    from assistant.speech.grammar import build_grammar

    spec = VARIANTS[variant]
    grammar = build_grammar([read_context(data / "coffee_maker.yaml").spec]) if spec.grammar else None
    items = clips(data)[:limit]
    parts: list[Any] = [variant, condition, engine_fingerprint(), SEED, grammar.key if grammar else None,
                        [k for k, _, _ in items]]
    if grammar is not None:  # what only the grammar search does (the open baselines keep their cache)
        from assistant.speech.engines.pocketsphinx_engine import NBEST_LIMIT

        parts.append({"nbest_completion": NBEST_LIMIT})
    if spec.hands_free:
        parts.append({"hands_free": "first utterance with words"})
    key = hashlib.sha256(json.dumps(parts).encode())
    cached = CACHE / "runs" / f"{variant}-{condition}-{key.hexdigest()[:16]}.json"
    if cached.is_file():
        result: dict[str, Any] = json.loads(cached.read_text())
        return result
    recognizer = create(spec.engine, EngineSettings(grammar))
    noise = soundfile.read(str(data / "noise" / "kitchen.flac"), dtype="float64")[0]
    rng = np.random.default_rng(SEED + (int(condition[:-2]) if condition != "clean" else 0))
    records = []
    started = time.monotonic()
    for name, path, _ in items:
        speech = soundfile.read(str(path), dtype="float64")[0]
        samples = to_int16(speech) if condition == "clean" else mix(speech, noise, float(condition[:-2]), rng)
        if spec.hands_free:
            heard = _first_with_words(recognizer, utterances(samples.tobytes()))
        else:
            heard = recognise(recognizer, samples)
        records.append({"clip": name, "text": heard.transcript.text, "decoded_with": heard.decision.source,
                        "audio_s": round(heard.audio_s, 3), "rtf": round(heard.real_time_factor, 5),
                        "finish_ms": round(heard.final_ns / 1e6, 3)})
    recognizer.close()
    result = {"variant": variant, "condition": condition, "records": records,
              "wall_s": round(time.monotonic() - started, 1)}
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(result))
    return result


def _first_with_words(recognizer: Any, cuts: Iterable[bytes]) -> Any:
    """Recognise utterance after utterance until one has words (the last, or silence, if none has)."""
    from assistant.speech.decode import recognise

    heard = None
    for cut in cuts:
        heard = recognise(recognizer, np.frombuffer(cut, dtype=np.int16))
        if heard.transcript.text.strip():
            return heard
    return heard if heard is not None else recognise(recognizer, np.zeros(0, dtype=np.int16))


def understand(records: list[dict[str, Any]], data: Path, understanding: Any) -> list[dict[str, Any]]:
    """Add the intent, slots and verdict to each transcript; latency = recogniser's finish + NLU."""
    from assistant.speech.bench.scoring import judge

    labels = {name: label for name, _, label in clips(data)}
    out = []
    for record in records:
        before = time.perf_counter_ns()
        understood = understanding.understand(record["text"])
        nlu_ms = (time.perf_counter_ns() - before) / 1e6
        label = labels[record["clip"]]
        verdict = judge(label["intent"], label.get("slots", {}), understood.intent, understood.slots)
        out.append({**record, "intent": understood.intent, "slots": understood.slots, "accepted": verdict.accepted,
                    "strict": verdict.strict, "wrong": list(verdict.wrong), "nlu_ms": round(nlu_ms, 3),
                    "latency_ms": round(record["finish_ms"] + nlu_ms, 3)})
    return out


def summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(records)
    return {
        "clips": n,
        "acceptance": round(sum(r["accepted"] for r in records) / n, 4),
        "strict_acceptance": round(sum(r["strict"] for r in records) / n, 4),
        "rtf_median": round(statistics.median(r["rtf"] for r in records), 4),
        "latency_ms": percentiles([r["latency_ms"] for r in records]),
        "decoded_with_open": sum(r["decoded_with"] == "open" for r in records),
    }


def train_nlu(data: Path) -> Path:
    from assistant.speech.bench.coffee_nlu import train_if_needed
    from assistant.speech.bench.rhino_context import read_context

    def progress(update: Any) -> None:
        if update.message:
            print(f"  [nlu] {update.phase}: {update.message}", flush=True)

    return train_if_needed(CACHE, read_context(data / "coffee_maker.yaml"), progress=progress)


def _markdown(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def report(results: dict[str, Any]) -> str:
    """Acceptance per condition, then speed and the finer counts per condition."""
    conditions = results["conditions"]
    rows = []
    for variant, per in results["variants"].items():
        average = per.get("average_over_snrs")
        rows.append([variant, *(f"{per[c]['acceptance']:.1%}" if c in per else "–" for c in conditions),
                     f"**{average:.1%}**" if average is not None else "–"])
    rows.append(["Picovoice Rhino (reported)", *("–" for _ in conditions[:-1]), f"{RHINO['6dB']:.1%}",
                 f"**{RHINO['average_over_snrs']:.1%}**"])
    lines = ["Command acceptance:", "", *_markdown(["engine", *conditions, "mean over the SNRs"], rows), "",
             "Speed and details (latency: end of audio to intent; medians and percentiles over clips):", ""]
    detail = []
    for variant, per in results["variants"].items():
        for condition in conditions:
            if condition not in per:
                continue
            cell = per[condition]
            detail.append([variant, condition, f"{cell['acceptance']:.1%}", f"{cell['strict_acceptance']:.1%}",
                           f"{cell['latency_ms']['p50']:.0f}", f"{cell['latency_ms']['p90']:.0f}",
                           f"{cell['rtf_median']:.3f}", cell["decoded_with_open"], cell["clips"]])
    lines += _markdown(["engine", "condition", "accepted", "strict", "latency p50 ms", "latency p90 ms",
                        "real-time factor", "open-vocabulary results used", "clips"], detail)
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    snrs = [c for c in results["conditions"] if c != "clean"]
    figure, axis = plt.subplots(figsize=(7, 4))
    for variant, per in results["variants"].items():
        points = [(int(c[:-2]), per[c]["acceptance"] * 100) for c in snrs if c in per]
        if points:
            axis.plot(*zip(*points, strict=True), marker="o", label=variant)
    axis.axhline(RHINO["average_over_snrs"] * 100, color="grey", linestyle="--",
                 label="Rhino, mean over SNRs (reported)")
    axis.plot([6], [RHINO["6dB"] * 100], marker="*", color="grey", markersize=12, linestyle="none",
              label="Rhino at 6 dB (reported)")
    axis.set_xlabel("SNR (dB, kitchen noise, peak-frame definition)")
    axis.set_ylabel("command acceptance (%)")
    axis.set_ylim(0, 100)
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8, loc="lower right")
    axis.set_title("Speech to intent: 619 spoken coffee orders")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_docs(results: dict[str, Any]) -> None:
    DOCS.mkdir(exist_ok=True)
    plot(results, DOCS / "speech.png")
    section = "\n".join([f"Measured {results['measured_note']}.", "", report(results), "",
                         "![Command acceptance against SNR](speech.png)"])
    replace_section(DOCS / "speech.md", "speech", section, "Speech")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--variants", nargs="+", default=sorted(VARIANTS), choices=sorted(VARIANTS))
    parser.add_argument("--baseline-conditions", nargs="+", default=["clean", "15dB", "6dB"],
                        help="conditions for the open-vocabulary ('-open') baselines, which decode 5-10x slower, "
                             "and for hands-free listening ('-hands-free': the endpointer cuts the clip first)")
    parser.add_argument("--snrs", nargs="*", type=int, default=list(SNRS_DB))
    parser.add_argument("--no-clean", action="store_true", help="skip the clean condition")
    parser.add_argument("--limit", type=int, help="only the first N clips (sorted by name)")
    parser.add_argument("--jobs", type=int, default=2, help="conditions run in parallel (default 2)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results and docs alone")
    parser.add_argument("--recognise-only", action="store_true",
                        help="only transcribe (and cache) the clips; no NLU training or scoring")
    parser.add_argument("--decoder-option", action="append", default=[], metavar="NAME=VALUE", type=_option,
                        help="try a PocketSphinx decoder option (e.g. beam=1e-60; repeatable); with --no-write, "
                             "to measure a setting without changing the published results")
    return parser.parse_args(argv)


def _option(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"{text!r}: want NAME=VALUE")
    lowered = value.lower()
    if lowered in ("true", "yes", "false", "no"):
        return name, lowered in ("true", "yes")
    try:
        return name, int(value)
    except ValueError:
        pass
    try:
        return name, float(value)
    except ValueError:
        return name, value


def _available(names: list[str]) -> tuple[list[str], dict[str, str]]:
    from assistant.speech.engines import unavailable_reason

    variants, skipped = [], {}
    for variant in names:
        reason = unavailable_reason(VARIANTS[variant].engine)
        if reason is None:
            variants.append(variant)
        else:
            skipped[variant] = reason
            print(f"skipping {variant}: {reason}")
    return variants, skipped


def _score(transcripts: dict[tuple[str, str], dict[str, Any]], data: Path, conditions: list[str],
           nlu_dir: Path) -> dict[str, Any]:
    from assistant.speech.bench.coffee_nlu import CoffeeUnderstanding
    from assistant.speech.bench.rhino_context import read_context

    understanding = CoffeeUnderstanding(nlu_dir, read_context(data / "coffee_maker.yaml"))
    understanding.understand("warm up the model")
    variants: dict[str, Any] = {}
    for (variant, condition), outcome in transcripts.items():
        records = understand(outcome["records"], data, understanding)
        per = variants.setdefault(variant, {})
        per[condition] = summary(records)
        per[condition]["misses"] = [{k: r[k] for k in ("clip", "text", "wrong")} for r in records
                                    if not r["accepted"]][:40]
        print(f"{variant:20s} {condition:6s} acceptance {per[condition]['acceptance']:.1%} "
              f"latency p50 {per[condition]['latency_ms']['p50']:.0f} ms  rtf {per[condition]['rtf_median']:.3f}",
              flush=True)
    for per in variants.values():
        snr = [per[c]["acceptance"] for c in conditions if c != "clean" and c in per]
        complete = all(c in per for c in conditions if c != "clean")
        per["average_over_snrs"] = round(statistics.fmean(snr), 4) if snr and complete else None
    return variants


def _setup(nlu_dir: Path, argv: list[str] | None) -> dict[str, Any]:
    from assistant.speech.bench.coffee_nlu import TRAIN_CHANGES
    from assistant.speech.engines import pocketsphinx_engine as ps

    return {
        "nlu_training": TRAIN_CHANGES, "nlu_model": nlu_dir.name, "seed": SEED, "rhino_reported": RHINO,
        "pocketsphinx": {"decoder_options": ps.DECODER_OPTIONS, "cmn_window_s": ps.CMN_WINDOW_S,
                         "fsg_max_arcs": ps.FSG_MAX_ARCS},
        "block_ms": 30, "scoring": "intent and every labelled slot equal after normalising case and spaces "
                                   "(strict: no extra slots either)",
        "command": "assistant bench speech " + " ".join(argv if argv is not None else sys.argv[1:]),
    }


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not (args.data / "label.json").is_file():
        print(f"The benchmark is not here ({args.data}); nothing to measure.")
        return 1
    conditions = ([] if args.no_clean else ["clean"]) + [f"{s}dB" for s in args.snrs]
    options = dict(args.decoder_option)
    _use_decoder_options(options)
    variants, skipped = _available(args.variants)
    started = time.monotonic()
    tasks = [(v, c) for v in variants for c in conditions
             if not VARIANTS[v].baseline or c in args.baseline_conditions]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(recognise_condition, v, c, args.data, args.limit, options): (v, c) for v, c in tasks}
        transcripts = {task: future.result() for future, task in futures.items()}
    if args.recognise_only:
        print("transcripts are cached; run again without --recognise-only to score them")
        return 0
    nlu_dir = train_nlu(args.data)
    results: dict[str, Any] = {"variants": _score(transcripts, args.data, conditions, nlu_dir),
                               "conditions": conditions, "skipped": skipped}
    baseline = [c for c in conditions if c in args.baseline_conditions]
    results["measured_note"] = (f"on {len(clips(args.data)[: args.limit])} clips × {len(conditions)} conditions "
                                f"({', '.join(conditions)}; the '-open' and '-hands-free' rows on "
                                f"{', '.join(baseline)} only), "
                                f"{time.monotonic() - started:.0f} s wall time with {args.jobs} parallel jobs "
                                "(cached conditions are not re-run)")
    results["setup"] = _setup(nlu_dir, argv)
    print(table(["variant", "mean over SNRs"], [[v, p["average_over_snrs"]] for v, p in results["variants"].items()]))
    if not args.no_write:
        print(f"wrote {write_result('speech', results)}")
        write_docs(results)
        print(f"wrote {DOCS / 'speech.md'} and {DOCS / 'speech.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
