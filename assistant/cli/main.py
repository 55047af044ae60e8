"""``assistant``: the GUI when there is a display, the terminal chat otherwise, and sub-commands."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from importlib import metadata
from pathlib import Path

from assistant import __version__
from assistant.errors import AssistantError

FRONTEND_GROUP = "assistant.frontends"


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", type=Path, help="model directory (default: the best match for the plugins)")
    parser.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads (default 1)")
    parser.add_argument("--threshold", type=float, help="out-of-scope threshold (default: the model card's)")
    parser.add_argument("--no-user-plugins", action="store_true", help="ignore the user plugin folder")


def build_parser() -> argparse.ArgumentParser:
    from assistant.cli import (
        ask,
        bench_cmd,
        chat,
        eval_cmd,
        intents_cmd,
        listen,
        models_cmd,
        plugin_cmd,
        stats_cmd,
        train_cmd,
        transcribe,
    )

    parser = argparse.ArgumentParser(prog="assistant", description="An on-device chat and voice assistant.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (ask, chat, intents_cmd, train_cmd, eval_cmd, stats_cmd, bench_cmd, plugin_cmd, listen, transcribe,
                   models_cmd):
        module.register(commands)
    gui = commands.add_parser("gui", help="open the desktop window")
    add_engine_options(gui)
    gui.set_defaults(run=run_gui)
    return parser


def has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in ("win32", "darwin")


def run_gui(args: argparse.Namespace) -> int:
    """Start the front end registered in the ``assistant.frontends`` group (the core never imports Qt)."""
    frontends = {ep.name: ep for ep in metadata.entry_points(group=FRONTEND_GROUP)}
    if "gui" not in frontends:
        raise AssistantError("no desktop front end is installed (entry point 'gui' in assistant.frontends)")
    start = frontends["gui"].load()
    result: int = start(args)
    return result


def main(argv: list[str] | None = None) -> int:
    from assistant.logs import setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    args.command_line = "assistant " + shlex.join(sys.argv[1:] if argv is None else argv)
    setup_logging(verbose=args.verbose)
    if args.command is None:
        from assistant.cli import chat

        defaults = parser.parse_args(["gui" if has_display() else "chat", *(argv or [])])
        defaults.verbose = args.verbose
        if has_display():
            try:
                return run_gui(defaults)
            except (AssistantError, ImportError) as exc:
                print(f"The desktop window is not available ({exc}); starting the terminal chat.", file=sys.stderr)
                defaults = parser.parse_args(["chat"])
        return chat.run(defaults)
    try:
        result: int = args.run(args)
        return result
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
