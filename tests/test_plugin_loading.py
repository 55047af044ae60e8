"""Loading plugins: handler binding and signature checks, import errors, the registry, entry points."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.errors import PluginError, SourceLocation
from assistant.plugins.discovery import PluginSource, entry_point_sources, folder_sources
from assistant.plugins.loader import USER_MODULE_PREFIX, load_plugin
from assistant.plugins.registry import PluginRegistry


@pytest.fixture(autouse=True)
def _forget_user_plugin_modules():
    """Temporary plugins are imported under ``assistant_user_plugins``; drop them after each test."""
    yield
    for name in [m for m in sys.modules if m == USER_MODULE_PREFIX or m.startswith(USER_MODULE_PREFIX + ".")]:
        del sys.modules[name]


def source(folder: Path) -> PluginSource:
    return PluginSource(name=folder.name, origin="test folder", folder=folder)


def load(folder: Path):
    return load_plugin(source(folder))


def load_error(folder: Path) -> PluginError:
    with pytest.raises(PluginError) as caught:
        load(folder)
    return caught.value


def line_in(path: Path, needle: str) -> int:
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    assert len(lines) == 1, (needle, lines)
    return lines[0]


def rewrite(path: Path, text: str) -> None:
    """Edit a file the way an editor would: new content and a newer modification time."""
    previous = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(previous + 2_000_000_000, previous + 2_000_000_000))


PAINT_YAML = """\
    description: Paints things.
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
        examples:
          - paint the [door](thing) [red](color)
      paint.undo:
        examples:
          - undo that
    """

PAINT_HANDLERS = """\
    from assistant.plugin_api import handler


    @handler("paint.thing", timeout_s=2.5)
    def paint(ctx, thing, color=None):
        return f"painted the {thing} {color}"


    @handler("paint.undo")
    def undo(ctx):
        return "undone"
    """


# --- binding handlers ------------------------------------------------------------------------------

def test_handlers_are_bound_to_their_intents(write_plugin):
    folder = write_plugin(PAINT_YAML, PAINT_HANDLERS)
    plugin = load(folder)
    assert plugin.name == "demo"
    assert set(plugin.handlers) == {"paint.thing", "paint.undo"}
    bound = plugin.handlers["paint.thing"]
    assert bound.function(None, thing="wall", color="blue") == "painted the wall blue"
    assert bound.info.intent == "paint.thing"
    assert bound.info.timeout_s == 2.5
    assert plugin.handlers["paint.undo"].info.timeout_s == 5.0
    handlers_py = folder / "handlers.py"
    assert Path(bound.location.file) == handlers_py
    header = (line_in(handlers_py, '@handler("paint.thing"'), line_in(handlers_py, "def paint"))
    assert bound.location.line in header
    assert bound.location.intent == "paint.thing"
    assert f"{USER_MODULE_PREFIX}.demo.handlers" in plugin.modules


def test_plugin_without_code_loads_without_handlers(write_plugin):
    plugin = load(write_plugin(PAINT_YAML))
    assert plugin.handlers == {}
    assert [i.name for i in plugin.spec.intents] == ["paint.thing", "paint.undo"]


def test_handlers_may_live_in_init_py(write_plugin):
    folder = write_plugin(PAINT_YAML)
    (folder / "__init__.py").write_text(
        "from assistant.plugin_api import handler\n\n\n"
        "@handler('paint.undo')\ndef undo(ctx):\n    return 'x'\n")
    assert set(load(folder).handlers) == {"paint.undo"}


def test_handlers_can_import_sibling_modules_relatively(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler

        from .words import DONE


        @handler("paint.undo")
        def undo(ctx):
            return DONE
        """)
    (folder / "words.py").write_text("DONE = 'undone from a sibling module'\n")
    assert load(folder).handlers["paint.undo"].function(None) == "undone from a sibling module"


def test_folder_without_manifest_is_an_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    error = load_error(folder)
    assert error.message == "no intents.yaml next to the plugin's code"
    assert error.location == SourceLocation(folder)


def test_manifest_problems_surface_when_loading(write_plugin):
    folder = write_plugin("intents:\n  paint.thing:\n    exampels: [x]\n", PAINT_HANDLERS)
    error = load_error(folder)
    assert Path(error.location.file) == folder / "intents.yaml"
    assert error.location.line == 3


# --- handler errors name the function's file and line ---------------------------------------------

def assert_at_function(error: PluginError, handlers_py: Path, function: str, intent: str) -> None:
    assert Path(error.location.file) == handlers_py
    def_line = line_in(handlers_py, f"def {function}(")
    assert error.location.line in (def_line - 1, def_line)  # the decorator or the def line
    assert error.location.intent == intent


def test_handler_for_an_undeclared_intent(write_plugin):
    folder = write_plugin(PAINT_YAML, PAINT_HANDLERS + """\


    @handler("paint.ghost")
    def ghost(ctx):
        return "boo"
    """)
    error = load_error(folder)
    assert error.message == "handler ghost() is for intent 'paint.ghost', which intents.yaml does not declare"
    assert_at_function(error, folder / "handlers.py", "ghost", "paint.ghost")
    assert len(error.problems) == 1


def test_two_handlers_for_one_intent(write_plugin):
    folder = write_plugin(PAINT_YAML, PAINT_HANDLERS + """\


    @handler("paint.undo")
    def undo_again(ctx):
        return "undone twice"
    """)
    error = load_error(folder)
    handlers_py = folder / "handlers.py"
    assert error.message.startswith("two handlers for 'paint.undo': ")
    # One of the two functions is the error's location; the message points at the other one.
    at_undo = {line_in(handlers_py, "def undo(ctx)") + d for d in (-1, 0)}
    at_again = {line_in(handlers_py, "def undo_again(ctx)") + d for d in (-1, 0)}
    assert Path(error.location.file) == handlers_py
    assert error.location.intent == "paint.undo"
    other = at_again if error.location.line in at_undo else at_undo
    assert error.location.line in at_undo | at_again
    assert any(f"{handlers_py}:{line}" in error.message for line in other)
    assert len(error.problems) == 1


@pytest.mark.parametrize("signature", ["()", "(*, ctx)", "(**slots)", "(*args)"])
def test_handler_without_a_context_parameter(write_plugin, signature):
    folder = write_plugin(PAINT_YAML, f"""\
        from assistant.plugin_api import handler


        @handler("paint.undo")
        def undo{signature}:
            return "undone"
        """)
    error = load_error(folder)
    assert error.message == "handler undo() must take the context as its first argument"
    assert_at_function(error, folder / "handlers.py", "undo", "paint.undo")


def test_handler_taking_a_parameter_that_is_not_a_slot(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler


        @handler("paint.thing")
        def paint(ctx, thing, colour):
            return "painted"
        """)
    error = load_error(folder)
    assert error.message == ("handler paint() takes colour, which intent 'paint.thing' does not declare as "
                             "slots (declared: color, thing)")
    assert_at_function(error, folder / "handlers.py", "paint", "paint.thing")


def test_handler_missing_a_declared_slot(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler


        @handler("paint.thing")
        def paint(ctx, thing):
            return "painted"
        """)
    error = load_error(folder)
    assert error.message == ("handler paint() does not accept slot(s) color of 'paint.thing'; "
                             "add them as parameters or take **slots")
    assert_at_function(error, folder / "handlers.py", "paint", "paint.thing")


def test_handler_with_parameters_for_an_intent_without_slots(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler


        @handler("paint.undo")
        def undo(ctx, steps):
            return "undone"
        """)
    error = load_error(folder)
    assert error.message == ("handler undo() takes steps, which intent 'paint.undo' does not declare "
                             "as slots (declared: none)")


@pytest.mark.parametrize("signature", [
    "(ctx, **slots)",
    "(ctx, thing, **rest)",
    "(ctx, *, thing, color)",
    "(context, color, thing)",
    "(ctx, thing, color, extra=1)",
    "(ctx, /, thing=None, color=None)",
])
def test_accepted_handler_signatures(write_plugin, signature):
    folder = write_plugin(PAINT_YAML, f"""\
        from assistant.plugin_api import handler


        @handler("paint.thing")
        def paint{signature}:
            return "painted"
        """)
    assert set(load(folder).handlers) == {"paint.thing"}


def test_every_handler_problem_is_collected(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler


        @handler("paint.thing")
        def paint(ctx):
            return "painted"


        @handler("paint.undo")
        def undo():
            return "undone"


        @handler("paint.ghost")
        def xghost(ctx):
            return "boo"
        """)
    error = load_error(folder)
    assert sorted(p.location.intent for p in error.problems) == ["paint.ghost", "paint.thing", "paint.undo"]
    assert str(error).count(str(folder / "handlers.py")) == 3


# --- import errors name file and line --------------------------------------------------------------

def test_syntax_error_in_handlers_reports_file_and_line(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler


        @handler("paint.undo")
        def undo(ctx)
            return "undone"
        """)
    error = load_error(folder)
    assert error.message.startswith("syntax error: ")
    assert Path(error.location.file) == folder / "handlers.py"
    assert error.location.line == 5


def test_exception_at_import_reports_file_and_line(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler

        SETTINGS = {}
        COLOR = SETTINGS["color"]
        """)
    error = load_error(folder)
    assert error.message == f"importing {USER_MODULE_PREFIX}.demo.handlers failed: KeyError: 'color'"
    assert Path(error.location.file) == folder / "handlers.py"
    assert error.location.line == 4


def test_exception_raised_deeper_reports_the_plugins_own_line(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        import json

        from assistant.plugin_api import handler

        CONFIG = json.loads("{not json")
        """)
    error = load_error(folder)
    assert "JSONDecodeError" in error.message
    assert Path(error.location.file) == folder / "handlers.py"
    assert error.location.line == 5


def test_missing_dependency_reports_the_import_line(write_plugin):
    folder = write_plugin(PAINT_YAML, """\
        from assistant.plugin_api import handler
        import surely_not_an_installed_module_xyz
        """)
    error = load_error(folder)
    assert "ModuleNotFoundError" in error.message
    assert error.location.line == 2


def test_init_py_that_re_exports_its_handlers(write_plugin):
    folder = write_plugin(PAINT_YAML, PAINT_HANDLERS)
    (folder / "__init__.py").write_text("from .handlers import paint, undo\n")
    assert set(load(folder).handlers) == {"paint.thing", "paint.undo"}


# --- discovery of user folders ----------------------------------------------------------------------

def test_folder_sources_lists_plugin_folders_only(tmp_path, write_plugin):
    write_plugin(PAINT_YAML, name="b_plugin")
    write_plugin(PAINT_YAML, name="a_plugin")
    write_plugin(PAINT_YAML, name=".hidden")
    write_plugin(PAINT_YAML, name="_private")
    (tmp_path / "plugins" / "no_manifest").mkdir()
    (tmp_path / "plugins" / "intents.yaml").write_text("intents: {}\n")
    sources = folder_sources(tmp_path / "plugins")
    assert [s.name for s in sources] == ["a_plugin", "b_plugin"]
    assert all(s.module is None and s.folder == tmp_path / "plugins" / s.name for s in sources)
    assert sources[0].origin == f"user folder {tmp_path / 'plugins'}"


def test_folder_sources_of_a_missing_folder_is_empty(tmp_path):
    assert folder_sources(tmp_path / "nowhere") == []


# --- the registry -----------------------------------------------------------------------------------

def simple_plugin(intent: str, description: str = "") -> str:
    return textwrap.dedent(f"""\
        description: {description or "A plugin."}
        intents:
          {intent}:
            description: Do {intent}
            examples:
              - do {intent}
        """)


def simple_handlers(intent: str, answer: str = "done") -> str:
    return textwrap.dedent(f"""\
        from assistant.plugin_api import handler


        @handler("{intent}")
        def run(ctx):
            return "{answer}"
        """)


def test_failing_plugin_is_skipped_and_the_others_load(tmp_path, write_plugin):
    write_plugin(simple_plugin("one.go"), simple_handlers("one.go"), name="one")
    write_plugin("intents:\n  two.go:\n    exampels: [x]\n", name="two")
    write_plugin(simple_plugin("three.go"), simple_handlers("three.go") + "\nraise RuntimeError('boom')\n",
                 name="three")
    write_plugin(simple_plugin("four.go"), simple_handlers("four.go"), name="four")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert [p.name for p in registry.plugins] == ["four", "one"]
    assert [f.source.name for f in registry.failures] == ["three", "two"]
    three, two = registry.failures
    assert "RuntimeError: boom" in three.error.message
    assert two.error.location.line == 3
    assert registry.intent("one.go").handler.function(None) == "done"
    assert registry.intent("two.go") is None
    assert registry.intent("three.go") is None
    assert sorted(e.spec.name for e in registry.intents()) == ["four.go", "one.go"]


def test_intent_without_a_handler_is_listed_with_none(write_plugin, tmp_path):
    write_plugin(simple_plugin("one.go"), name="one")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    entry = registry.intent("one.go")
    assert entry.handler is None
    assert entry.plugin.name == "one"
    assert entry.spec.name == "one.go"


def test_duplicate_intent_across_plugins_fails_the_second_naming_the_first(tmp_path, write_plugin):
    first = write_plugin(simple_plugin("shared.go"), name="a_first")
    second = write_plugin("intents:\n  own.go:\n    examples: [x]\n  shared.go:\n    examples: [y]\n",
                          name="b_second")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert [p.name for p in registry.plugins] == ["a_first"]
    (failure,) = registry.failures
    assert failure.source.name == "b_second"
    assert failure.error.message == (f"intent 'shared.go' is already declared by plugin 'a_first' "
                                     f"({first / 'intents.yaml'}:3)")
    assert failure.error.location == SourceLocation(second / "intents.yaml", 4, "shared.go")
    assert registry.intent("own.go") is None  # the whole second plugin is skipped
    assert registry.intent("shared.go").plugin.name == "a_first"


def test_duplicate_plugin_name(tmp_path, write_plugin):
    write_plugin("plugin: same\n" + simple_plugin("one.go"), name="a")
    second = write_plugin("plugin: same\n" + simple_plugin("two.go"), name="b")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert [(p.name, p.source.name) for p in registry.plugins] == [("same", "a")]
    (failure,) = registry.failures
    assert failure.error.message == (f"another plugin named 'same' is already loaded from "
                                     f"user folder {tmp_path / 'plugins'}")
    assert Path(failure.error.location.file) == second / "intents.yaml"


def test_reload_picks_up_an_edited_manifest(tmp_path, write_plugin):
    folder = write_plugin(simple_plugin("one.go"), name="one")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert registry.intent("one.more") is None
    manifest = folder / "intents.yaml"
    rewrite(manifest, manifest.read_text() + "  one.more:\n    examples: [one more]\n")
    registry.reload()
    assert registry.intent("one.more") is not None
    assert registry.failures == []


def test_reload_reports_a_manifest_that_broke_and_recovers_when_fixed(tmp_path, write_plugin):
    folder = write_plugin(simple_plugin("one.go"), name="one")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    manifest = folder / "intents.yaml"
    good = manifest.read_text()
    rewrite(manifest, good + "  one.more:\n    exampels: [one more]\n")
    registry.reload()
    assert registry.plugins == []
    assert registry.failures[0].error.location.intent == "one.more"
    rewrite(manifest, good)
    registry.reload()
    assert [p.name for p in registry.plugins] == ["one"]
    assert registry.failures == []


def test_reload_picks_up_edited_handler_code(tmp_path, write_plugin):
    folder = write_plugin(simple_plugin("one.go"), simple_handlers("one.go", "before"), name="one")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert registry.intent("one.go").handler.function(None) == "before"
    rewrite(folder / "handlers.py", simple_handlers("one.go", "after the edit"))
    registry.reload()
    assert registry.intent("one.go").handler.function(None) == "after the edit"


def test_reload_picks_up_an_edited_sibling_module(tmp_path, write_plugin):
    folder = write_plugin(simple_plugin("one.go"), """\
        from assistant.plugin_api import handler

        from .words import ANSWER


        @handler("one.go")
        def run(ctx):
            return ANSWER
        """, name="one")
    words = folder / "words.py"
    words.write_text("ANSWER = 'before'\n")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert registry.intent("one.go").handler.function(None) == "before"
    rewrite(words, "ANSWER = 'after the edit'\n")
    registry.reload()
    assert registry.intent("one.go").handler.function(None) == "after the edit"


def test_reload_of_a_same_size_edit_within_one_second(tmp_path, write_plugin, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    folder = write_plugin(simple_plugin("one.go"), simple_handlers("one.go", "AAA"), name="one")
    handlers_py = folder / "handlers.py"
    second = 1_700_000_000 * 10**9
    os.utime(handlers_py, ns=(second + 100_000_000, second + 100_000_000))
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert registry.intent("one.go").handler.function(None) == "AAA"
    handlers_py.write_text(handlers_py.read_text().replace("AAA", "BBB"))
    os.utime(handlers_py, ns=(second + 900_000_000, second + 900_000_000))  # 0.8 s later
    registry.reload()
    assert registry.intent("one.go").handler.function(None) == "BBB"


def test_enable_and_disable_plugins(tmp_path, write_plugin):
    write_plugin(simple_plugin("one.go", "First plugin."), name="one")
    write_plugin(simple_plugin("two.go", "Second plugin."), name="two")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"), disabled=["two"])
    assert registry.enabled("one")
    assert not registry.enabled("two")
    registry.set_enabled("two", True)
    registry.set_enabled("one", False)
    assert not registry.enabled("one")
    assert registry.enabled("two")
    registry.set_enabled("one", False)  # idempotent
    registry.set_enabled("one", True)
    assert registry.enabled("one")


def test_describe_lists_only_enabled_plugins(tmp_path, write_plugin):
    write_plugin(simple_plugin("one.go", "First plugin."), name="one")
    write_plugin("description: Second plugin.\nintents:\n  two.go:\n    examples: [x]\n", name="two")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    assert registry.describe() == [
        ("one", "First plugin.", ["Do one.go"]),
        ("two", "Second plugin.", ["two.go"]),
    ]
    registry.set_enabled("one", False)
    assert registry.describe() == [("two", "Second plugin.", ["two.go"])]
    assert [s.name for s in registry.specs()] == ["one", "two"]  # the model still covers disabled plugins
    assert registry.intent("one.go") is not None


def test_disabled_plugins_survive_a_reload(tmp_path, write_plugin):
    write_plugin(simple_plugin("one.go"), name="one")
    registry = PluginRegistry(folder_sources(tmp_path / "plugins"))
    registry.set_enabled("one", False)
    registry.reload()
    assert registry.describe() == []


# --- built-in plugins through entry points ----------------------------------------------------------

BUILT_IN_PLUGINS = ("about", "alarm", "app", "chat", "clock", "math", "media", "note", "reminder", "system",
                    "timer", "unit", "volume", "weather", "web")

# The catalog of /work/shared/spec/intents.md: intent -> (slot, type, required) in declaration order.
SPEC_INTENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "clock.time": (("location", "text", False),),
    "clock.date": (("date", "date", False),),
    "timer.start": (("duration", "duration", True), ("label", "text", False)),
    "timer.cancel": (("label", "text", False),),
    "timer.remaining": (("label", "text", False),),
    "alarm.set": (("time", "time", True), ("date", "date", False)),
    "alarm.cancel": (("time", "time", False),),
    "alarm.list": (),
    "reminder.set": (("task", "text", True), ("time", "time", False), ("date", "date", False),
                     ("duration", "duration", False)),
    "note.add": (("text", "text", True),),
    "note.list": (),
    "math.calculate": (("expression", "expression", True),),
    "unit.convert": (("amount", "number", False), ("from_unit", "unit", True), ("to_unit", "unit", True)),
    "weather.query": (("location", "text", False), ("date", "date", False)),
    "system.status": (("metric", "choice", False),),
    "volume.set": (("level", "percentage", True),),
    "volume.adjust": (("direction", "choice", True),),
    "app.open": (("app", "text", True),),
    "web.search": (("query", "text", True),),
    "media.play": (("track", "text", False), ("artist", "text", False), ("genre", "text", False)),
    "media.control": (("action", "choice", True),),
    "chat.greet": (),
    "chat.thanks": (),
    "chat.goodbye": (),
    "assistant.help": (("topic", "text", False),),
    "assistant.stats": (),
}

SPEC_CHOICES = {
    ("system.status", "metric"): {"battery", "cpu", "memory", "disk", "uptime", "network"},
    ("volume.adjust", "direction"): {"up", "down", "mute", "unmute"},
    ("media.control", "action"): {"pause", "resume", "next", "previous", "stop"},
}


@pytest.fixture(scope="module")
def builtin_registry() -> PluginRegistry:
    return PluginRegistry.discover(None)


def test_entry_points_include_the_built_in_plugins():
    sources = {s.name: s for s in entry_point_sources()}
    assert set(BUILT_IN_PLUGINS) <= set(sources)
    for name in BUILT_IN_PLUGINS:
        assert sources[name].module == f"intents.{name}"
        assert sources[name].folder is None
        assert sources[name].origin == "entry point of desk-assistant"


def test_entry_point_sources_are_sorted_by_name():
    names = [s.name for s in entry_point_sources()]
    assert names == sorted(names)


def test_spec_table_has_26_intents():
    assert len(SPEC_INTENTS) == 26


def test_discover_loads_every_built_in_plugin_without_failures(builtin_registry):
    assert [(f.source.name, str(f.error)) for f in builtin_registry.failures] == []
    assert set(BUILT_IN_PLUGINS) <= {p.name for p in builtin_registry.plugins}


@pytest.mark.parametrize("intent", sorted(SPEC_INTENTS))
def test_discover_loads_the_spec_intent_with_its_exact_slots(builtin_registry, intent):
    entry = builtin_registry.intent(intent)
    assert entry is not None, f"{intent} is not declared by any built-in plugin"
    assert [(s.name, s.type, s.required) for s in entry.spec.slots] == list(SPEC_INTENTS[intent])


@pytest.mark.parametrize(("intent", "slot"), sorted(SPEC_CHOICES))
def test_choice_slots_offer_exactly_the_spec_choices(builtin_registry, intent, slot):
    spec = builtin_registry.intent(intent).spec.slot(slot)
    assert {canonical for canonical, _ in spec.choices} == SPEC_CHOICES[(intent, slot)]


def test_discover_adds_the_user_folder(tmp_path, write_plugin):
    write_plugin(simple_plugin("mine.go"), simple_handlers("mine.go"), name="mine")
    registry = PluginRegistry.discover(tmp_path / "plugins")
    assert registry.intent("mine.go").handler.function(None) == "done"
    assert registry.intent("timer.start") is not None
    assert registry.failures == []


def test_user_plugin_redeclaring_a_built_in_intent_is_skipped(tmp_path, write_plugin):
    write_plugin(simple_plugin("timer.start"), name="mytimer")
    registry = PluginRegistry.discover(tmp_path / "plugins")
    (failure,) = registry.failures
    assert failure.source.name == "mytimer"
    assert "already declared by plugin 'timer'" in failure.error.message
    assert str(Path("intents") / "timer" / "intents.yaml") in failure.error.message
    assert registry.intent("timer.start").plugin.name == "timer"


def test_builtin_timer_handlers_are_bound(builtin_registry):
    for intent in ("timer.start", "timer.cancel", "timer.remaining"):
        handler = builtin_registry.intent(intent).handler
        assert handler is not None
        assert Path(handler.location.file).name == "handlers.py"
        assert Path(handler.location.file).parent.name == "timer"


def test_reload_of_entry_point_plugins():
    registry = PluginRegistry([s for s in entry_point_sources() if s.name == "timer"])
    before = registry.intent("timer.start").handler.function
    registry.reload()
    assert registry.failures == []
    after = registry.intent("timer.start").handler.function
    assert after is not before  # re-imported
    assert after.__module__ == "intents.timer.handlers"
