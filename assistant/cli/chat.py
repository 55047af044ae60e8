"""``assistant chat``: a conversation in the terminal; due timers are announced as they fire."""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from datetime import datetime
from typing import Any, TextIO

from assistant.cli.common import open_assistant, warn_about
from assistant.results import Notification, TurnKind

QUIT_WORDS = {"quit", "exit", ":q", "/quit", "/exit"}
PROMPT = "> "


def register(commands: Any) -> None:
    from assistant.cli.main import add_engine_options

    parser = commands.add_parser("chat", help="talk to the assistant in the terminal", description=__doc__)
    add_engine_options(parser)
    parser.set_defaults(run=run)


class Console:
    """Prints replies and, from other threads, notifications without garbling the prompt."""

    def __init__(self, out: TextIO, interactive: bool) -> None:
        self.out = out
        self.interactive = interactive
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()

    def announce(self, notification: Notification) -> None:
        when = datetime.fromtimestamp(notification.when).strftime("%H:%M") if notification.when else ""
        late = f" (due at {when}, while I was not running)" if notification.late else ""
        line = f"🔔 {notification.title}: {notification.body}{late}"
        with self._lock:
            if self.interactive:
                self.out.write("\r" + line + "\n" + PROMPT + _typed_so_far())
            else:
                self.out.write(line + "\n")
            self.out.flush()


def _typed_so_far() -> str:
    try:
        import readline

        return readline.get_line_buffer()
    except ImportError:  # pragma: no cover - platforms without readline
        return ""


def run(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty() and stdout.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 - enables line editing and history for input()
    assistant = open_assistant(args, run_scheduler=True)
    threading.Thread(target=assistant.warm_up, name="warm-up", daemon=True).start()
    console = Console(stdout, interactive)
    assistant.events.notification.connect(console.announce)
    warn_about(assistant)
    plugins = len([p for p in assistant.registry.plugins if assistant.registry.enabled(p.name)])
    console.say(f"Hi! I'm ready ({plugins} plugins). Ask me something, like “set a timer for 5 minutes”. "
                "Say “what can you do” for help, “quit” to leave.")
    try:
        while True:
            try:
                line = input(PROMPT) if interactive else stdin.readline()
            except EOFError:
                break
            if not interactive and line == "":
                break
            line = line.strip("\n")
            if line.strip().lower() in QUIT_WORDS:
                break
            if not line.strip():
                continue
            turn = assistant.handle(line)
            if turn.reply:
                console.say(turn.reply)
            for note in turn.notes:
                console.say(f"({note})")
            said_goodbye = turn.parse is not None and turn.parse.intent.name == "chat.goodbye"
            if turn.kind is TurnKind.ANSWER and said_goodbye:
                break
    except KeyboardInterrupt:
        console.say("")
    finally:
        waiting = len(assistant.scheduler.pending())
        if waiting:
            things = "timer or reminder" if waiting == 1 else "timers or reminders"
            console.say(f"(You have {waiting} {things} set. I'll tell you about any that go off while I'm closed "
                        "the next time you start me.)")
        assistant.close()
    return 0
