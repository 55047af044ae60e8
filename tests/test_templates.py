"""Templates: ``(a|b)`` alternatives, ``[optional]`` words, ``{slot}`` places, exact counting and sampling."""

from __future__ import annotations

import random
import re
import time
from collections import Counter

import pytest

from assistant.plugins.spec import Example, SlotSpan
from assistant.plugins.templates import TemplateError, count_expansions, expand, parse_template

EVERYTHING = 10**9  # a limit larger than any small template's count: enumerate everything


def texts(pattern: str, lists=None) -> set[str]:
    return {e.text for e in expand(parse_template(pattern), lists or {}, EVERYTHING, random.Random(0))}


def count(pattern: str, lists=None) -> int:
    return count_expansions(parse_template(pattern), lists or {})


def marked(example: Example) -> dict[str, str]:
    return {span.slot: example.text[span.start : span.end] for span in example.spans}


# --- syntax ----------------------------------------------------------------------------------------

def test_plain_text_is_one_expansion():
    assert texts("what time is it") == {"what time is it"}
    assert count("what time is it") == 1


def test_alternatives():
    assert texts("(set|start|begin) a timer") == {"set a timer", "start a timer", "begin a timer"}
    assert count("(set|start|begin) a timer") == 3


def test_alternatives_multiply():
    assert count("(a|b) (c|d|e)") == 6
    assert texts("(a|b) (c|d|e)") == {"a c", "a d", "a e", "b c", "b d", "b e"}


def test_nested_groups():
    assert texts("(turn (on|off)|switch (it|that) on) the light") == {
        "turn on the light", "turn off the light", "switch it on the light", "switch that on the light"}
    assert count("(turn (on|off)|switch (it|that) on) the light") == 4


def test_optional_words():
    assert texts("[please] stop") == {"please stop", "stop"}
    assert count("[please] stop") == 2


def test_optional_alternatives():
    assert texts("[a|an] apple") == {"a apple", "an apple", "apple"}
    assert count("[a|an] apple") == 3


def test_empty_alternative():
    assert texts("stop (now|)") == {"stop now", "stop"}


def test_groups_nest_inside_optional_words():
    assert texts("stop [the (pasta|tea)] timer") == {
        "stop the pasta timer", "stop the tea timer", "stop timer"}


def test_escaped_special_characters_are_literal():
    assert texts(r"what is \(2 \+ 3\) \[roughly\]") == {"what is (2 + 3) [roughly]"}


def test_slot_place_takes_words_from_the_list_of_the_same_name():
    lists = {"label": ["pasta", "tea"]}
    examples = expand(parse_template("set a {label} timer"), lists, 10, random.Random(0))
    assert [e.text for e in examples] == ["set a pasta timer", "set a tea timer"]
    assert examples[0].spans == (SlotSpan("label", 6, 11),)
    assert examples[1].spans == (SlotSpan("label", 6, 9),)


def test_slot_place_with_a_named_list():
    lists = {"unit": ["miles", "kilometers"]}
    examples = expand(parse_template("convert {from_unit:unit} to {to_unit:unit}"), lists, 10,
                      random.Random(0))
    assert count("convert {from_unit:unit} to {to_unit:unit}", lists) == 4
    assert {(marked(e)["from_unit"], marked(e)["to_unit"]) for e in examples} == {
        ("miles", "miles"), ("miles", "kilometers"), ("kilometers", "miles"), ("kilometers", "kilometers")}
    for example in examples:
        assert [s.slot for s in example.spans] == ["from_unit", "to_unit"]


def test_places_lists_every_place_with_its_list():
    parsed = parse_template("(from {a}|{b:unit}) [to {c}]")
    assert [(p.slot, p.list_name) for p in parsed.places()] == [("a", "a"), ("b", "unit"), ("c", "c")]


def test_adjacent_places_get_separate_spans():
    (example,) = expand(parse_template("{amount}{unit}"), {"amount": ["20"], "unit": ["km"]}, 5,
                        random.Random(0))
    assert example.text == "20km"
    assert example.spans == (SlotSpan("amount", 0, 2), SlotSpan("unit", 2, 4))


# --- whitespace ------------------------------------------------------------------------------------

def test_vanished_optional_words_leave_no_double_or_edge_spaces():
    assert texts("[please]  set [a]  timer [now]") == {
        "please set a timer now", "please set a timer", "please set timer now", "please set timer",
        "set a timer now", "set a timer", "set timer now", "set timer"}


def test_spans_stay_exact_when_optional_parts_vanish():
    lists = {"label": ["pasta", "tea"], "duration": ["8 minutes", "an hour"]}
    pattern = "[please] [set] [a] {label}  [timer] [for]  {duration} [thanks]"
    examples = expand(parse_template(pattern), lists, EVERYTHING, random.Random(0))
    assert len(examples) == count(pattern, lists) == 2**6 * 4
    for example in examples:
        assert example.text == example.text.strip()
        assert "  " not in example.text
        assert marked(example)["label"] in lists["label"]
        assert marked(example)["duration"] in lists["duration"]
    shortest = min(examples, key=lambda e: len(e.text))
    assert shortest.text == "tea an hour"
    assert shortest.spans == (SlotSpan("label", 0, 3), SlotSpan("duration", 4, 11))


def test_whitespace_inside_and_around_slot_values_is_collapsed_and_excluded_from_spans():
    (example,) = expand(parse_template("walk the {pet}\t now"), {"pet": ["  big   dog "]}, 5,
                        random.Random(0))
    assert example.text == "walk the big dog now"
    assert marked(example) == {"pet": "big dog"}


def test_an_expansion_that_is_only_whitespace_is_dropped():
    assert texts("[hello]  ") == {"hello"}


# --- counting --------------------------------------------------------------------------------------

SMALL_TEMPLATES = [
    ("(set|start) a timer", {}),
    ("[please] (cancel|stop|delete) (the|my) [{label}] timer", {"label": ["pasta", "tea", "egg"]}),
    ("(what|which) (time|day) [is it] [(in|at) {place}]", {"place": ["paris", "tokyo"]}),
    ("[a|an|the] ((big|small) [red] |tiny )box", {}),
    ("{amount} {from_unit:unit} (in|to|into) {to_unit:unit}",
     {"amount": ["1", "2", "ten"], "unit": ["km", "miles", "feet"]}),
    ("(turn (the volume|it) (up|down)|(mute|unmute) [it]) [please]", {}),
]


@pytest.mark.parametrize(("pattern", "lists"), SMALL_TEMPLATES)
def test_count_equals_the_number_of_distinct_enumerated_expansions(pattern, lists):
    examples = expand(parse_template(pattern), lists, EVERYTHING, random.Random(0))
    assert len({e.text for e in examples}) == len(examples) == count(pattern, lists)


def test_count_is_exact_for_huge_templates():
    assert count("(a|b|c|d|e|f|g|h|i|j) " * 12) == 10**12
    assert count("{a:n} [x|y] {b:n}", {"n": [str(i) for i in range(1000)]}) == 1000 * 3 * 1000


def test_count_with_an_empty_list_is_zero():
    assert count("play {track}", {"track": []}) == 0
    assert expand(parse_template("play {track}"), {"track": []}, 10, random.Random(0)) == []


# --- sampling --------------------------------------------------------------------------------------

def test_all_expansions_when_there_are_fewer_than_the_limit():
    examples = expand(parse_template("(a|b|c) x"), {}, 3, random.Random(0))
    assert [e.text for e in examples] == ["a x", "b x", "c x"]


def test_sampling_a_huge_template_returns_limit_distinct_expansions_quickly():
    words = [f"w{i}" for i in range(1000)]
    pattern = "{a:w} [and|or] {b:w} (x|y) {c:w} {d:w}"
    parsed = parse_template(pattern)
    assert count_expansions(parsed, {"w": words}) == 1000**4 * 3 * 2  # 6e12
    started = time.thread_time()  # CPU time: other jobs on a shared machine do not count
    examples = expand(parsed, {"w": words}, 2000, random.Random(1))
    elapsed = time.thread_time() - started
    assert elapsed < 1.0
    assert len(examples) == 2000
    assert len({e.text for e in examples}) == 2000
    shape = re.compile(r"w\d+ (?:(?:and|or) )?w\d+ [xy] w\d+ w\d+")
    for example in examples:
        assert shape.fullmatch(example.text)
        assert [s.slot for s in example.spans] == ["a", "b", "c", "d"]
        assert all(example.text[s.start : s.end] in words for s in example.spans)


def test_sampling_10_to_the_12_alternatives_is_fast():
    parsed = parse_template("(a|b|c|d|e|f|g|h|i|j) " * 12)
    started = time.thread_time()
    examples = expand(parsed, {}, 1000, random.Random(3))
    assert time.thread_time() - started < 1.0
    assert len({e.text for e in examples}) == 1000
    assert all(re.fullmatch(r"[a-j]( [a-j]){11}", e.text) for e in examples)


def test_sampling_works_beyond_2_to_the_63_combinations():
    parsed = parse_template("(a|b|c|d|e|f|g|h|i|j) " * 20)
    assert count_expansions(parsed, {}) == 10**20
    examples = expand(parsed, {}, 10, random.Random(0))
    assert len({e.text for e in examples}) == 10


def test_sampling_is_uniform_over_combinations_not_over_branches():
    # "x" is 1 of 100 combinations; a branch-by-branch sampler would pick it half of the time.
    lists = {"n": [str(i) for i in range(99)]}
    parsed = parse_template("(x|y {n})")
    hits = sum(any(e.text == "x" for e in expand(parsed, lists, 10, random.Random(seed)))
               for seed in range(2000))
    assert 140 < hits < 260  # expected 2000 * 10/100 = 200, standard deviation ~13


def test_single_samples_cover_every_combination_about_equally():
    parsed = parse_template("(a|b|c|d) [e|f|g]")
    assert count_expansions(parsed, {}) == 16
    seen = Counter(expand(parsed, {}, 1, random.Random(seed))[0].text for seed in range(4000))
    assert len(seen) == 16
    assert all(150 < n < 350 for n in seen.values()), seen  # expected 250 each


def test_sampling_is_deterministic_for_a_seeded_rng():
    parsed = parse_template("(a|b|c|d|e|f|g|h|i|j) " * 8)
    first = expand(parsed, {}, 50, random.Random(42))
    assert expand(parsed, {}, 50, random.Random(42)) == first
    assert expand(parsed, {}, 50, random.Random(43)) != first


# --- errors with a 1-based column ------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "message", "column"), [
    pytest.param("(set|start a timer", "'(' is never closed", 1, id="unclosed ("),
    pytest.param("set (a|(b|c) timer", "'(' is never closed", 5, id="unclosed outer ("),
    pytest.param("set a timer)", "unexpected ')'", 12, id="unbalanced )"),
    pytest.param("(set|start)) a timer", "unexpected ')'", 12, id="extra )"),
    pytest.param("set [a timer", "'[' is never closed", 5, id="unclosed ["),
    pytest.param("set a] timer", "unexpected ']'", 6, id="unbalanced ]"),
    pytest.param("(set|start] a timer", "unexpected ']'", 11, id="( closed by ]"),
    pytest.param("set a|start a timer", "unexpected '|'", 6, id="| outside a group"),
    pytest.param("set a {label timer", "'{' is never closed", 7, id="unclosed {"),
    pytest.param("set a label} timer", "'}' without '{'", 12, id="unbalanced }"),
    pytest.param("set a {Label} timer", "is not a slot place", 7, id="bad slot name"),
    pytest.param("set a {label:} timer", "is not a slot place", 7, id="empty list name"),
    pytest.param("set a {} timer", "is not a slot place", 7, id="empty place"),
])
def test_broken_template_reports_message_and_column(pattern, message, column):
    with pytest.raises(TemplateError) as caught:
        parse_template(pattern)
    assert message in str(caught.value)
    assert caught.value.column == column
    assert f"(column {column})" in str(caught.value)
