"""Slot-value substitution: copies keep their labels exact, reuse only the training split's values."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assistant.nlu.data import LabeledUtterance, from_words
from assistant.nlu.metrics import gold_chunks
from assistant.plugins.annotations import parse_example
from assistant.training.augment import augment, slot_values, substituted

BIO = [
    from_words("play the song yellow by coldplay".split(), "O O B-music_item B-track O B-artist".split(), "play"),
    from_words("play hey jude by the beatles".split(), "O B-track I-track O B-artist I-artist".split(), "play"),
    from_words("add abba to my summer playlist".split(), "O B-artist O O B-playlist O".split(), "add"),
    from_words("what is the weather".split(), "O O O O".split(), "weather"),
]


def values_of(item):
    return [(s.slot, item.text[s.start:s.end]) for s in item.spans]


def test_slot_values_are_the_distinct_values_of_each_slot_in_order():
    assert slot_values(BIO) == {"music_item": ["song"], "track": ["yellow", "hey jude"],
                                "artist": ["coldplay", "the beatles", "abba"], "playlist": ["summer"]}


def test_a_substituted_copy_moves_its_spans_and_words_with_the_text():
    copy = substituted(BIO[0], ["song", "hey jude", "the beatles"])
    assert copy.text == "play the song hey jude by the beatles"
    assert values_of(copy) == [("music_item", "song"), ("track", "hey jude"), ("artist", "the beatles")]
    assert [copy.text[a:b] for a, b in copy.words or ()] == copy.text.split()
    assert copy == from_words(copy.text.split(), "O O B-music_item B-track I-track O B-artist I-artist".split(),
                              "play"), "the same utterance the BIO reader makes of that sentence"
    assert gold_chunks(copy) == {("music_item", 2, 3), ("track", 3, 5), ("artist", 6, 8)}


def test_plugin_examples_without_word_boundaries_are_substituted_by_characters():
    example = parse_example("set a [pasta](label) timer for [8 minutes](duration), please")
    item = LabeledUtterance(example.text, "timer.start", example.spans)
    copy = substituted(item, ["laundry", "an hour"])
    assert copy.text == "set a laundry timer for an hour, please"
    assert copy.words is None
    assert values_of(copy) == [("label", "laundry"), ("duration", "an hour")]


def test_copies_are_new_sentences_of_the_same_intents_with_values_from_the_data():
    copies = augment(BIO, copies=5, seed=1)
    originals = {item.text for item in BIO}
    pools = slot_values(BIO)
    assert copies, "two tracks and three artists make new sentences"
    assert len({c.text for c in copies}) == len(copies)
    for copy in copies:
        assert copy.text not in originals
        assert copy.intent in {"play", "add"}, "an utterance without slots is never copied"
        assert all(value in pools[slot] for slot, value in values_of(copy))
    assert augment(BIO, copies=5, seed=1) == copies, "a seed reproduces the copies"
    assert augment(BIO, copies=0, seed=1) == []


words = st.lists(st.text(alphabet="abcdefg", min_size=1, max_size=6), min_size=1, max_size=8)


@given(words, words, st.data())
def test_every_copy_reads_back_to_its_own_labels(first, second, data):
    """Whatever the sentences, each copy's spans cover exactly the values put in, and its words are the
    whitespace words of its text."""
    tags = [data.draw(st.sampled_from(["O", "B-a", "I-a", "B-b"])) for _ in first]
    items = [from_words(first, tags, "x"), from_words(second, ["B-a"] * len(second), "x")]
    for copy in augment(items, copies=3, seed=data.draw(st.integers(0, 9))):
        assert [copy.text[a:b] for a, b in copy.words or ()] == copy.text.split()
        pools = slot_values(items)
        for slot, value in values_of(copy):
            assert value in pools[slot]
