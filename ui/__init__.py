"""The PySide6 desktop front end. It talks to the core only through ``assistant.engine`` and its events."""
