"""``assistant models``: the speech models on this computer; download or remove them (only when asked)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(commands: Any) -> None:
    parser = commands.add_parser("models", help="list, download or remove speech models", description=__doc__)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="installed and downloadable models, and where they live")
    listing.add_argument("--json", action="store_true")
    download = actions.add_parser("download", help="download, verify and unpack a model")
    download.add_argument("name", help="a model name from `assistant models list`, e.g. vosk-small-en")
    remove = actions.add_parser("remove", help="delete a downloaded model")
    remove.add_argument("name")
    parser.set_defaults(run=run, action=None)


def _progress_bar(name: str) -> Any:
    from tqdm import tqdm

    bar: Any = None

    def update(done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, initial=done, unit="B", unit_scale=True, unit_divisor=1024, desc=name)
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    return update


def run(args: argparse.Namespace) -> int:
    from assistant.speech import models

    if args.action == "download":
        entry = models.CATALOG.get(args.name)
        if entry is not None:
            print(f"Downloading {entry.description} (about {entry.approx_mb} MB) from {models.base_url()}")
        path = models.download_model(args.name, _progress_bar(args.name))
        print(f"Installed {args.name} in {path}")
        return 0
    if args.action == "remove":
        print(f"Removed {models.remove_model(args.name)}")
        return 0
    installed = models.installed()
    if getattr(args, "json", False):
        print(json.dumps({
            "folders": [str(d) for d in models.search_dirs()],
            "installed": [{"name": m.name, "engine": m.engine, "path": str(m.path), "size_mb": m.size_mb}
                          for m in installed],
            "downloadable": [{"name": e.name, "engine": e.engine, "approx_mb": e.approx_mb,
                              "description": e.description} for e in models.CATALOG.values()],
        }, indent=2))
        return 0
    print("PocketSphinx (built in): US English model and dictionary from the pocketsphinx package")
    for model in installed:
        print(f"{model.name} ({model.engine}, {model.size_mb} MB): {model.path}")
    names = {m.name for m in installed}
    for entry in models.CATALOG.values():
        if entry.name not in names:
            print(f"{entry.name} (not installed, about {entry.approx_mb} MB): {entry.description}; "
                  f"`assistant models download {entry.name}`")
    print("Model folders: " + ", ".join(str(d) for d in models.search_dirs()))
    return 0
