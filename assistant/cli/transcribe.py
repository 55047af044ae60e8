"""``assistant transcribe FILE``: hear a request from an audio file and answer it, as ``assistant listen`` does.

The whole file is one request (as if push-to-talk were held for its length); it goes through the
same recogniser, in the same 30 ms blocks, as microphone audio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from assistant.cli.common import open_assistant, warn_about
from assistant.cli.listen import add_voice_options, answer, settings_from
from assistant.results import Stage, StageTiming
from assistant.speech.audio import read_audio
from assistant.speech.decode import recognise
from assistant.speech.pipeline import Utterance


def register(commands: Any) -> None:
    from assistant.cli.main import add_engine_options

    parser = commands.add_parser("transcribe", help="answer a spoken request from an audio file",
                                 description=__doc__)
    parser.add_argument("file", type=Path, help="audio file (WAV, FLAC, OGG …; any rate, mixed down to mono)")
    add_voice_options(parser)
    add_engine_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from assistant.speech.factory import recognizer_factory

    samples = read_audio(args.file)
    assistant = open_assistant(args, run_scheduler=False)
    try:
        recognizer = recognizer_factory(settings_from(args), assistant.registry.specs())()
        if not args.json:
            warn_about(assistant)
            for note in recognizer.notes:
                print(f"note: {note}", file=sys.stderr)
        result = recognise(recognizer, samples)
        end_of_audio = time.perf_counter_ns() - result.final_ns
        utterance = Utterance(result.transcript, result.decision, end_of_audio,
                              (StageTiming(Stage.RECOGNITION, result.final_ns),))
        answer(assistant, utterance, args)
        recognizer.close()
    finally:
        assistant.close()
    return 0
