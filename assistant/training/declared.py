"""The plugins' own examples are understood by the model trained on them.

A plugin author who writes an example expects the assistant to understand exactly that sentence.
After the last pass, examples the student still classifies wrong, or right by less than a margin
that int8 rounding can erase, get a few short extra passes (mixed with other examples, so the rest
is not unlearned) until none is left or the rounds run out; the card records which ones and how it
ended. The out-of-scope threshold is then lowered, if need be, for any still refused
(``oos_choice.accept_declared``).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.training.features import Features
from assistant.training.loop import Schedule, predict, train
from assistant.training.modeling import JointModel
from assistant.training.progress import ProgressCallback

MARGIN = 1.5
"""Logits by which the right intent must lead: int8 rounding moved a fitted student's logits by up to
0.4 on one sentence, and by about 0.5 more depending on which sentences share its batch."""
ROUNDS = 3
REPEATS = 8
"""Copies of each weak example in a round."""
MIXED = 16
"""Other training examples per weak one in a round."""


@dataclass
class Reinforcement:
    rounds: int = 0
    weak: list[list[str]] = field(default_factory=list)
    """The weak examples found before each round, and (last) those left after the last one."""

    def to_json(self) -> dict[str, object]:
        return {"margin": MARGIN, "rounds": self.rounds, "weak_before_each_round": self.weak[:-1],
                "weak_left": self.weak[-1] if self.weak else []}


def weak_examples(student: JointModel, features: Sequence[Features]) -> list[int]:
    """Indices of the examples whose intent does not lead every other intent by ``MARGIN``."""
    if not features:
        return []
    logits = np.stack(predict(student, features).intent_logits)
    gold = np.array([f.intent for f in features])
    right = logits[np.arange(len(gold)), gold]
    others = logits.copy()
    others[np.arange(len(gold)), gold] = -np.inf
    return [int(i) for i in np.flatnonzero(right - others.max(axis=1) < MARGIN)]


def reinforce_declared(student: JointModel, declared: Sequence[Features], texts: Sequence[str],
                       everything: Sequence[Features], lr: float, batch_size: int, seed: int,
                       progress: ProgressCallback | None = None,
                       cancel: threading.Event | None = None) -> Reinforcement:
    """Extra passes over the weak declared examples (gold labels only: the teacher may be why they
    are weak); ``texts`` name them in the card."""
    result = Reinforcement()
    rng = random.Random(seed)
    for round_ in range(ROUNDS + 1):
        weak = weak_examples(student, declared)
        result.weak.append([texts[i] for i in weak])
        if not weak or round_ == ROUNDS:
            break
        mixed = rng.sample(list(everything), min(len(everything), MIXED * len(weak)))
        batch = [declared[i] for i in weak] * REPEATS + mixed
        train(student, batch, Schedule(1, lr, batch_size, 0.0, 0.0, seed + round_), "declared", progress, cancel)
        result.rounds += 1
    return result
