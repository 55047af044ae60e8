"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import sys

from assistant.engine import Assistant, Options
from assistant.paths import data_dir


def open_assistant(args: argparse.Namespace, run_scheduler: bool) -> Assistant:
    options = Options(
        data_dir=data_dir(), model_dir=getattr(args, "model", None), threads=getattr(args, "threads", 1),
        threshold=getattr(args, "threshold", None), user_plugins=not getattr(args, "no_user_plugins", False),
        run_scheduler=run_scheduler,
    )
    return Assistant.open(options)


def warn_about(assistant: Assistant) -> None:
    """Say on stderr what the user should know before talking: stale model, broken plugins."""
    message = assistant.model_status().message
    if message:
        print(f"note: {message}", file=sys.stderr)
    for failure in assistant.registry.failures:
        first = str(failure.error).splitlines()[0]
        print(f"note: plugin {failure.source.name!r} was skipped: {first} (see `assistant intents`)", file=sys.stderr)
