"""Word automata, spoken forms, slot-type grammars, the plugins' command grammar and the Rhino converter."""

from __future__ import annotations

import random
import textwrap

import pytest
import yaml

from assistant.speech.automaton import Dfa, NfaBuilder
from assistant.speech.bench.rhino_context import convert, snake
from assistant.speech.grammar import build_grammar
from assistant.speech.spoken import spoken_words
from assistant.speech.type_grammars import duration, number, time


def words(text: str) -> list[str]:
    return text.split()


def test_minimal_dfa_merges_shared_suffixes_and_counts_sentences():
    dfa = Dfa.phrases(words(p) for p in ["set a timer", "start a timer", "set an alarm", "start an alarm"])
    assert dfa.count() == 4
    assert dfa.accepts(words("start an alarm")) and not dfa.accepts(words("start a alarm"))
    # start -> {set,start} -> {a,an} -> {timer,alarm} -> final: the two verbs share one state.
    assert dfa.n_states == 5
    assert sorted(" ".join(s) for s in dfa.sentences()) == ["set a timer", "set an alarm", "start a timer",
                                                              "start an alarm"]


def test_optional_and_empty_paths_and_uniform_sampling():
    builder = NfaBuilder()
    start, middle, end = builder.state(), builder.state(), builder.state()
    builder.words(start, middle, ["hello"])
    builder.arc(start, middle)  # "hello" is optional
    builder.words(middle, end, ["world"])
    dfa = builder.determinize(start, end)
    assert dfa.count() == 2 and dfa.accepts(["world"]) and dfa.accepts(["hello", "world"])
    rng = random.Random(0)
    draws = [dfa.sample(rng) for _ in range(400)]
    assert 150 < sum(d == ("world",) for d in draws) < 250


def test_dead_branches_are_trimmed():
    dfa = Dfa(0, frozenset({2}), ((("a", 1), ("b", 3)), (("c", 2),), (), ()))
    minimal = dfa.minimal()
    assert minimal.vocabulary() == {"a", "c"} and minimal.count() == 1


def test_cycles_are_refused():
    with pytest.raises(ValueError, match="acyclic"):
        Dfa(0, frozenset({0}), ((("a", 0),),)).minimal()


@pytest.mark.parametrize(("written", "said"), [
    ("Set a timer for 5 mins!", "set a timer for five minutes"),
    ("at 4:30", "at four thirty"),
    ("at 7:05", "at seven oh five"),
    ("the 12th", "the twelfth"),
    ("140 euros", "one hundred forty euros"),
    ("in 2027", "in twenty twenty seven"),
    ("code 0912", "code oh nine one two"),
    ("volume to 50%", "volume to fifty percent"),
    ("what's up", "what's up"),
])
def test_spoken_words(written, said):
    assert " ".join(spoken_words(written)) == said


@pytest.mark.parametrize(("grammar", "text", "accepted"), [
    (duration, "seventeen minutes", True),
    (duration, "an hour and a half", True),
    (duration, "one hour twenty minutes", True),
    (duration, "half an hour", True),
    (duration, "minutes seventeen", False),
    (number, "three hundred and twelve", True),
    (time, "seven oh five p m", True),
    (time, "half past eight", True),
])
def test_type_grammars(grammar, text, accepted):
    assert grammar().accepts(words(text)) is accepted


TIMER = """
plugin: kitchen
intents:
  kitchen.timer:
    description: Start a timer
    slots:
      duration: {type: duration, required: true, prompt: How long?}
      label: {type: text}
    examples:
      - set a [pasta](label) timer for [8 minutes](duration)
    templates:
      - "(set|start) [a] {label} timer for {duration}"
    values:
      label: [tea, rice cooker]
      duration: [5 minutes]
  kitchen.note:
    description: Take a note
    slots:
      text: {type: text}
    examples:
      - note that [we are out of milk](text)
"""


@pytest.fixture
def kitchen(write_plugin):
    from assistant.plugins.manifest import read_manifest as read

    folder = write_plugin(TIMER, name="kitchen")
    return read(folder / "intents.yaml", "kitchen")


def test_grammar_from_templates_examples_values_and_types(kitchen):
    grammar = build_grammar([kitchen])
    assert grammar.accepts("start a rice cooker timer for twenty minutes")  # template + value list + type
    assert grammar.accepts("set a tea timer for 3 minutes")  # written digits are read out
    assert grammar.accepts("set a pasta timer for eight minutes")  # the example as written
    assert grammar.accepts("set a tea timer for an hour and a half")  # the example's span opened to the slot
    assert not grammar.accepts("set a timer for banana")
    assert grammar.open_intents == ("kitchen.timer", "kitchen.note")
    assert dict(grammar.intents).keys() == {"kitchen.timer", "kitchen.note"}


def test_grammar_key_changes_with_the_plugins(kitchen):
    from dataclasses import replace

    first = build_grammar([kitchen])
    changed = replace(kitchen, values=(("extra", ("x",)),))
    assert build_grammar([kitchen]).key == first.key != build_grammar([changed]).key


def test_restricting_to_an_engine_vocabulary_drops_only_what_it_cannot_say(kitchen):
    grammar = build_grammar([kitchen])
    restricted, dropped = grammar.restricted(lambda word: word != "cooker")
    assert dropped == {"cooker"}
    assert restricted.accepts("set a tea timer for five minutes")
    assert not restricted.accepts("set a rice cooker timer for five minutes")


def test_wake_prefix_fsg_and_phrase_list(kitchen):
    grammar = build_grammar([kitchen]).with_prefix(["hey", "desk"])
    assert grammar.accepts("hey desk set a tea timer for five minutes")
    assert grammar.accepts("set a tea timer for five minutes")
    start, final, transitions = grammar.fsg_transitions()
    assert start == 0 and final == grammar.dfa.n_states
    outgoing: dict[int, float] = {}
    for transition in transitions:
        outgoing[transition[0]] = outgoing.get(transition[0], 0.0) + transition[2]
    assert all(abs(total - 1.0) < 1e-9 for total in outgoing.values())
    phrases = build_grammar([kitchen]).phrase_list(limit=10)  # too many sentences: word runs
    assert "timer for" in " | ".join(phrases) and len(phrases) < 400


RHINO = """
context:
  expressions:
    orderDrink:
      - "[I want, give me] [a] $size:size $coffeeDrink:coffeeDrink [please]"
      - "(make, brew) me a $coffeeDrink:coffeeDrink with @extra"
  macros:
    extra: ["milk", "sugar"]
  slots:
    size: ["small", "large"]
    coffeeDrink: ["latte", "iced coffee"]
"""


def test_rhino_context_becomes_a_plugin_spec():
    converted = convert(yaml.safe_load(textwrap.dedent(RHINO))["context"])
    intent = converted.spec.intents[0]
    assert intent.name == "coffee.order_drink"
    assert [t.pattern for t in intent.templates] == [
        "[I want|give me] [a] {size:size} {coffee_drink:coffee_drink} [please]",
        "(make|brew) me a {coffee_drink:coffee_drink} with (milk|sugar)",
    ]
    assert {s.name: s.type for s in intent.slots} == {"size": "choice", "coffee_drink": "choice"}
    assert intent.slot("coffee_drink").choice_words() == {"latte": "latte", "iced coffee": "iced coffee"}
    assert converted.slot_names["coffeeDrink"] == "coffee_drink" and snake("numberOfShots") == "number_of_shots"
    assert intent.examples and all(e.spans for e in intent.examples)
    grammar = build_grammar([converted.spec])
    assert grammar.accepts("give me a large iced coffee please")
    assert grammar.accepts("brew me a latte with sugar")
    assert not grammar.accepts("brew me a latte")
    assert grammar.open_intents == ()


def test_rhino_context_with_an_unknown_macro_is_refused():
    from assistant.errors import DataFormatError

    context = {"expressions": {"order": ["get @nothing"]}, "slots": {}}
    with pytest.raises(DataFormatError, match="macro"):
        convert(context)
