"""An on-device chat and voice assistant: plugins, SqueezeBERT understanding, dialogue and stats.

This package is the core. It never imports Qt, the UI or the built-in plugins; the UI talks to
it through :class:`assistant.engine.Assistant` and its events.
"""

__version__ = "0.1.0"
