"""The conversation page: transcript, notification banner, voice controls, input, and the stats panel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from assistant.results import Notification, Turn
from ui.conversation import ConversationView
from ui.icons import icon
from ui.input_bar import InputBar
from ui.messages import MessageModel, message_for_error, message_for_notification, messages_for_turn
from ui.notifications import NotificationBanner
from ui.stats_panel import StatsPanel
from ui.voice import VoiceBridge
from ui.voice_controls import VoiceControls


class ChatPage(QWidget):
    def __init__(self, voice: VoiceBridge, hold_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversation page")
        self.messages = MessageModel()
        self.conversation = ConversationView(self.messages)
        self.banner = NotificationBanner()
        self.voice_controls = VoiceControls(voice, hold_key)
        self.input_bar = InputBar()
        self.stats = StatsPanel()

        self.clear_action = QAction(icon("clear"), "C&lear conversation", self)
        self.clear_action.setShortcut(QKeySequence("Ctrl+L"))
        self.clear_action.triggered.connect(self.clear)
        self.conversation.extra_actions.append(self.clear_action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.conversation, 1)
        left_layout.addWidget(self.input_bar)
        left_layout.addWidget(self.voice_controls)
        self.stats_area = QScrollArea()
        self.stats_area.setWidget(self.stats)
        self.stats_area.setWidgetResizable(True)
        self.stats_area.setFrameShape(QFrame.Shape.NoFrame)
        self.stats_area.setMinimumWidth(250)
        self.stats_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.stats_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.input_bar.line, self.input_bar.send)
        self.setTabOrder(self.input_bar.send, self.voice_controls.button)
        self.setTabOrder(self.voice_controls.button, self.conversation)

    def show_turn(self, turn: Turn) -> None:
        self.conversation.follow()
        self.messages.append(messages_for_turn(turn))
        self.stats.show_turn(turn)

    def show_notification(self, notification: Notification) -> None:
        self.messages.append([message_for_notification(notification)])

    def show_error(self, text: str) -> None:
        self.messages.append([message_for_error(text)])

    def clear(self) -> None:
        self.messages.clear()
        self.conversation.bubbles.clear_cache()
        self.input_bar.line.setFocus()
