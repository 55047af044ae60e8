"""The moving average of the student's weights (``assistant train --ema``): what it averages and when."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.training import loop  # noqa: E402
from assistant.training.features import Features  # noqa: E402
from assistant.training.loop import Schedule, train  # noqa: E402
from assistant.training.modeling import JointModel  # noqa: E402
from tests.test_sentence_teacher import Tokens  # noqa: E402


def examples(n: int = 24) -> list[Features]:
    return [Features(np.array([1, 3 + i % 20, 4 + i % 7, 2], dtype=np.int64), i % 2,
                     np.array([-100, i % 3, 0, -100], dtype=np.int64)) for i in range(n)]


def trajectory(decay: float, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[torch.Tensor]], JointModel]:
    """Train a stand-in student, keeping a copy of its weights after every update."""
    torch.manual_seed(0)
    student = JointModel(Tokens(), 8, 2, 3, dropout=0.0)
    seen: list[list[torch.Tensor]] = []
    real_update = loop.update

    def spying(model: torch.nn.Module, optimizer: torch.optim.Optimizer, loss: torch.Tensor) -> None:
        real_update(model, optimizer, loss)
        seen.append([p.detach().clone() for p in student.parameters()])

    monkeypatch.setattr(loop, "update", spying)
    train(student, examples(), Schedule(3, 0.05, 8, 0.0, 0.0, seed=0, average=decay), "student")
    return seen, student


def test_the_student_ends_with_the_moving_average_of_its_weights_over_the_updates(monkeypatch):
    seen, student = trajectory(0.8, monkeypatch)
    assert len(seen) == 9  # 24 examples in batches of 8, three epochs
    expected = seen[0]  # the average starts at the first update's weights
    for weights in seen[1:]:
        expected = [0.8 * mean + 0.2 * now for mean, now in zip(expected, weights, strict=True)]
    for mine, mean in zip(student.parameters(), expected, strict=True):
        torch.testing.assert_close(mine.detach(), mean)
    assert any(not torch.equal(mean, last) for mean, last in zip(expected, seen[-1], strict=True)), \
        "the average never differed from the last weights: the test would show nothing"


def test_without_an_average_the_student_keeps_its_last_weights(monkeypatch):
    seen, student = trajectory(0.0, monkeypatch)
    for mine, last in zip(student.parameters(), seen[-1], strict=True):
        assert torch.equal(mine.detach(), last)
