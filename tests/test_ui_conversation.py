"""The conversation page: bubbles from real turns, exact slot offsets, hover tooltips, copy and clear."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6", reason="the window needs PySide6")

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QStyleOptionViewItem

from assistant.results import Notification
from ui.conversation import ConversationView
from ui.message_delegate import MessageDelegate
from ui.messages import (
    MessageModel,
    Role,
    message_for_notification,
    messages_for_turn,
)


@pytest.fixture
def view(qtbot):
    model = MessageModel()
    widget = ConversationView(model)
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_user_words_keep_their_spacing_and_slots_index_them_exactly(make_assistant):
    turn = make_assistant().handle("Set a  PASTA timer,  for 8 minutes!")
    user = messages_for_turn(turn)[0]
    document = QTextDocument()
    document.setHtml(user.html)
    assert document.toPlainText() == "Set a  PASTA timer,  for 8 minutes!"
    for slot in user.slots:
        assert user.text[slot.start:slot.end] == slot.raw
        assert f">{slot.raw}</span>" in user.html


def test_hovering_a_slot_names_it_and_elsewhere_shows_intent_and_confidence(qtbot, view, make_assistant):
    turn = make_assistant().handle("set a pasta timer for 8 minutes")
    view.messages.append(messages_for_turn(turn))
    user = view.messages.message(0)
    delegate: MessageDelegate = view.bubbles
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = QRect(0, 0, view.viewport().width(), 200)
    bubble, document, caption = delegate._layout(option, user)
    duration = user.slots[[s.name for s in user.slots].index("duration")]
    layout = document.documentLayout()
    point = None
    for x in range(int(layout.documentSize().width())):  # a pixel over the duration's characters
        position = layout.hitTest(QPointF(x, 5), Qt.HitTestAccuracy.ExactHit)
        if duration.start <= position < duration.end:
            point = QPoint(bubble.left() + 10 + x, bubble.top() + 10 + caption + 5)
            break
    assert point is not None
    assert delegate.tooltip_at(option, user, point).startswith("duration: 8 minutes")
    corner = QPoint(bubble.left() + 2, bubble.top() + 2)
    assert delegate.tooltip_at(option, user, corner).startswith("timer.start · ")


def test_copy_puts_the_selected_message_on_the_clipboard_and_clear_empties(qtbot, view, make_assistant):
    view.messages.append(messages_for_turn(make_assistant().handle("what time is it in tokyo")))
    view.setCurrentIndex(view.messages.index(1))
    view.copy_selected()
    assert QGuiApplication.clipboard().text().startswith("It's ")
    view.copy_all()
    assert QGuiApplication.clipboard().text().startswith("You: what time is it in tokyo\nAssistant: It's ")
    view.messages.clear()
    assert view.messages.rowCount() == 0


def test_questions_notes_and_notifications_get_their_own_bubbles(make_assistant):
    assistant = make_assistant()
    question = messages_for_turn(assistant.handle("take a note"))
    assert [m.role for m in question] == [Role.USER, Role.QUESTION]
    notice = message_for_notification(Notification("Timer “pasta”", "Time is up!", "timer", late=True))
    assert notice.role is Role.NOTIFICATION
    assert notice.text == "Timer “pasta”: Time is up! (while the assistant was closed)"


def test_bubbles_have_heights_that_fit_their_text(qtbot, view, make_assistant):
    view.messages.append(messages_for_turn(make_assistant().handle("what can you do")))
    long_reply = view.messages.index(1)
    short = view.messages.index(0)
    assert view.sizeHintForIndex(long_reply).height() > view.sizeHintForIndex(short).height()
    assert view.grab().width() == view.width()
