"""Speech models on disk: finding them, downloading the official ones on request, listing, removing.

Models live in ``<user data>/models/`` plus any folders in ``ASSISTANT_SPEECH_MODELS`` (separated
by the path separator), each model in its own folder. Nothing is downloaded unless the user asks
(``assistant models download vosk-small-en``). The checksum comes from the publisher's model list
(alphacephei.com's ``model-list.json``, which gives each archive's MD5 and size); the archive is
unpacked next to its final place and moved there with one rename, so a model folder is complete
or absent, never half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelDownloadError, SpeechError
from assistant.paths import data_dir
from assistant.speech.download import Progress, download, fetch_bytes

VOSK_BASE_URL = "https://alphacephei.com/vosk/models/"
BASE_URL_ENV = "ASSISTANT_VOSK_MODELS_URL"
"""Overrides where models and the model list are fetched from (a mirror, or a test server)."""
EXTRA_DIRS_ENV = "ASSISTANT_SPEECH_MODELS"


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    engine: str
    folder: str
    """Folder name inside the archive, and the publisher's name of the model."""
    approx_mb: int
    description: str

    @property
    def archive(self) -> str:
        return self.folder + ".zip"


CATALOG = {
    "vosk-small-en": CatalogEntry("vosk-small-en", "vosk", "vosk-model-small-en-us-0.15", 40,
                                  "Vosk small US English (Kaldi, supports run-time grammars)"),
}


@dataclass(frozen=True)
class InstalledModel:
    name: str
    engine: str
    path: Path
    size_mb: float
    removable: bool
    """False for models in a configured folder: they belong to whoever put them there."""


def models_dir() -> Path:
    return data_dir() / "models"


def search_dirs() -> list[Path]:
    extra = [Path(p).expanduser() for p in os.environ.get(EXTRA_DIRS_ENV, "").split(os.pathsep) if p]
    return [models_dir(), *extra]


def base_url() -> str:
    url = os.environ.get(BASE_URL_ENV) or VOSK_BASE_URL
    return url if url.endswith("/") else url + "/"


def engine_of(folder: Path) -> str | None:
    """Which engine a model folder is for, judged by its files."""
    if (folder / "am" / "final.mdl").is_file() or (folder / "conf" / "model.conf").is_file():
        return "vosk"
    return None


def _size_mb(folder: Path) -> float:
    return round(sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6, 1)


def installed() -> list[InstalledModel]:
    found = []
    for index, directory in enumerate(search_dirs()):
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            engine = engine_of(folder) if folder.is_dir() and not folder.name.startswith(".") else None
            if engine is not None:
                name = next((e.name for e in CATALOG.values() if e.folder == folder.name), folder.name)
                found.append(InstalledModel(name, engine, folder, _size_mb(folder), removable=index == 0))
    return found


def find_model(engine: str) -> Path | None:
    """The model ``engine`` should use: a catalog model first, else any model for it."""
    models = [m for m in installed() if m.engine == engine]
    preferred = [m for m in models if m.name in CATALOG]
    chosen = (preferred or models)[:1]
    return chosen[0].path if chosen else None


def official_checksum(entry: CatalogEntry) -> tuple[str, str]:
    """(algorithm, digest) of the archive from the publisher's model list."""
    url = base_url() + "model-list.json"
    try:
        listing = json.loads(fetch_bytes(url))
    except json.JSONDecodeError as exc:
        raise ModelDownloadError(f"the model list at {url} is not valid JSON: {exc}") from exc
    for item in listing if isinstance(listing, list) else []:
        if isinstance(item, dict) and item.get("name") == entry.folder and item.get("md5"):
            return "md5", str(item["md5"])
    raise ModelDownloadError(f"{entry.folder} is not in the model list at {url}, so its checksum is unknown")


def _unpack(archive: Path, entry: CatalogEntry, target: Path) -> None:
    """Unzip into a temporary folder beside ``target``, check it, and rename it into place."""
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
    try:
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.namelist():
                resolved = (staging / member).resolve()
                if not resolved.is_relative_to(staging.resolve()):
                    raise ModelDownloadError(f"{archive.name} contains an unsafe path: {member}")
            bundle.extractall(staging)
        unpacked = staging / entry.folder
        if not unpacked.is_dir() or engine_of(unpacked) != entry.engine:
            raise ModelDownloadError(f"{archive.name} does not contain a {entry.engine} model folder "
                                     f"{entry.folder}/")
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)
    except zipfile.BadZipFile as exc:
        raise ModelDownloadError(f"{archive.name} is not a valid zip archive: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def download_model(name: str, progress: Progress | None = None) -> Path:
    """Download, verify and unpack catalog model ``name``; returns its folder."""
    entry = CATALOG.get(name)
    if entry is None:
        raise SpeechError(f"unknown model {name!r}; available: {', '.join(CATALOG)}")
    directory = models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    checksum = official_checksum(entry)
    archive = download(base_url() + entry.archive, directory / entry.archive, checksum, progress)
    target = directory / entry.folder
    try:
        _unpack(archive, entry, target)
    finally:
        archive.unlink(missing_ok=True)
    return target


def remove_model(name: str) -> Path:
    for model in installed():
        if name in (model.name, model.path.name):
            if not model.removable:
                raise SpeechError(f"{model.path} is in a folder you configured ({EXTRA_DIRS_ENV}); remove it there")
            shutil.rmtree(model.path)
            return model.path
    raise SpeechError(f"no installed model named {name!r} (see `assistant models list`)")
