"""The PySide6 desktop front end. It talks to the core only through ``assistant.engine`` and its events."""

from ui.qt_workarounds import protect_singletons

protect_singletons()  # before any widget exists: PySide6's reference leaks would abort a long session (see there)
