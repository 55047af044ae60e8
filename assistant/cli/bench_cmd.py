"""``assistant bench``: the project's measurements (they live in ``benchmarks/``, next to their results)."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

BENCHMARKS = {"nlu": "benchmarks.nlu", "latency": "benchmarks.latency", "accuracy": "benchmarks.accuracy",
              "speech": "benchmarks.speech", "training": "benchmarks.training",
              "init": "benchmarks.student_init", "crf": "benchmarks.crf", "int8": "benchmarks.int8"}
"""Sub-command -> module with ``main(argv)``; each prints a table and writes benchmarks/results/<name>.json."""


def register(commands: Any) -> None:
    parser = commands.add_parser("bench", help="run a benchmark (needs the repository and the train extra)",
                                 description=__doc__)
    parser.add_argument("benchmark", choices=sorted(BENCHMARKS))
    parser.add_argument("options", nargs=argparse.REMAINDER, help="options of the benchmark (see --help of each)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        module = importlib.import_module(BENCHMARKS[args.benchmark])
    except ImportError as exc:
        print(f"error: the benchmarks need the repository checkout and the dev/train extras ({exc})")
        return 2
    result: int = module.main(args.options)
    return result
