"""``assistant listen``: hear requests from the microphone and answer them, as ``assistant ask`` does."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

from assistant.cli.ask import describe_understanding
from assistant.cli.common import open_assistant, warn_about
from assistant.engine import Assistant
from assistant.errors import SpeechError
from assistant.results import Turn
from assistant.serialize import turn_json
from assistant.speech.endpointing import EndpointConfig
from assistant.speech.engines import DEFAULT_ENGINE, ENGINES
from assistant.speech.pipeline import ListenSettings, Mode, Utterance


def add_voice_options(parser: argparse.ArgumentParser) -> None:
    """Options ``listen`` and ``transcribe`` share."""
    parser.add_argument("--json", action="store_true", help="print one JSON object per request")
    parser.add_argument("--dry-run", action="store_true",
                        help="understand without acting: no handler runs, nothing is stored")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help=f"speech engine (default {DEFAULT_ENGINE}; vosk needs a downloaded model)")
    parser.add_argument("--no-grammar", action="store_true",
                        help="decode with the open vocabulary only, not the plugins' command grammar")
    parser.add_argument("--open-fallback", choices=("auto", "on", "off"), default="auto",
                        help="also decode open-vocabulary for requests outside the grammar (auto: when some "
                             "intent has a free-text slot)")


def register(commands: Any) -> None:
    from assistant.cli.main import add_engine_options

    parser = commands.add_parser("listen", help="answer spoken requests from the microphone", description=__doc__)
    add_voice_options(parser)
    parser.add_argument("--once", action="store_true", help="answer one request, then exit")
    parser.add_argument("--device", help="input device number or (part of its) name (default: the system's)")
    parser.add_argument("--list-devices", action="store_true", help="list input devices and exit")
    parser.add_argument("--push-to-talk", action="store_true",
                        help="an utterance lasts while Enter is held down… i.e. from one Enter to the next")
    parser.add_argument("--wake", metavar="PHRASE", help="hands-free: only answer requests that start with PHRASE")
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="with --once: give up after this many seconds without a request (default 20)")
    parser.add_argument("--end-silence-ms", type=int, default=EndpointConfig.end_silence_ms,
                        help=f"silence that ends a request (default {EndpointConfig.end_silence_ms} ms)")
    add_engine_options(parser)
    parser.set_defaults(run=run)


def settings_from(args: argparse.Namespace) -> ListenSettings:
    fallback = {"auto": None, "on": True, "off": False}[getattr(args, "open_fallback", "auto")]
    return ListenSettings(
        engine=args.engine, mode=Mode.PUSH_TO_TALK if getattr(args, "push_to_talk", False) else Mode.HANDS_FREE,
        device=getattr(args, "device", None), wake_phrase=getattr(args, "wake", None),
        endpoint=EndpointConfig(end_silence_ms=getattr(args, "end_silence_ms", EndpointConfig.end_silence_ms)),
        use_grammar=not args.no_grammar, open_fallback=fallback,
    )


def voice_json(utterance: Utterance) -> dict[str, Any]:
    decision = utterance.decision
    return {"text": utterance.transcript.text, "engine": utterance.transcript.engine,
            "audio_s": utterance.transcript.audio_s, "decoded_with": decision.source, "why": decision.reason,
            "grammar_text": decision.grammar_text, "open_text": decision.open_text,
            "overflows": utterance.overflows, "dropped_blocks": utterance.dropped}


def answer(assistant: Assistant, utterance: Utterance, args: argparse.Namespace) -> Turn:
    """Answer a heard request and print it the way ``assistant ask`` does, plus the transcript."""
    turn = assistant.handle(utterance.transcript.text, dry_run=args.dry_run, stages=utterance.stages,
                            started_ns=utterance.speech_end_ns, transcript=utterance.transcript)
    data = turn_json(turn)
    if args.json:
        print(json.dumps({**data, "transcript": voice_json(utterance)}, ensure_ascii=False), flush=True)
        return turn
    timings = turn.timings_ms()
    if sys.stderr.isatty():  # clear the partial transcript's line
        print("\r\033[K", end="", file=sys.stderr)
    print(f"heard: “{utterance.transcript.text}” ({utterance.transcript.engine}, "
          f"{utterance.transcript.audio_s:.1f} s of audio; recognition {timings.get('recognition', 0):.0f} ms, "
          f"end of speech to reply {timings.get('total', 0):.0f} ms)", file=sys.stderr)
    if turn.reply is not None:
        print(turn.reply, flush=True)
    if args.dry_run:
        print(f"[dry run] {describe_understanding(data)}")
    for note in turn.notes:
        print(f"note: {note}", file=sys.stderr)
    return turn


def _list_devices() -> int:
    from assistant.speech.capture import input_devices

    for device in input_devices():
        print(f"{device.index}: {device.name}{'  (default)' if device.is_default else ''}")
    return 0


def run(args: argparse.Namespace) -> int:
    from assistant.speech.factory import open_session

    if args.list_devices:
        return _list_devices()
    assistant = open_assistant(args, run_scheduler=not args.once)
    settings = settings_from(args)
    session = open_session(settings, assistant.registry.specs())
    try:
        if session.unavailable_reason:
            raise SpeechError(session.unavailable_reason)
        if not args.json:
            warn_about(assistant)
            for note in session.notes:
                print(f"note: {note}", file=sys.stderr)
        return _converse(assistant, session, args)
    finally:
        session.close()
        assistant.close()


def _converse(assistant: Assistant, session: Any, args: argparse.Namespace) -> int:
    heard: list[Utterance] = []
    ready = threading.Event()
    failures: list[str] = []

    push = settings_from(args).mode is Mode.PUSH_TO_TALK

    def on_utterance(utterance: Utterance) -> None:
        if not push and not utterance.transcript.text.strip():
            return  # noise the endpointer took for speech, or a cough: keep listening
        heard.append(utterance)
        ready.set()

    def on_failure(message: str) -> None:
        failures.append(message)
        ready.set()

    session.events.utterance.connect(on_utterance)
    session.events.failed.connect(on_failure)
    if not args.json and sys.stderr.isatty():  # partials redraw one line: only on a terminal
        session.events.partial.connect(
            lambda text: text and print(f"\r… {text}\033[K", end="", file=sys.stderr, flush=True))
    while True:
        ready.clear()
        if push:
            input("Press Enter and speak; press Enter again when done. ")
            session.start()
            input()
            session.stop()
        else:
            if not args.json:
                print("Listening… (Ctrl+C to stop)" if not args.once else "Listening…", file=sys.stderr)
            session.start()
        if not ready.wait(args.timeout if args.once else None):
            print("error: I heard no request (check the microphone, or raise --timeout)", file=sys.stderr)
            return 1
        if failures:
            raise SpeechError(failures[-1])
        while heard:
            answer(assistant, heard.pop(0), args)
            if args.once:
                return 0
