"""From text to word spans and from scores to intents and exact slot spans."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.confidence import OosRule
from assistant.nlu.decoding import allowed_tags, choose_intent, tags_to_slots, transition_scores, viterbi_tags
from assistant.nlu.encoding import TextEncoder
from assistant.nlu.labels import LabelSet
from tests.tiny_tokenizer import tiny_tokenizer

LABELS = LabelSet.build({"timer.start": {"duration", "label"}, "clock.time": {"location"}})


def encoder(max_tokens=64):
    return TextEncoder(tiny_tokenizer(), max_tokens)


def test_word_spans_index_the_original_text_with_capitals_accents_punctuation_and_spaces():
    text = "  Set a   PASTA timer, for Five-Minutes, at the Café!! "
    encoded = encoder().encode(text)
    words = [text[s:e] for s, e in encoded.word_spans]
    assert words == ["Set", "a", "PASTA", "timer", ",", "for", "Five", "-", "Minutes", ",", "at", "the", "Café",
                     "!", "!"]
    assert encoded.truncated_at is None
    assert all(encoded.input_ids[i] != 1 or words[n] == "Café" for n, i in enumerate(encoded.word_first_token))


def test_unknown_scripts_and_emoji_still_get_spans():
    text = "timer 東京 🍝 ok"
    encoded = encoder().encode(text)
    assert [text[s:e] for s, e in encoded.word_spans] == ["timer", "東", "京", "🍝", "ok"]


def test_control_characters_do_not_shift_offsets():
    text = "set\x00 a\u200b timer\tfor five minutes"
    encoded = encoder().encode(text)
    assert [text[s:e] for s, e in encoded.word_spans][-3:] == ["for", "five", "minutes"]


def test_long_input_is_cut_at_a_word_boundary_and_says_where():
    text = " ".join(["pasta"] * 200)
    encoded = encoder(max_tokens=16).encode(text)
    assert len(encoded.input_ids) <= 16
    assert len(encoded.word_spans) == 14
    assert encoded.truncated_at == encoded.word_spans[-1][1]


def test_a_word_split_by_the_cut_is_dropped():
    text = "set a timer for " + "x" * 40
    encoded = encoder(max_tokens=8).encode(text)
    assert [text[s:e] for s, e in encoded.word_spans] == ["set", "a", "timer", "for"]


@given(st.text(max_size=80))
def test_spans_are_always_inside_the_text_and_ordered(text):
    encoded = encoder().encode(text)
    previous = 0
    for start, end in encoded.word_spans:
        assert previous <= start < end <= len(text)
        previous = end


def tag_scores(tags, preferred):
    """Log-probabilities that prefer the given tag per word."""
    scores = np.full((len(preferred), len(tags)), -5.0)
    for word, tag in enumerate(preferred):
        scores[word, tags.index(tag)] = -0.1
    return scores


def test_viterbi_never_starts_a_slot_with_inside():
    tags = LABELS.slot_tags
    scores = tag_scores(tags, ["O", "I-duration", "I-duration"])
    best = viterbi_tags(scores, tags, allowed_tags(LABELS, "timer.start"), transition_scores(tags))
    names = [tags[i] for i in best]
    assert names[0] == "O"
    assert names[1] in ("B-duration", "O") and (names[1] == "B-duration" or names[2] != "I-duration")


def test_viterbi_keeps_only_the_intents_slots():
    tags = LABELS.slot_tags
    scores = tag_scores(tags, ["O", "B-location", "I-location"])
    best = viterbi_tags(scores, tags, allowed_tags(LABELS, "timer.start"), transition_scores(tags))
    assert all(not tags[i].endswith("location") for i in best)


def test_tags_become_slots_with_exact_spans():
    text = "set a Pasta timer for five minutes"
    spans = [(0, 3), (4, 5), (6, 11), (12, 17), (18, 21), (22, 26), (27, 34)]
    tags = LABELS.slot_tags
    ids = [tags.index(t) for t in ["O", "O", "B-label", "O", "O", "B-duration", "I-duration"]]
    slots = tags_to_slots(text, spans, ids, tags, [0.9] * 7)
    assert [(s.name, s.raw, s.start, s.end) for s in slots] == [("label", "Pasta", 6, 11),
                                                                ("duration", "five minutes", 22, 34)]


def test_adjacent_slots_of_the_same_name_stay_apart():
    text = "a b"
    tags = LABELS.slot_tags
    ids = [tags.index("B-label"), tags.index("B-label")]
    assert [s.raw for s in tags_to_slots(text, [(0, 1), (2, 3)], ids, tags, [1, 1])] == ["a", "b"]


@pytest.mark.parametrize(("probs", "threshold", "expected"), [
    ([0.1, 0.8, 0.1], 0.5, "clock.time"),
    ([0.1, 0.4, 0.5], 0.6, "oos"),
    ([0.7, 0.2, 0.1], 0.1, "oos"),
])
def test_intent_choice_with_threshold(probs, threshold, expected):
    chosen, ranked = choose_intent(np.log(np.array(probs)), LABELS, OosRule(threshold=threshold))
    assert chosen.name == expected
    assert ranked[0].confidence == pytest.approx(max(probs))
