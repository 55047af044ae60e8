"""The tag-pair prior of slot decoding: counting, scores, storage, and what it changes in the Viterbi pass."""

from __future__ import annotations

import json
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.errors import ModelError
from assistant.nlu.confidence import OosRule
from assistant.nlu.decoding import allowed_tags, transition_scores, viterbi_tags
from assistant.nlu.labels import LabelSet
from assistant.nlu.modelcard import ModelCard
from assistant.nlu.tag_bigrams import TagBigrams

LABELS = LabelSet.build({"weather.get": {"time", "place"}})
TAGS = LABELS.slot_tags
TRAINING = [["O", "O", "B-time", "I-time", "O", "B-place"],
            ["O", "B-time", "I-time", "I-time"],
            ["O", "O", "B-place", "I-place", "O", "B-time", "I-time"]]


def test_pairs_of_neighbouring_tags_are_counted():
    bigrams = TagBigrams.count(TRAINING)
    assert bigrams.counts[("B-time", "I-time")] == 3
    assert bigrams.counts[("I-time", "I-time")] == 1
    assert ("B-time", "B-time") not in bigrams.counts
    assert sum(bigrams.counts.values()) == sum(len(t) - 1 for t in TRAINING)


def test_weight_zero_adds_nothing_and_a_weight_scales_the_pmi():
    bigrams = TagBigrams.count(TRAINING)
    assert not bigrams.scores(TAGS).any()
    one, two = bigrams.with_weight(1.0).scores(TAGS), bigrams.with_weight(2.0).scores(TAGS)
    assert np.allclose(two, 2 * one)
    b, i = TAGS.index("B-time"), TAGS.index("I-time")
    assert one[b, i] > 0 > one[b, b], "a pair seen in training scores above one never seen"


def test_tags_unknown_to_the_counts_get_the_smoothed_score():
    scores = TagBigrams.count(TRAINING, weight=1.0).scores([*TAGS, "B-new"])
    assert np.isfinite(scores).all()


def spans_split_by_one_word():
    """'this tuesday': the word scores alone slightly prefer starting a second time span."""
    words = ["O", "B-time", "B-time"]
    scores = np.full((3, len(TAGS)), -6.0)
    for w, tag in enumerate(words):
        scores[w, TAGS.index(tag)] = -0.6
    scores[2, TAGS.index("I-time")] = -0.8
    return scores


def test_the_prior_keeps_a_span_whole_that_the_word_scores_would_split():
    mask = allowed_tags(LABELS, "weather.get")
    alone = viterbi_tags(spans_split_by_one_word(), TAGS, mask, transition_scores(TAGS))
    assert [TAGS[t] for t in alone] == ["O", "B-time", "B-time"]
    prior = TagBigrams.count(TRAINING, weight=1.0)
    joined = viterbi_tags(spans_split_by_one_word(), TAGS, mask, transition_scores(TAGS, prior))
    assert [TAGS[t] for t in joined] == ["O", "B-time", "I-time"]


@given(st.lists(st.lists(st.sampled_from(TAGS), min_size=1, max_size=6), max_size=8),
       st.sampled_from([0.0, 0.25, 1.0]), st.integers(min_value=1, max_value=7), st.integers(0, 2**31 - 1))
def test_the_bio_constraints_hold_whatever_the_prior(training, weight, words, seed):
    scores = np.log(np.random.default_rng(seed).dirichlet(np.ones(len(TAGS)), size=words))
    best = [TAGS[t] for t in viterbi_tags(scores, TAGS, allowed_tags(LABELS, "weather.get"),
                                          transition_scores(TAGS, TagBigrams.count(training, weight)))]
    assert not best[0].startswith("I-")
    for previous, tag in pairwise(best):
        assert not tag.startswith("I-") or previous[2:] == tag[2:]


def card(**changes) -> ModelCard:
    return ModelCard(labels=LABELS, data_hash="sha256:x", oos=OosRule(), max_tokens=32, **changes)


def test_the_model_card_stores_the_counts_and_weight(tmp_path):
    bigrams = TagBigrams.count(TRAINING, weight=0.5)
    card(tag_bigrams=bigrams).write(tmp_path)
    assert ModelCard.read(tmp_path).tag_bigrams == bigrams
    assert "tag-pair prior at weight 0.5" in (tmp_path / "MODEL_CARD.md").read_text()


def test_a_card_written_before_the_prior_existed_decodes_without_it(tmp_path):
    card().write(tmp_path)
    data = json.loads((tmp_path / "model_card.json").read_text())
    assert "tag_bigrams" not in data
    assert ModelCard.read(tmp_path).tag_bigrams is None


@pytest.mark.parametrize("broken", [{"weight": "heavy"}, {"counts": {"O": 1}}, {"counts": {"O O": -1}},
                                    {"counts": {"O O": "often"}}, {"counts": [["O", "O", 1]]}])
def test_a_damaged_prior_in_the_card_is_a_clear_model_error(tmp_path, broken):
    card().write(tmp_path)
    data = json.loads((tmp_path / "model_card.json").read_text())
    data["tag_bigrams"] = broken
    (tmp_path / "model_card.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="unreadable"):
        ModelCard.read(tmp_path)
