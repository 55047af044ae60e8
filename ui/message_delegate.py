"""Paints each message as a chat bubble and explains highlighted slots on hover.

The bubble's rich text is a ``QTextDocument`` laid out at the bubble's width; the same document
answers "which character is under the mouse", so hovering a highlighted slot names that slot and
its value, while hovering elsewhere shows the intent and confidence of the whole request.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolTip, QWidget

from ui.messages import MESSAGE_ROLE, SPEAKERS, Message, Role, describe_slot
from ui.theme import is_dark

MARGIN = 6
PADDING = 10
RADIUS = 12
SHARE = 0.78
"""Largest share of the view's width one bubble may take."""

Index = QModelIndex | QPersistentModelIndex

LIGHT = {Role.USER: "#dbe8ff", Role.ASSISTANT: "#eef0f3", Role.QUESTION: "#fff1d6", Role.NOTE: "#f3f3f3",
         Role.NOTIFICATION: "#e3f6e8", Role.ERROR: "#fde2e1"}
DARK = {Role.USER: "#22406b", Role.ASSISTANT: "#2b3038", Role.QUESTION: "#4a3b1c", Role.NOTE: "#2a2d31",
        Role.NOTIFICATION: "#1f4630", Role.ERROR: "#5a2524"}


def bubble_colours(role: Role, palette: QPalette) -> tuple[QColor, QColor]:
    """Background and text colour of a bubble, readable in the current light or dark palette."""
    dark = is_dark(palette)
    background = QColor((DARK if dark else LIGHT)[role])
    return background, QColor("#f2f5fa" if dark else "#15191f")


class MessageDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents: dict[tuple[int, int], QTextDocument] = {}
        self._sizes: dict[tuple[int, int], QSize] = {}

    def clear_cache(self) -> None:
        self._documents.clear()
        self._sizes.clear()

    def _caption_font(self, base: QFont) -> QFont:
        font = QFont(base)
        font.setPointSizeF(max(6.0, base.pointSizeF() * 0.82))
        font.setBold(True)
        return font

    def _document(self, message: Message, font: QFont, width: int) -> QTextDocument:
        key = (id(message), width)
        document = self._documents.get(key)
        if document is None:
            document = QTextDocument()
            document.setDocumentMargin(0)
            document.setDefaultFont(font)
            document.setHtml(message.html)
            limit = max(60, int(width * SHARE) - 2 * PADDING)
            document.setTextWidth(-1)
            document.setTextWidth(min(limit, int(document.idealWidth()) + 2))
            if len(self._documents) > 2000:
                self._documents.clear()
            self._documents[key] = document
        return document

    def _caption(self, message: Message) -> str:
        caption = SPEAKERS[message.role]
        return caption + " (spoken)" if message.spoken else caption

    def _layout(self, option: QStyleOptionViewItem, message: Message) -> tuple[QRect, QTextDocument, int]:
        """Bubble rectangle, its laid-out text and the caption height, for a row at ``option.rect``."""
        width = option.rect.width()
        document = self._document(message, option.font, width)
        caption = QFontMetrics(self._caption_font(option.font))
        caption_height = caption.height() + 2 if message.role is not Role.USER else 0
        caption_width = caption.horizontalAdvance(self._caption(message))
        inner_w = max(int(document.size().width()), caption_width if caption_height else 0)
        bubble_w = inner_w + 2 * PADDING
        bubble_h = int(document.size().height()) + caption_height + 2 * PADDING
        left = option.rect.left() + MARGIN
        if message.role is Role.USER:
            left = option.rect.right() - MARGIN - bubble_w
        return QRect(left, option.rect.top() + MARGIN, bubble_w, bubble_h), document, caption_height

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            return super().sizeHint(option, index)
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        key = (id(message), width)
        size = self._sizes.get(key)
        if size is None:  # the view asks for every row on each relayout: compute each bubble once per width
            opt = QStyleOptionViewItem(option)
            opt.rect = QRect(0, 0, width, 0)
            bubble, _document, _caption = self._layout(opt, message)
            size = QSize(width, bubble.height() + 2 * MARGIN)
            if len(self._sizes) > 20_000:
                self._sizes.clear()
            self._sizes[key] = size
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        message = index.data(MESSAGE_ROLE)
        if not isinstance(message, Message):
            super().paint(painter, option, index)
            return
        bubble, document, caption_height = self._layout(option, message)
        background, foreground = bubble_colours(message.role, option.palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(option.palette.color(QPalette.ColorRole.Highlight) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(bubble).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        if caption_height:
            caption = QColor(foreground)
            caption.setAlpha(170)
            painter.setPen(caption)
            painter.setFont(self._caption_font(option.font))
            painter.drawText(QRect(bubble.left() + PADDING, bubble.top() + PADDING - 2, bubble.width(),
                                   caption_height), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                             self._caption(message))
        painter.translate(bubble.left() + PADDING, bubble.top() + PADDING + caption_height)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, foreground)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: Index) -> bool:
        message = index.data(MESSAGE_ROLE)
        if event is None or not isinstance(message, Message):
            return super().helpEvent(event, view, option, index)
        text = self.tooltip_at(option, message, event.pos())
        if text:
            QToolTip.showText(event.globalPos(), text, view)
            return True
        QToolTip.hideText()
        return True

    def tooltip_at(self, option: QStyleOptionViewItem, message: Message, pos: QPoint) -> str:
        """A slot's name and value when ``pos`` is over it, else the message's own tooltip."""
        bubble, document, caption_height = self._layout(option, message)
        if message.slots:
            local = QPointF(pos.x() - bubble.left() - PADDING, pos.y() - bubble.top() - PADDING - caption_height)
            position = document.documentLayout().hitTest(local, Qt.HitTestAccuracy.ExactHit)
            slot = next((s for s in message.slots if s.start <= position < s.end), None)
            if position >= 0 and slot is not None:
                return f"{describe_slot(slot)}\n{message.tooltip}"
        return message.tooltip

