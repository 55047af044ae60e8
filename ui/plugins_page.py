"""The plugins page: what is installed, what each plugin understands, on/off switches, load errors.

A tree lists plugins (check box = enabled) and their intents; the panel beside it shows the
selected intent's slots and examples with the slots highlighted as the model would mark them.
Plugins that failed to load are listed below with file, line and message, so a plugin author
sees exactly what to fix.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.bridge import CoreBridge
from ui.highlight import highlight_spans
from ui.snapshots import CoreSnapshot, IntentInfo, PluginInfo, PluginsSnapshot

INFO_ROLE = Qt.ItemDataRole.UserRole + 1


def intent_html(intent: IntentInfo) -> str:
    """The detail panel for one intent: description, slots, highlighted examples."""
    parts = [f"<h3>{html.escape(intent.name)}</h3>", f"<p>{html.escape(intent.description or '')}</p>"]
    if not intent.has_handler:
        parts.append("<p><i>Understood, but this plugin has no handler for it yet.</i></p>")
    if intent.slots:
        rows = "".join(f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(s.type)}</td>"
                       f"<td>{'required' if s.required else 'optional'}</td></tr>" for s in intent.slots)
        parts.append(f"<p><b>Slots</b></p><table cellspacing='0' cellpadding='3'>{rows}</table>")
    if intent.examples:
        items = "".join(
            f"<li>{highlight_spans(e.text, ((n, a, b, n) for n, a, b in e.spans))}</li>" for e in intent.examples)
        parts.append(f"<p><b>Examples</b></p><ul>{items}</ul>")
    return "".join(parts)


def plugin_html(plugin: PluginInfo) -> str:
    state = "enabled" if plugin.enabled else "turned off"
    intents = "".join(f"<li><b>{html.escape(i.name)}</b> — {html.escape(i.description)}</li>" for i in plugin.intents)
    return (f"<h3>{html.escape(plugin.name)}</h3><p>{html.escape(plugin.description)}</p>"
            f"<p>{len(plugin.intents)} intents, {state}; from {html.escape(plugin.origin)}<br>"
            f"<code>{html.escape(plugin.file)}</code></p><ul>{intents}</ul>")


class PluginsPage(QWidget):
    plugin_toggled = Signal(str, bool)
    """The user switched a plugin on or off (the window remembers it in the settings)."""

    def __init__(self, bridge: CoreBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.snapshot = PluginsSnapshot()
        self._filling = False
        self.setAccessibleName("Plugins")

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter plugins and intents")
        self.filter.setAccessibleName("Filter plugins")
        self.filter.setClearButtonEnabled(True)
        self.reload_button = QPushButton("Re&load plugins")
        self.reload_button.setAccessibleName("Reload plugins from disk")
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Installed plugins and their intents")
        self.tree.setHeaderLabels(["Plugin / intent", "Description"])
        self.tree.setColumnWidth(0, 220)
        self.tree.setUniformRowHeights(True)
        self.details = QTextBrowser()
        self.details.setAccessibleName("Details of the selected plugin or intent")
        self.details.setOpenLinks(False)
        self.failures = QTreeWidget()
        self.failures.setAccessibleName("Plugins that failed to load")
        self.failures.setHeaderLabels(["Plugin", "File", "Line", "Problem"])
        self.failures.setRootIsDecorated(False)
        self.failures.setColumnWidth(0, 110)
        self.failures.setColumnWidth(1, 260)
        self.failures.setColumnWidth(2, 50)
        self.failures_box = QGroupBox("Load errors")
        failures_layout = QVBoxLayout(self.failures_box)
        failures_layout.addWidget(self.failures)

        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.reload_button)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 3)
        layout.addWidget(self.failures_box, 1)

        self.tree.itemChanged.connect(self._item_changed)
        self.tree.currentItemChanged.connect(self._show_details)
        self.filter.textChanged.connect(self._apply_filter)
        self.reload_button.clicked.connect(bridge.reload_plugins)
        bridge.ready.connect(self._on_ready)
        bridge.plugins_changed.connect(self.show_plugins)

    def _on_ready(self, snapshot: CoreSnapshot) -> None:
        self.show_plugins(snapshot.plugins)

    def show_plugins(self, snapshot: PluginsSnapshot) -> None:
        self.snapshot = snapshot
        current = self.tree.currentItem()
        selected = current.text(0) if current is not None else None
        self._filling = True
        self.tree.clear()
        for plugin in snapshot.plugins:
            item = QTreeWidgetItem([plugin.name, plugin.description])
            item.setData(0, INFO_ROLE, plugin)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if plugin.enabled else Qt.CheckState.Unchecked)
            item.setToolTip(0, f"{plugin.name}: {'enabled' if plugin.enabled else 'turned off'} "
                               "(Space switches it)")
            for intent in plugin.intents:
                child = QTreeWidgetItem([intent.name, intent.description +
                                         ("" if intent.has_handler else " (not handled yet)")])
                child.setData(0, INFO_ROLE, intent)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            if plugin.name == selected:
                self.tree.setCurrentItem(item)
        self._filling = False
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        intents = sum(len(p.intents) for p in snapshot.plugins)
        off = sum(not p.enabled for p in snapshot.plugins)
        self.summary.setText(f"{len(snapshot.plugins)} plugins, {intents} intents"
                             + (f", {off} turned off" if off else "")
                             + (f"; {len(snapshot.failures)} failed to load" if snapshot.failures else ""))
        self.failures.clear()
        for failure in snapshot.failures:
            row = QTreeWidgetItem([failure.plugin, failure.file, "" if failure.line is None else str(failure.line),
                                   failure.message + (f" (intent {failure.intent})" if failure.intent else "")])
            row.setToolTip(3, failure.message)
            self.failures.addTopLevelItem(row)
        self.failures_box.setVisible(bool(snapshot.failures))
        self._apply_filter(self.filter.text())

    def _item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        plugin = item.data(0, INFO_ROLE)
        if self._filling or column != 0 or not isinstance(plugin, PluginInfo):
            return
        enabled = item.checkState(0) == Qt.CheckState.Checked
        if enabled != plugin.enabled:
            self.bridge.set_plugin_enabled(plugin.name, enabled)
            self.plugin_toggled.emit(plugin.name, enabled)

    def _show_details(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        info = item.data(0, INFO_ROLE) if item is not None else None
        if isinstance(info, IntentInfo):
            self.details.setHtml(intent_html(info))
        elif isinstance(info, PluginInfo):
            self.details.setHtml(plugin_html(info))
        else:
            self.details.clear()

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            plugin_match = not needle or needle in item.text(0).lower() or needle in item.text(1).lower()
            any_child = False
            for j in range(item.childCount()):
                child = item.child(j)
                if child is None:
                    continue
                match = plugin_match or needle in child.text(0).lower() or needle in child.text(1).lower()
                child.setHidden(not match)
                any_child = any_child or match
            item.setHidden(not (plugin_match or any_child))
            if needle and any_child and not plugin_match:
                item.setExpanded(True)
