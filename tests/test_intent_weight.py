"""The intent's share of the student's loss (``assistant train --intent-weight``): which terms it scales."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.training.features import collate  # noqa: E402
from assistant.training.loop import Distillation, Targets, _loss, joint_loss  # noqa: E402
from assistant.training.modeling import JointModel  # noqa: E402
from tests.test_sentence_teacher import Tokens  # noqa: E402
from tests.test_weight_average import examples  # noqa: E402


def student_and_batch() -> tuple[JointModel, object]:
    torch.manual_seed(0)
    student = JointModel(Tokens(), 8, 2, 3, dropout=0.0).eval()
    return student, collate(examples(), list(range(24)))


def split_losses(intents: torch.Tensor, slots: torch.Tensor, batch) -> tuple[torch.Tensor, torch.Tensor]:
    """The intent's and the tags' cross-entropy, computed apart."""
    intent = torch.nn.functional.cross_entropy(intents, batch.intents)
    tags = torch.nn.functional.cross_entropy(slots.reshape(-1, 3), batch.tags.reshape(-1), ignore_index=-100)
    return intent, tags


@pytest.mark.parametrize("weight", [0.5, 1.0, 3.0])
def test_the_weight_scales_the_intents_cross_entropy_and_leaves_the_tags(weight):
    student, batch = student_and_batch()
    with torch.no_grad():
        intents, slots, _ = student.forward_with_sentence(batch.input_ids, batch.attention_mask)
        intent, tags = split_losses(intents, slots, batch)
        torch.testing.assert_close(joint_loss(intents, slots, batch, weight), weight * intent + tags)
        torch.testing.assert_close(_loss(student, batch, None, weight), weight * intent + tags)


def test_with_a_teacher_the_weight_scales_the_soft_intent_term_too():
    """Teacher logits equal to the student's own make each soft term the entropy of the student's softened
    distribution, so the distilled loss can be written out term by term."""
    student, batch = student_and_batch()
    with torch.no_grad():
        intents, slots, _ = student.forward_with_sentence(batch.input_ids, batch.attention_mask)
        targets = Targets([row.numpy() for row in intents], [row.numpy() for row in slots])
        t = 2.0

        def entropy(logits: torch.Tensor) -> torch.Tensor:
            p = torch.softmax(logits / t, dim=-1)
            return -(p * torch.log_softmax(logits / t, dim=-1)).sum(-1).mean() * t * t

        intent, tags = split_losses(intents, slots, batch)
        soft_intent, soft_tags = entropy(intents), entropy(slots[batch.tags != -100])
        for weight in (1.0, 2.0):
            loss = _loss(student, batch, Distillation(targets, alpha=0.25, temperature=t), weight)
            expected = 0.75 * (weight * intent + tags) + 0.25 * (weight * soft_intent + soft_tags)
            torch.testing.assert_close(loss, expected)
