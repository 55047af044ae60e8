"""The training loop: joint intent + slot loss, optional distillation and CRF, progress and cancel."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from assistant.training.features import IGNORE, Batch, Features, by_length, collate
from assistant.training.progress import Progress, ProgressCallback, TrainingCancelled


@dataclass(frozen=True)
class Targets:
    """A teacher's logits for every training example (computed once, without dropout)."""

    intent_logits: list[np.ndarray]
    slot_logits: list[np.ndarray]
    sentence_vectors: list[np.ndarray] | None = None
    """The frozen sentence space's vector of each example, when the student is to match them (SentenceMatch)."""


@dataclass(frozen=True)
class SentenceMatch:
    """Pulls the student's sentence vector (the intent head's input), through ``projection``, towards the
    frozen sentence space's vector of the same example: that space's geometry, not only the logits a
    classifier reads from it. The projection trains with the student and is not exported."""

    weight: float
    projection: nn.Linear


@dataclass(frozen=True)
class Schedule:
    epochs: int
    lr: float
    batch_size: int
    warmup: float
    weight_decay: float
    seed: int
    average: float = 0.0
    """Decay of the exponential moving average of the weights kept over the updates and taken at the end;
    0 keeps the last weights."""


@dataclass(frozen=True)
class Distillation:
    targets: Targets
    alpha: float
    """Weight of the teacher's soft targets against the gold labels."""
    temperature: float
    teacher: nn.Module | None = None
    """Run alongside the student when ``hidden_weight`` > 0 (hidden states are too big to cache)."""
    hidden_weight: float = 0.0
    """Weight of the layer-by-layer hidden-state MSE (student and teacher have the same depth and width)."""
    match: SentenceMatch | None = None


def _batches(n: int, batch_size: int, rng: random.Random) -> list[list[int]]:
    order = list(range(n))
    rng.shuffle(order)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def _kd(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    t = temperature
    soft_teacher = torch.softmax(teacher / t, dim=-1)
    log_student = torch.log_softmax(student / t, dim=-1)
    return -(soft_teacher * log_student).sum(-1).mean() * t * t


def _teacher_batch(targets: Targets, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    intents = torch.from_numpy(np.stack([targets.intent_logits[i] for i in batch.indices]))
    width = batch.input_ids.shape[1]
    slots = torch.zeros((len(batch.indices), width, targets.slot_logits[0].shape[-1]))
    for row, i in enumerate(batch.indices):
        logits = targets.slot_logits[i]
        slots[row, : logits.shape[0]] = torch.from_numpy(logits)
    return intents, slots


def _hidden_loss(student: Any, teacher: Any, batch: Batch) -> torch.Tensor:
    """Mean over layers of the MSE between student and teacher hidden states at real tokens."""
    with torch.no_grad():
        teacher_states = teacher.forward_with_hidden(batch.input_ids, batch.attention_mask)[2]
    student_states = student.forward_with_hidden(batch.input_ids, batch.attention_mask)[2]
    real = batch.attention_mask.bool()
    losses = [nn.functional.mse_loss(s[real], t[real]) for s, t in zip(student_states, teacher_states, strict=True)]
    return torch.stack(losses).mean()


def _match_loss(match: SentenceMatch, sentence: torch.Tensor, targets: Targets, batch: Batch) -> torch.Tensor:
    """One minus the mean cosine between the projected student vectors and the frozen ones."""
    assert targets.sentence_vectors is not None
    frozen = torch.from_numpy(np.stack([targets.sentence_vectors[i] for i in batch.indices]))
    return 1 - nn.functional.cosine_similarity(match.projection(sentence), frozen, dim=-1).mean()


def _distilled(distillation: Distillation, model: Any, batch: Batch, intent_logits: torch.Tensor,
               slot_logits: torch.Tensor, sentence: torch.Tensor, intent_weight: float) -> torch.Tensor:
    """The student's loss on one batch: gold labels and the teacher's soft targets, weighted by alpha (the
    intent's terms of each by ``intent_weight``), plus the hidden-state and sentence-space terms when asked for."""
    match = distillation.match
    t_intents, t_slots = _teacher_batch(distillation.targets, batch)
    words = batch.words  # the perturbed copies' words too: their slot targets are the teacher's alone
    soft = intent_weight * _kd(intent_logits, t_intents, distillation.temperature)
    if bool(words.any()):
        soft = soft + _kd(slot_logits[words], t_slots[words], distillation.temperature)
    hard = joint_loss(intent_logits, slot_logits, batch, intent_weight)
    loss = (1 - distillation.alpha) * hard + distillation.alpha * soft
    if distillation.hidden_weight > 0 and distillation.teacher is not None:
        loss = loss + distillation.hidden_weight * _hidden_loss(model, distillation.teacher, batch)
    if match is not None:
        loss = loss + match.weight * _match_loss(match, sentence, distillation.targets, batch)
    return loss


def _loss(model: Any, batch: Batch, distillation: Distillation | None, intent_weight: float) -> torch.Tensor:
    """One batch's loss: the gold labels' (or the distilled one), plus the tag sequences' when the model
    has a CRF (:mod:`assistant.training.crf`)."""
    intent_logits, slot_logits, sentence = model.forward_with_sentence(batch.input_ids, batch.attention_mask)
    if distillation is None:
        loss = joint_loss(intent_logits, slot_logits, batch, intent_weight)
    else:
        loss = _distilled(distillation, model, batch, intent_logits, slot_logits, sentence, intent_weight)
    crf = getattr(model, "crf", None)
    if crf is not None:
        loss = loss + crf.weight * crf.loss(slot_logits, batch.tags)
    return loss


def joint_loss(intent_logits: torch.Tensor, slot_logits: torch.Tensor, batch: Batch,
               intent_weight: float = 1.0) -> torch.Tensor:
    """Cross-entropy of the intent (times ``intent_weight``) plus that of the tags at each word's first sub-word,
    each a mean over the examples and words that have gold labels (perturbed copies have none)."""
    if bool((batch.intents == IGNORE).all()):
        return intent_logits.sum() * 0.0 + slot_logits.sum() * 0.0
    return (intent_weight * nn.functional.cross_entropy(intent_logits, batch.intents, ignore_index=IGNORE)
            + nn.functional.cross_entropy(slot_logits.reshape(-1, slot_logits.shape[-1]), batch.tags.reshape(-1),
                                          ignore_index=IGNORE))


def adamw(model: nn.Module, lr: float, weight_decay: float, fused: bool = True) -> torch.optim.AdamW:
    """AdamW without weight decay on biases and layer norms. Fused (one kernel for the whole update):
    the default implementation cost a student step 22-45 ms more (of 123-200) on two cores, the
    embedding table being most of the parameters (``benchmarks/training.py``)."""
    decay: list[nn.Parameter] = []
    no_decay: list[nn.Parameter] = []
    for name, parameter in model.named_parameters():
        (decay if parameter.ndim > 1 and "layernorm" not in name.lower() else no_decay).append(parameter)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr, fused=fused)


def update(model: nn.Module, optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> None:
    """One optimizer step on this loss: gradients cleared, computed, clipped to norm 1, applied."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


def train(model: nn.Module, features: Sequence[Features], schedule: Schedule, phase: str,
          progress: ProgressCallback | None = None, cancel: threading.Event | None = None,
          distillation: Distillation | None = None, intent_weight: float = 1.0) -> float:
    """Train in place; returns the mean loss of the last epoch. ``intent_weight`` weighs the intent's loss
    terms against the slots' (TrainConfig.intent_weight)."""
    rng = random.Random(schedule.seed)
    torch.manual_seed(schedule.seed)
    steps_per_epoch = (len(features) + schedule.batch_size - 1) // schedule.batch_size
    total = steps_per_epoch * schedule.epochs
    match = distillation.match if distillation is not None else None
    trained = model if match is None else nn.ModuleList([model, match.projection])
    optimizer = adamw(trained, schedule.lr, schedule.weight_decay)
    warmup = max(1, int(total * schedule.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    averaged = _moving_average(model, schedule.average)
    started = time.monotonic()
    step = 0
    last_epoch_loss = 0.0
    trained.train()
    for epoch in range(1, schedule.epochs + 1):
        losses = []
        for indices in _batches(len(features), schedule.batch_size, rng):
            if cancel is not None and cancel.is_set():
                raise TrainingCancelled("training cancelled")
            batch = collate(features, indices)
            loss = _loss(model, batch, distillation, intent_weight)
            update(trained, optimizer, loss)
            scheduler.step()
            if averaged is not None:
                averaged.update_parameters(model)
            step += 1
            losses.append(loss.item())
            if progress is not None and (step % 10 == 0 or step == total):
                progress(Progress(phase, epoch, schedule.epochs, step, total, float(np.mean(losses[-50:])),
                                  time.monotonic() - started))
        last_epoch_loss = float(np.mean(losses)) if losses else 0.0
    if averaged is not None:
        _take_average(model, averaged)
    trained.eval()
    return last_epoch_loss


def _moving_average(model: nn.Module, decay: float) -> AveragedModel | None:
    """A copy of the model whose weights follow the trained ones' exponential moving average, or None."""
    if decay <= 0:
        return None
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay))


@torch.no_grad()
def _take_average(model: nn.Module, averaged: AveragedModel) -> None:
    """Give the model the averaged weights (parameters only: its buffers are constants such as position ids)."""
    for mine, mean in zip(model.parameters(), averaged.module.parameters(), strict=True):
        mine.copy_(mean)


@torch.no_grad()
def predict(model: nn.Module, features: Sequence[Features], batch_size: int = 128) -> Targets:
    """Logits for every example, unpadded, in input order."""
    model.eval()
    intents: list[np.ndarray] = [np.empty(0)] * len(features)
    slots: list[np.ndarray] = [np.empty(0)] * len(features)
    for batch in by_length(features, batch_size):
        intent_logits, slot_logits = model(batch.input_ids, batch.attention_mask)
        for row, i in enumerate(batch.indices):
            intents[i] = intent_logits[row].numpy().copy()
            slots[i] = slot_logits[row, : len(features[i].input_ids)].numpy().copy()
    return Targets(intents, slots)
