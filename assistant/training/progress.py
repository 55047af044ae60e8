"""What a training run reports while it works, and how it is cancelled; no torch needed to use these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.errors import TrainingError


@dataclass(frozen=True)
class Progress:
    phase: str
    epoch: int = 0
    epochs: int = 0
    step: int = 0
    steps: int = 0
    loss: float | None = None
    elapsed_s: float = 0.0
    message: str = ""

    @property
    def fraction(self) -> float:
        return self.step / self.steps if self.steps else 1.0

    @property
    def eta_s(self) -> float | None:
        if self.step <= 0 or self.steps <= 0:
            return None
        return self.elapsed_s / self.step * (self.steps - self.step)


ProgressCallback = Callable[[Progress], None]


class TrainingCancelled(TrainingError):
    """Training stopped because the user asked to."""
