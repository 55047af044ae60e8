"""Inline slot marks in examples: ``set a [pasta](label) timer for [8 minutes](duration)``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.plugins.annotations import AnnotationError, parse_example, render_example
from assistant.plugins.spec import Example, SlotSpan


def marked(example: Example) -> dict[str, str]:
    return {span.slot: example.text[span.start : span.end] for span in example.spans}


# --- what a mark means ---------------------------------------------------------------------------

def test_plain_text_has_no_spans():
    example = parse_example("what time is it")
    assert example == Example(text="what time is it", spans=())


def test_one_mark_becomes_plain_text_with_an_exact_span():
    example = parse_example("set a timer for [8 minutes](duration)")
    assert example.text == "set a timer for 8 minutes"
    assert example.spans == (SlotSpan("duration", 16, 25),)
    assert example.text[16:25] == "8 minutes"


def test_several_marks_keep_their_order_and_exact_spans():
    example = parse_example("set a [pasta](label) timer for [8 minutes](duration) please")
    assert example.text == "set a pasta timer for 8 minutes please"
    assert [s.slot for s in example.spans] == ["label", "duration"]
    assert marked(example) == {"label": "pasta", "duration": "8 minutes"}


def test_mark_at_the_start_and_adjacent_marks():
    example = parse_example("[20](amount)[km](unit) to miles")
    assert example.text == "20km to miles"
    assert example.spans == (SlotSpan("amount", 0, 2), SlotSpan("unit", 2, 4))


def test_line_is_kept():
    assert parse_example("hello", line=7).line == 7


def test_escaped_brackets_are_literal():
    example = parse_example(r"press \[enter\] to [go](action)")
    assert example.text == "press [enter] to go"
    assert marked(example) == {"action": "go"}


def test_escaped_backslash_and_escapes_inside_a_mark():
    example = parse_example(r"a \\ b [x\]y](thing)")
    assert example.text == "a \\ b x]y"
    assert marked(example) == {"thing": "x]y"}


def test_backslash_before_an_ordinary_character_is_kept():
    assert parse_example(r"c:\temp").text == r"c:\temp"


def test_parentheses_outside_a_mark_are_plain_text():
    example = parse_example("what is (2 + 3) times [4](number) (roughly)")
    assert example.text == "what is (2 + 3) times 4 (roughly)"
    assert marked(example) == {"number": "4"}


def test_parentheses_inside_the_marked_words_are_kept():
    example = parse_example("calculate [(2 + 3) * 4](expression)")
    assert example.text == "calculate (2 + 3) * 4"
    assert marked(example) == {"expression": "(2 + 3) * 4"}


# --- broken marks: message and 1-based column --------------------------------------------------

@pytest.mark.parametrize(("source", "message", "column"), [
    pytest.param("set a [pasta timer", "'[' is never closed", 7, id="unclosed ["),
    pytest.param("set a pasta] timer", "']' without a matching '['", 12, id="] without ["),
    pytest.param("set a [pasta] timer", "must be followed by '(slot_name)'", 13, id="missing (slot)"),
    pytest.param("set a [pasta]", "must be followed by '(slot_name)'", 13, id="missing (slot) at the end"),
    pytest.param("set a [pasta](label timer", "'(' after a slot mark is never closed", 14, id="unclosed ("),
    pytest.param("a [pasta](Label) timer", "'Label' is not a slot name", 11, id="upper case slot name"),
    pytest.param("a [pasta](2nd) timer", "'2nd' is not a slot name", 11, id="slot name starts with digit"),
    pytest.param("a [pasta](my label) timer", "'my label' is not a slot name", 11, id="slot name with space"),
    pytest.param("a [pasta]() timer", "'' is not a slot name", 11, id="empty slot name"),
    pytest.param("a [](label) timer", "slot mark for 'label' has no words", 3, id="empty words"),
    pytest.param("a [   ](label) timer", "slot mark for 'label' has no words", 3, id="only spaces"),
    pytest.param("a [ pasta](label) timer", "starts or ends with a space", 3, id="leading space"),
    pytest.param("a [pasta ](label) timer", "starts or ends with a space", 3, id="trailing space"),
    pytest.param("a [big [pasta](label)](x) timer", "cannot contain another '['", 8, id="nested ["),
])
def test_broken_mark_reports_message_and_column(source, message, column):
    with pytest.raises(AnnotationError) as caught:
        parse_example(source)
    assert message in str(caught.value)
    assert caught.value.column == column
    assert f"(column {column})" in str(caught.value)


def test_annotation_error_is_a_value_error():
    assert issubclass(AnnotationError, ValueError)


# --- render_example is the inverse of parse_example ---------------------------------------------

def test_render_escapes_special_characters():
    example = Example(text="press [x] \\ (now)", spans=(SlotSpan("key", 6, 9),))
    assert render_example(example) == r"press [\[x\]](key) \\ (now)"


def test_render_then_parse_on_a_plain_example():
    source = "set a [pasta](label) timer for [8 minutes](duration)"
    assert render_example(parse_example(source)) == source


_ALPHABET = st.sampled_from(list("abcxyzé019 .,?'-[]()\\"))
_PLAIN = st.text(_ALPHABET, max_size=12)
_EDGE = st.sampled_from(list("abcxyzé019.,?'-[]()\\"))
_WORDS = st.one_of(_EDGE, st.tuples(_EDGE, st.text(_ALPHABET, max_size=8), _EDGE).map("".join))
"""Slot words: no space at either edge, built directly (a filter would waste draws)."""
_SLOT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


@st.composite
def examples(draw) -> Example:
    """Random plain text with non-overlapping, non-empty spans whose edges are not spaces."""
    text = draw(_PLAIN)
    spans = []
    for _ in range(draw(st.integers(0, 4))):
        words = draw(_WORDS)
        spans.append(SlotSpan(draw(_SLOT), len(text), len(text) + len(words)))
        text += words + draw(_PLAIN)
    return Example(text=text, spans=tuple(spans))


@given(examples())
def test_render_then_parse_gives_the_same_example(example):
    assert parse_example(render_example(example)) == example
