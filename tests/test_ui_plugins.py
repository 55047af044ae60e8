"""The plugins page: installed plugins with intents, examples and slots; switching off; load errors."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import Qt

from tests.ui_support import ask, open_window
from ui.plugins_page import intent_html
from ui.settings import SettingsStore

BROKEN = """\
plugin: broken
description: A plugin with a mistake.
intents:
  broken.thing:
    description: Does a thing
    examples:
      - do the thing
    colour: blue
"""


def plugin_item(page, name):
    items = page.tree.findItems(name, Qt.MatchFlag.MatchExactly, 0)
    assert items, f"no plugin {name!r} on the page"
    return items[0]


@pytest.fixture
def window(qtbot, home, write_plugin, line_of):
    write_plugin(BROKEN, name="broken", folder="home/plugins")
    return open_window(qtbot, home, user_plugins=True)


def test_plugins_are_listed_with_their_intents_and_load_errors_with_file_and_line(window, home, line_of):
    page = window.plugins
    timer = plugin_item(page, "timer")
    intents = [timer.child(i).text(0) for i in range(timer.childCount())]
    assert "timer.start" in intents
    assert timer.checkState(0) == Qt.CheckState.Checked
    assert "15 plugins" in page.summary.text() and "1 failed to load" in page.summary.text()
    assert page.failures_box.isVisibleTo(window.plugins)
    row = page.failures.topLevelItem(0)
    assert row.text(0) == "broken"
    assert row.text(1) == str(home / "plugins" / "broken" / "intents.yaml")
    assert row.text(2) == str(line_of(BROKEN, "colour: blue"))
    assert "unknown key 'colour'" in row.text(3)


def test_selecting_an_intent_shows_its_slots_and_highlighted_examples(window):
    page = window.plugins
    timer = plugin_item(page, "timer")
    start = next(timer.child(i) for i in range(timer.childCount()) if timer.child(i).text(0) == "timer.start")
    page.tree.setCurrentItem(start)
    text = page.details.toPlainText()
    assert "timer.start" in text and "duration" in text and "required" in text
    assert "background-color" in page.details.toHtml()


def test_intent_details_escape_and_highlight_examples(window):
    intent = window.plugins.snapshot.plugins[0].intents[0]
    html = intent_html(intent)
    assert html.startswith(f"<h3>{intent.name}</h3>")


def test_switching_a_plugin_off_takes_effect_and_is_remembered(qtbot, window, home):
    page = window.plugins
    with qtbot.waitSignal(window.bridge.plugins_changed, timeout=5000):
        plugin_item(page, "timer").setCheckState(0, Qt.CheckState.Unchecked)
    turn = ask(qtbot, window, "set a timer for five minutes")
    assert "turned off" in turn.reply
    assert plugin_item(page, "timer").checkState(0) == Qt.CheckState.Unchecked
    assert "1 turned off" in page.summary.text()
    assert SettingsStore.at(home / "settings.ini").load().disabled_plugins == ("timer",)
    assert window.bridge.options.disabled_plugins == frozenset()  # the running core was told directly


def test_the_filter_hides_plugins_without_a_match(window):
    page = window.plugins
    page.filter.setText("timer.start")
    visible = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())
               if not page.tree.topLevelItem(i).isHidden()]
    assert visible == ["timer"]
    page.filter.clear()
    assert all(not page.tree.topLevelItem(i).isHidden() for i in range(page.tree.topLevelItemCount()))


def test_reload_picks_up_a_fixed_plugin(qtbot, window, home):
    fixed = BROKEN.replace("    colour: blue\n", "")
    (home / "plugins" / "broken" / "intents.yaml").write_text(fixed, encoding="utf-8")
    with qtbot.waitSignal(window.bridge.plugins_changed, timeout=10_000):
        qtbot.mouseClick(window.plugins.reload_button, Qt.MouseButton.LeftButton)
    assert plugin_item(window.plugins, "broken")
    assert not window.plugins.snapshot.failures
    assert not window.plugins.failures_box.isVisibleTo(window.plugins)
