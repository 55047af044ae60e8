"""``assistant train``: train the joint SqueezeBERT model on the installed plugins' examples.

Fine-tunes the pretrained MiniLM as a teacher, starts a SqueezeBERT student from it, distils,
exports to int8 ONNX, evaluates on held-out examples and writes the model with its model card.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from assistant.training.config import INTENT_TEACHERS, MINILM, POOLINGS, TrainConfig

_DEFAULTS = TrainConfig(output=Path("."))


def register(commands: Any) -> None:
    parser = commands.add_parser("train", help="train the language model on the installed plugins",
                                 description=__doc__, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--output", type=Path, help="model directory to write (default: your data directory)")
    parser.add_argument("--data", type=Path, metavar="DIR",
                        help="train on a labelled data set instead of the plugins: a BIO folder with train/ and "
                             "valid/ (seq.in, seq.out, label) or the CLINC150 folder/JSON; its valid split is the "
                             "held-out set (the test split is for `assistant eval`)")
    parser.add_argument("--init", default=_DEFAULTS.init,
                        help="'minilm', 'scratch', or a SqueezeBERT checkpoint folder or hub id")
    parser.add_argument("--teacher", default=MINILM, choices=[MINILM, "none"], help="distil from a fine-tuned MiniLM")
    for name in ("epochs", "teacher_epochs", "per_intent", "final_epochs", "seed", "vocab_size", "layers",
                 "hidden", "heads", "intermediate", "groups", "max_tokens", "batch_size", "augment"):
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(_DEFAULTS, name))
    for name in ("lr", "teacher_lr", "holdout", "distill_alpha", "distill_hidden", "temperature", "dropout",
                 "crf", "teacher_crf", "ema", "intent_weight"):
        parser.add_argument("--" + name.replace("_", "-"), type=float, default=getattr(_DEFAULTS, name))
    parser.add_argument("--pooling", choices=POOLINGS, default=_DEFAULTS.pooling,
                        help="what the intent head reads: the first token or the mean over the tokens")
    parser.add_argument("--intent-teacher", choices=INTENT_TEACHERS, default=_DEFAULTS.intent_teacher,
                        help="where the intent soft targets come from: the fine-tuned teacher, or 'sentence', a linear "
                             "classifier on the frozen MiniLM's sentence vectors (helps with many intents and few "
                             "examples each)")
    parser.add_argument("--sentence-layers", type=int, default=_DEFAULTS.sentence_layers, metavar="N",
                        help="with --intent-teacher sentence: read the mean of each of MiniLM's last N layers, side "
                             "by side, instead of the last layer's alone")
    parser.add_argument("--sentence-match", type=float, default=_DEFAULTS.sentence_match, metavar="W",
                        help="with --intent-teacher sentence: also pull the student's sentence vector, through a "
                             "linear map dropped after training, towards the frozen sentence vectors the teacher "
                             "reads (W: the loss's weight; 0, the default, leaves it out)")
    parser.add_argument("--fresh-copies", action="store_true",
                        help="with --augment: the student gets its own substitution copies, which the teacher "
                             "never trained on, instead of the teacher's")
    parser.add_argument("--perturbed", type=int, default=_DEFAULTS.perturbed, metavar="N",
                        help="N copies of each training utterance with words swapped or cut at random, which only "
                             "the teacher's soft targets label: the student learns what the teacher answers near "
                             "the training sentences, not on them alone")
    parser.add_argument("--fit-groups", action=argparse.BooleanOptionalAction, default=None,
                        help="start each grouped layer from a least-squares fit of MiniLM's dense layer's outputs "
                             "on the training sentences instead of its diagonal blocks (default: on with --init "
                             "minilm; --no-fit-groups cuts the diagonal blocks)")
    parser.add_argument("--teacher-marginals", action=argparse.BooleanOptionalAction, default=True,
                        help="with --teacher-crf: the student's slot targets are the teacher's per-word marginals "
                             "under its CRF (forward-backward); --no-teacher-marginals gives its per-word scores "
                             "alone")
    parser.add_argument("--threshold", type=float, help="fix the out-of-scope threshold instead of choosing it")
    parser.add_argument("--oos-recall", type=_fraction, metavar="R",
                        help="choose the threshold that catches at least R (0-1) of the held-out out-of-scope "
                             "examples, with a margin for their number, refusing as few good requests as it can "
                             "(default: the best balance of the two)")
    parser.add_argument("--threads", type=int, help="PyTorch threads (default: all cores)")
    parser.add_argument("--tokenizer", type=Path, help="base tokenizer.json for --init scratch")
    parser.add_argument("--no-quantize", action="store_true", help="ship fp32 weights instead of int8")
    parser.add_argument("--no-user-plugins", action="store_true", help="train on built-in and installed plugins only")
    parser.add_argument("--json", action="store_true", help="print the model card as JSON at the end")
    parser.set_defaults(run=run)


class ProgressPrinter:
    """One updating line on a terminal; a line per phase step otherwise (logs, CI)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self._last = 0.0

    def __call__(self, progress: Any) -> None:
        if progress.message:
            self._line(f"[{progress.phase}] {progress.message}", final=True)
            return
        now = time.monotonic()
        if not self.tty and now - self._last < 15 and progress.step != progress.steps:
            return
        self._last = now
        eta = progress.eta_s
        eta_text = f", about {eta / 60:.1f} min left" if eta is not None else ""
        bar = "#" * int(progress.fraction * 20)
        text = (f"[{progress.phase}] epoch {progress.epoch}/{progress.epochs} [{bar:<20}] "
                f"{progress.fraction:4.0%} loss {progress.loss:.3f}{eta_text}")
        self._line(text, final=progress.step == progress.steps)

    def _line(self, text: str, final: bool) -> None:
        if self.tty:
            self.out.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.out.write(text + "\n")
        self.out.flush()


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction between 0 and 1 (85% is 0.85)")
    return value


def command_flags(changes: dict[str, Any]) -> str:
    """The command-line flags that make these TrainConfig changes, for recording what a run was told
    (the window's quick recipe); tests parse them back through this parser."""
    flags = []
    for name, value in changes.items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            flags.append(flag if value else "--no-" + flag[2:])
        else:
            flags.append(f"{flag} {'none' if value is None else value}")
    return " ".join(flags)


def config_from_args(args: argparse.Namespace, output: Path) -> TrainConfig:
    return TrainConfig(
        output=output, init=args.init, teacher=None if args.teacher == "none" else args.teacher,
        layers=args.layers, hidden=args.hidden, heads=args.heads, intermediate=args.intermediate, groups=args.groups,
        fit_groups=args.fit_groups,
        vocab_size=args.vocab_size, max_tokens=args.max_tokens, teacher_epochs=args.teacher_epochs,
        teacher_lr=args.teacher_lr, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
        augment=args.augment, fresh_copies=args.fresh_copies, perturbed=args.perturbed, per_intent=args.per_intent,
        holdout=args.holdout,
        final_epochs=args.final_epochs,
        threshold=args.threshold, oos_recall=args.oos_recall,
        dropout=args.dropout, crf=args.crf, teacher_crf=args.teacher_crf,
        teacher_marginals=args.teacher_marginals, ema=args.ema, intent_weight=args.intent_weight,
        distill_alpha=args.distill_alpha, distill_hidden=args.distill_hidden, temperature=args.temperature,
        pooling=args.pooling, intent_teacher=args.intent_teacher, sentence_layers=args.sentence_layers,
        sentence_match=args.sentence_match,
        quantize=not args.no_quantize, seed=args.seed,
        tokenizer=args.tokenizer, threads=args.threads,
    )


def run(args: argparse.Namespace) -> int:
    from assistant.errors import TrainingError
    from assistant.nlu.metrics import percent
    from assistant.nlu.training_set import build_training_set, dataset_training_set, general_negatives
    from assistant.paths import user_model_dir, user_plugins_dir
    from assistant.plugins.registry import PluginRegistry
    from assistant.training import require_training_extras

    require_training_extras()
    from assistant.training.pipeline import train_model

    config = config_from_args(args, args.output or user_model_dir())
    if args.data is not None:
        if args.output is None:
            raise TrainingError("--data needs --output: a benchmark model must not replace your assistant's model")
        data = dataset_training_set(args.data)
        config.final_epochs = 0  # the validation split only chooses settings; it is never trained on
        origin = str(args.data)
    else:
        registry = PluginRegistry.discover(None if args.no_user_plugins else user_plugins_dir())
        for failure in registry.failures:
            first = str(failure.error).splitlines()[0]
            print(f"note: plugin {failure.source.name!r} skipped: {first}", file=sys.stderr)
        data = build_training_set(registry.specs(), general_negatives(), per_intent=config.per_intent,
                                  holdout=config.holdout, seed=config.seed)
        origin = f"{len(registry.plugins)} plugins"
    print(f"Training on {len(data.train)} utterances for {len(data.labels.intents) - 1} intents from {origin} "
          f"({len(data.heldout)} held out for evaluation).", file=sys.stderr)
    result = train_model(data, config, args.command_line, ProgressPrinter(sys.stderr), threading.Event())
    card = result.card
    heldout = card.metrics.get("heldout")
    if args.json:
        print(json.dumps(card.to_json(), indent=2))
    else:
        size = card.files.get("model.onnx", {}).get("bytes", 0) / 1e6
        prior = f", slot tag-pair prior weight {card.tag_bigrams.weight:g}" if card.tag_bigrams is not None else ""
        if card.tag_transitions is not None:
            prior += f", {len(card.tag_transitions.scores)} learned tag-pair scores"
        print(f"Wrote {result.directory} ({size:.1f} MB, threshold {card.threshold}{prior}).")
        if heldout:
            print(f"Held-out: intent accuracy {percent(heldout['intent_accuracy'])}, "
                  f"slot F1 {percent(heldout['slot_f1'])}, exact match {percent(heldout['exact_match'])} "
                  f"on {heldout['utterances']} utterances.")
    return 0
