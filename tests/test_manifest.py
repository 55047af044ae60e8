"""Strict reading of ``intents.yaml``: every problem with its file, line and intent, all in one pass."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assistant.errors import PluginError, SourceLocation
from assistant.plugins.manifest import read_manifest
from assistant.plugins.spec import Example, SlotSpan


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "intents.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def read(tmp_path: Path, text: str, default_name: str = "demo"):
    return read_manifest(write(tmp_path, text), default_name=default_name)


def only_problem(tmp_path: Path, text: str) -> PluginError:
    """Read a manifest that has exactly one problem and return the error."""
    path = write(tmp_path, text)
    with pytest.raises(PluginError) as caught:
        read_manifest(path, default_name="demo")
    error = caught.value
    assert [p.message for p in error.problems] == [error.message], str(error)
    assert error.problems[0].location == error.location
    return error


def at(path: Path, line: int | None, intent: str | None = None) -> SourceLocation:
    return SourceLocation(path, line, intent)


# --- a valid plugin --------------------------------------------------------------------------------

VALID = """\
    plugin: painter
    description: Paints things.
    values:
      color: [red, green, dark blue]
    intents:
      paint.thing:
        description: Paint something
        slots:
          thing:
            type: text
            required: true
            prompt: What should I paint?
          color:
            type: text
          finish:
            type: choice
            choices:
              matte: [flat, dull]
              gloss: [shiny]
        examples:
          - paint the [door](thing) [red](color)
          - give the [fence](thing) a [shiny](finish) coat
          - "what is (2 + 3) colours"
        templates:
          - (paint|colour) the {thing:object} {color}
          - make it {finish}
        values:
          object: [wall, door]
      paint.undo:
        examples:
          - undo that
    out_of_scope:
      - paint a picture of a cat
      - who painted the mona lisa
    """


def test_valid_plugin_reads_every_declaration(tmp_path, line_of):
    spec = read(tmp_path, VALID)
    assert spec.name == "painter"
    assert spec.description == "Paints things."
    assert spec.file == tmp_path / "intents.yaml"
    assert [i.name for i in spec.intents] == ["paint.thing", "paint.undo"]
    paint = spec.intent("paint.thing")
    assert paint is not None
    assert paint.description == "Paint something"
    assert paint.line == line_of(VALID, "paint.thing:")
    assert [(s.name, s.type, s.required, s.prompt) for s in paint.slots] == [
        ("thing", "text", True, "What should I paint?"),
        ("color", "text", False, None),
        ("finish", "choice", False, None),
    ]
    lines = textwrap.dedent(VALID).splitlines()
    slot_lines = [n for n, line in enumerate(lines, 1) if line.strip() == "thing:"]
    assert [paint.slot("thing").line] == slot_lines
    assert paint.slot("finish").choices == (("matte", ("flat", "dull")), ("gloss", ("shiny",)))
    assert [s.name for s in paint.required_slots] == ["thing"]


def test_valid_plugin_examples_are_parsed_with_spans_and_lines(tmp_path, line_of):
    paint = read(tmp_path, VALID).intent("paint.thing")
    assert paint.examples[0] == Example(
        text="paint the door red", spans=(SlotSpan("thing", 10, 14), SlotSpan("color", 15, 18)),
        line=line_of(VALID, "paint the [door]"))
    assert paint.examples[1].text == "give the fence a shiny coat"
    assert paint.examples[2] == Example(text="what is (2 + 3) colours", line=line_of(VALID, "(2 + 3)"))


def test_valid_plugin_templates_and_out_of_scope_keep_their_lines(tmp_path, line_of):
    spec = read(tmp_path, VALID)
    paint = spec.intent("paint.thing")
    assert [(t.pattern, t.line) for t in paint.templates] == [
        ("(paint|colour) the {thing:object} {color}", line_of(VALID, "(paint|colour)")),
        ("make it {finish}", line_of(VALID, "make it {finish}")),
    ]
    assert spec.out_of_scope == (
        Example("paint a picture of a cat", line=line_of(VALID, "picture of a cat")),
        Example("who painted the mona lisa", line=line_of(VALID, "mona lisa")),
    )


def test_plugin_name_defaults_to_the_given_name(tmp_path):
    spec = read(tmp_path, """\
        intents:
          demo.hello:
            examples: [hello]
        """, default_name="folder_name")
    assert spec.name == "folder_name"
    assert spec.description == ""
    assert spec.out_of_scope == ()


def test_choice_slots_get_an_automatic_value_list(tmp_path):
    paint = read(tmp_path, VALID).intent("paint.thing")
    values = dict(paint.values)
    assert values["finish"] == ("dull", "flat", "gloss", "matte", "shiny")


def test_plugin_level_values_are_visible_to_every_intent(tmp_path):
    spec = read(tmp_path, VALID)
    assert dict(spec.values) == {"color": ("red", "green", "dark blue")}
    assert dict(spec.intent("paint.thing").values)["color"] == ("red", "green", "dark blue")
    assert dict(spec.intent("paint.thing").values)["object"] == ("wall", "door")
    assert dict(spec.intent("paint.undo").values) == {"color": ("red", "green", "dark blue")}


def test_intent_values_override_plugin_values_of_the_same_name(tmp_path):
    spec = read(tmp_path, """\
        values:
          color: [red]
        intents:
          paint.thing:
            slots:
              color: {type: text}
            examples: ["paint it [red](color)"]
            templates: ["paint it {color}"]
            values:
              color: [blue, green]
        """)
    assert dict(spec.intent("paint.thing").values)["color"] == ("blue", "green")
    assert dict(spec.values)["color"] == ("red",)


# --- one test per rule: message, exact line and intent --------------------------------------------

def test_unknown_top_level_key_with_a_hint(tmp_path, line_of):
    text = """\
        plugin: demo
        descripton: typo
        intents:
          demo.hello:
            examples: [hello]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "unknown key 'descripton' in the plugin file (did you mean 'description'?)"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "descripton"))


def test_unknown_top_level_key_without_a_close_match_lists_the_allowed_keys(tmp_path):
    error = only_problem(tmp_path, """\
        zebra: 1
        intents:
          demo.hello:
            examples: [hello]
        """)
    assert error.message == ("unknown key 'zebra' in the plugin file "
                             "(allowed: plugin, description, values, intents, out_of_scope)")
    assert error.location == at(tmp_path / "intents.yaml", 1)


def test_unknown_intent_key(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            examples: [hello]
            template: ["(hi|hello)"]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "unknown key 'template' in intent 'demo.hello' (did you mean 'templates'?)"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "template:"), "demo.hello")


def test_unknown_slot_key(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color:
                type: text
                promt: Which colour?
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "unknown key 'promt' in slot 'color' (did you mean 'prompt'?)"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "promt"), "demo.paint")


def test_duplicate_key(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            description: Say hello
            examples: [hello]
            description: Greet
        """
    error = only_problem(tmp_path, text)
    assert error.message == "'description' appears twice in intent 'demo.hello'"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "Greet"), "demo.hello")


def test_duplicate_intent(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            examples: [hello]
          demo.hello:
            examples: [hi]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "'demo.hello' appears twice in 'intents'"
    assert error.location.line == line_of(text, "examples: [hi]") - 1


def test_slot_used_in_an_example_but_not_declared(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color: {type: text}
            examples:
              - paint it [red](color)
              - paint the [door](thing)
        """
    error = only_problem(tmp_path, text)
    assert error.message == "example marks slot 'thing' but the intent does not declare it"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "[door]"), "demo.paint")


def test_slot_used_in_a_template_but_not_declared(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            examples: [paint it]
            templates:
              - paint it
              - paint the {thing}
            values:
              thing: [door]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "template uses slot 'thing' but the intent does not declare it"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "{thing}"), "demo.paint")


def test_template_place_without_a_value_list(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              thing: {type: text}
            examples: [paint it]
            templates:
              - paint the {thing}
        """
    error = only_problem(tmp_path, text)
    assert error.message == "template place {thing} needs a value list 'thing' under 'values'"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "{thing}"), "demo.paint")


def test_template_place_with_a_named_list_that_does_not_exist(tmp_path, line_of):
    text = """\
        values:
          thing: [door]
        intents:
          demo.paint:
            slots:
              thing: {type: text}
            examples: [paint it]
            templates:
              - paint the {thing:object}
        """
    error = only_problem(tmp_path, text)
    assert error.message == "template place {thing:object} needs a value list 'object' under 'values'"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "{thing:object}"), "demo.paint")


def test_broken_template_syntax(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            examples: [paint it]
            templates:
              - (paint|colour it
        """
    error = only_problem(tmp_path, text)
    assert error.message == "broken template '(paint|colour it': '(' is never closed (column 1)"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "(paint|"), "demo.paint")


def test_broken_annotation_syntax(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color: {type: text}
            examples:
              - paint it [red](color)
              - paint it [blue
        """
    error = only_problem(tmp_path, text)
    assert error.message == "broken slot mark in 'paint it [blue': '[' is never closed (column 10)"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "[blue"), "demo.paint")


def test_intent_without_examples_key(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            description: Say hello
        """
    error = only_problem(tmp_path, text)
    assert error.message == "the intent has no examples"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "demo.hello:"), "demo.hello")


def test_intent_with_an_empty_examples_list(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            description: Say hello
            examples: []
        """
    error = only_problem(tmp_path, text)
    assert error.message == "the intent has no examples"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "examples:"), "demo.hello")


@pytest.mark.parametrize("name", ["hello", "Demo.hello", "demo.Hello", "demo.hello.world", "demo-x.hello"])
def test_bad_intent_name(tmp_path, line_of, name):
    text = f"""\
        intents:
          {name}:
            examples: [hello]
        """
    error = only_problem(tmp_path, text)
    assert error.message == f"intent name {name!r} must look like 'domain.action' (lower case)"
    assert error.location == at(tmp_path / "intents.yaml", 2, name)


@pytest.mark.parametrize("name", ["Color", "2color", "my-color"])
def test_bad_slot_name(tmp_path, line_of, name):
    text = f"""\
        intents:
          demo.paint:
            slots:
              {name}:
                type: text
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == f"slot name {name!r} must be lower_snake_case"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, f"{name}:"), "demo.paint")


def test_unknown_slot_type(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color:
                type: colour
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message.startswith("slot 'color' has unknown type 'colour' (one of text, choice, ")
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "type: colour"), "demo.paint")


def test_slot_without_a_type(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color:
                required: false
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message.startswith("slot 'color' has no 'type' (one of text, choice, ")
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "color:"), "demo.paint")


def test_choice_slot_without_choices(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              finish:
                type: choice
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "slot 'finish' of type 'choice' needs 'choices'"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "finish:"), "demo.paint")


def test_choice_slot_with_empty_choices(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              finish:
                type: choice
                choices: {}
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert "finish" in error.message
    assert "choices" in error.message
    assert error.location.line in (line_of(text, "finish:"), line_of(text, "choices:"))
    assert error.location.intent == "demo.paint"


def test_choices_on_a_non_choice_slot(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              finish:
                type: text
                choices:
                  matte: [flat]
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "'choices' only applies to slots of type 'choice', not 'text'"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "choices:"), "demo.paint")


def test_required_slot_without_prompt(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color:
                type: text
                required: true
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "required slot 'color' needs a 'prompt' to ask when it is missing"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "color:"), "demo.paint")


def test_required_must_be_a_boolean(tmp_path, line_of):
    text = """\
        intents:
          demo.paint:
            slots:
              color:
                type: text
                required: maybe
            examples: [paint it]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "'required' must be true or false"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "maybe"), "demo.paint")


@pytest.mark.parametrize(("text", "message", "line", "intent"), [
    pytest.param("- intents\n", "the plugin file must be a mapping of keys to values", 1, None,
                 id="root list"),
    pytest.param("intents: [demo.hello]\n", "'intents' must be a mapping of keys to values", 1, None,
                 id="intents list"),
    pytest.param("intents:\n  demo.hello: hello\n", "intent 'demo.hello' must be a mapping of keys to values",
                 2, "demo.hello", id="intent text"),
    pytest.param("intents:\n  demo.paint:\n    slots: [color]\n    examples: [paint]\n",
                 "'slots' must be a mapping of keys to values", 3, "demo.paint", id="slots list"),
    pytest.param("intents:\n  demo.paint:\n    slots:\n      color: text\n    examples: [paint]\n",
                 "slot 'color' must be a mapping of keys to values", 4, "demo.paint", id="slot text"),
    pytest.param("values: [red]\nintents:\n  demo.paint:\n    examples: [paint]\n",
                 "'values' must be a mapping of keys to values", 1, None, id="values list"),
    pytest.param("intents:\n  demo.paint:\n    slots:\n      f:\n        type: choice\n"
                 "        choices: [a, b]\n    examples: [paint]\n",
                 "'choices' must be a mapping of keys to values", 6, "demo.paint", id="choices list"),
])
def test_non_mapping_where_a_mapping_is_required(tmp_path, text, message, line, intent):
    problems = _problems(tmp_path, text)
    assert [(p.message, p.location) for p in problems][:1] == [
        (message, at(tmp_path / "intents.yaml", line, intent))]


def _problems(tmp_path: Path, text: str) -> tuple[PluginError, ...]:
    with pytest.raises(PluginError) as caught:
        read(tmp_path, text)
    return caught.value.problems


def test_intent_as_text_is_only_reported_with_its_missing_examples(tmp_path):
    problems = _problems(tmp_path, "intents:\n  demo.hello: hello\n")
    assert [p.message for p in problems] == [
        "intent 'demo.hello' must be a mapping of keys to values", "the intent has no examples"]
    assert {p.location.line for p in problems} == {2}


def test_example_that_is_not_text(tmp_path, line_of):
    text = """\
        intents:
          demo.hello:
            examples:
              - hello
              - say: hi
        """
    error = only_problem(tmp_path, text)
    assert error.message == "an entry of 'examples' must be text"
    assert error.location == at(tmp_path / "intents.yaml", line_of(text, "say: hi"), "demo.hello")


def test_bad_plugin_name(tmp_path):
    error = only_problem(tmp_path, "plugin: My Plugin\nintents:\n  demo.hello:\n    examples: [hello]\n")
    assert error.message == "plugin name 'My Plugin' must be lower case letters, digits, '_' or '-'"
    assert error.location == at(tmp_path / "intents.yaml", 1)


def test_no_intents(tmp_path):
    error = only_problem(tmp_path, "plugin: demo\n")
    assert error.message == "the plugin declares no 'intents'"
    assert error.location == at(tmp_path / "intents.yaml", 1)


def test_empty_value_list(tmp_path, line_of):
    text = """\
        values:
          color: []
        intents:
          demo.hello:
            examples: [hello]
        """
    error = only_problem(tmp_path, text)
    assert error.message == "value list 'color' is empty"
    assert error.location == at(tmp_path / "intents.yaml", 2)


@pytest.mark.parametrize(("text", "problem", "line"), [
    pytest.param("intents:\n  demo.paint:\n    description: one: two\n",
                 "mapping values are not allowed in this context", 3, id="colon in plain text"),
    pytest.param("intents:\n  demo.paint:\n    examples:\n      - ok\n     - bad\n",
                 "did not find expected key", 5, id="bad indentation"),
    pytest.param("intents:\n\tdemo.paint: {}\n", "found character that cannot start any token", 2, id="tab"),
])
def test_invalid_yaml_syntax_reports_the_line(tmp_path, text, problem, line):
    error = only_problem(tmp_path, text)
    assert error.message == f"invalid YAML: {problem}"
    assert error.location == at(tmp_path / "intents.yaml", line)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(tmp_path, text):
    error = only_problem(tmp_path, text)
    assert error.message == "the file is empty"
    assert error.location == at(tmp_path / "intents.yaml", 1)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "intents.yaml"
    path.write_bytes("intents:\n  demo.hello:\n    examples: [caf\u00e9]\n".encode("latin-1"))
    with pytest.raises(PluginError) as caught:
        read_manifest(path, default_name="demo")
    assert caught.value.message.startswith("not UTF-8 text: ")
    assert caught.value.location == at(path, None)
    assert len(caught.value.problems) == 1


# --- all problems of a file at once -----------------------------------------------------------------

def test_all_problems_of_a_file_are_collected_in_order(tmp_path, line_of):
    text = """\
        plugin: demo
        descripton: typo
        intents:
          demo.paint:
            slots:
              color:
                type: colour
              size:
                type: number
                required: true
            examples:
              - paint it
              - paint it [red](colour)
          demo.undo:
            examples:
              - undo
              - undo [that
            templates:
              - (undo|revert
          Bad.name:
            examples: [x]
        out_of_scope:
          - paint a picture
        """
    problems = _problems(tmp_path, text)
    path = tmp_path / "intents.yaml"
    assert [(p.location.line, p.location.intent) for p in problems] == [
        (line_of(text, "descripton"), None),
        (line_of(text, "type: colour"), "demo.paint"),
        (line_of(text, "size:"), "demo.paint"),
        (line_of(text, "[red](colour)"), "demo.paint"),
        (line_of(text, "undo [that"), "demo.undo"),
        (line_of(text, "(undo|revert"), "demo.undo"),
        (line_of(text, "Bad.name"), "Bad.name"),
    ]
    assert all(p.location.file == path for p in problems)


def test_the_error_message_lists_every_problem_with_file_and_line(tmp_path):
    path = write(tmp_path, """\
        intents:
          demo.one:
            exampels: [x]
          demo.two:
            examples: [y]
            slots:
              a: {type: wrong}
        """)
    with pytest.raises(PluginError) as caught:
        read_manifest(path, default_name="demo")
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}:3 (intent demo.one): unknown key 'exampels' in intent 'demo.one' " \
                       "(did you mean 'examples'?)"
    assert lines[1] == f"{path}:2 (intent demo.one): the intent has no examples"
    assert lines[2].startswith(f"{path}:7 (intent demo.two): slot 'a' has unknown type 'wrong'")
    assert len(lines) == len(caught.value.problems) == 3
    assert caught.value.problems[0].message == caught.value.message
