"""The scrolling transcript: a list view of chat bubbles with copy, copy-all and clear.

Built on Qt's model/view so thousands of messages stay cheap (only visible rows are painted),
keyboard selection works for free, and each message can be copied on its own.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QMenu, QWidget

from ui.message_delegate import MessageDelegate
from ui.messages import Message, MessageModel


class ConversationView(QListView):
    def __init__(self, model: MessageModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages = model
        self.setModel(model)
        self.bubbles = MessageDelegate(self)
        self.setItemDelegate(self.bubbles)
        self.setAccessibleName("Conversation")
        self.setAccessibleDescription("Your requests and the assistant's replies; Ctrl+C copies the selected ones")
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        # Each insert relayouts every row; in batches a long transcript never blocks the event loop.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(200)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMouseTracking(True)
        self.verticalScrollBar().setSingleStep(24)

        self.copy_action = QAction("&Copy message", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(self.copy_selected)
        self.copy_all_action = QAction("Copy &whole conversation", self)
        self.copy_all_action.triggered.connect(self.copy_all)
        self.addActions([self.copy_action, self.copy_all_action])
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.extra_actions: list[QAction] = []
        """Further context-menu entries (the window adds "Clear conversation")."""
        self.sticky = True
        """Keep the newest message in view; off while the user reads further up."""
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)
        model.rowsInserted.connect(self._inserted)

    def follow(self) -> None:
        """Jump to the newest message and stay there (the user just sent something)."""
        self.sticky = True
        self.scrollToBottom()

    def _scrolled(self, value: int) -> None:
        self.sticky = value >= self.verticalScrollBar().maximum() - 4

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self.sticky:
            self.verticalScrollBar().setValue(maximum)

    def _inserted(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        if self.sticky:
            self.scrollToBottom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.bubbles.clear_cache()
        super().resizeEvent(event)

    def selected_messages(self) -> list[Message]:
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [self.messages.message(row) for row in rows]

    def copy_selected(self) -> None:
        chosen = self.selected_messages()
        if chosen:
            QGuiApplication.clipboard().setText("\n".join(m.text for m in chosen))

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText("\n".join(m.accessible_text() for m in self.messages.messages()))

    def _menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid() and not self.selectionModel().isSelected(index):
            self.setCurrentIndex(index)
        menu = QMenu(self)
        self.copy_action.setEnabled(bool(self.selected_messages()))
        menu.addAction(self.copy_action)
        menu.addAction(self.copy_all_action)
        if self.extra_actions:
            menu.addSeparator()
            menu.addActions(self.extra_actions)
        menu.popup(self.viewport().mapToGlobal(pos))
