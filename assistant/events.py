"""Events the core emits; the UI (or any other front end) subscribes without the core knowing it.

Signals are emitted on whatever thread did the work (a notification comes from the scheduler's
thread); a Qt front end re-emits them through queued signals onto its own thread.
"""

from __future__ import annotations

from psygnal import Signal


class AssistantEvents:
    turn_finished = Signal(object)
    """A request was answered: carries the :class:`assistant.results.Turn`."""
    notification = Signal(object)
    """Something fell due: carries a :class:`assistant.results.Notification`."""
    plugins_reloaded = Signal()
    model_changed = Signal(object)
    """A new model was swapped in: carries its :class:`assistant.nlu.modelcard.ModelCard`."""
