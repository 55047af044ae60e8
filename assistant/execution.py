"""Running a plugin's handler so that a crash or a hang never takes the assistant down.

Each call runs in a daemon thread: when it passes its time limit the user gets an apology at
once, and the stuck thread cannot keep the process alive at exit.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from assistant.plugin_api import Context, Reply
from assistant.plugins.loader import BoundHandler

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong while doing that. The details are in the log."
TIMEOUT_APOLOGY = "Sorry, that took too long, so I stopped waiting. The details are in the log."


@dataclass(frozen=True)
class Outcome:
    reply: str
    ok: bool


def run_handler(bound: BoundHandler, context: Context, slots: dict[str, Any]) -> Outcome:
    result: dict[str, Any] = {}
    done = threading.Event()

    def call() -> None:
        try:
            result["value"] = bound.function(context, **slots)
        except BaseException as exc:  # report everything a plugin throws, even SystemExit
            result["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=call, name=f"handler {bound.info.intent}", daemon=True)
    worker.start()
    if not done.wait(bound.info.timeout_s):
        log.error("handler for %s (%s) still running after %.1f s; gave up waiting",
                  bound.info.intent, bound.location, bound.info.timeout_s)
        return Outcome(TIMEOUT_APOLOGY, ok=False)
    if "error" in result:
        error = result["error"]
        log.error("handler for %s (%s) raised", bound.info.intent, bound.location,
                  exc_info=(type(error), error, error.__traceback__))
        return Outcome(APOLOGY, ok=False)
    value = result.get("value")
    if isinstance(value, Reply):
        return Outcome(value.text, ok=True)
    if isinstance(value, str):
        return Outcome(value, ok=True)
    log.error("handler for %s (%s) returned %r instead of a str or Reply", bound.info.intent, bound.location,
              type(value).__name__)
    return Outcome(APOLOGY, ok=False)
