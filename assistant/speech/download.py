"""Downloading a large file over HTTP with progress, resume after an interruption, and a checksum.

The file grows as ``<name>.part`` next to its destination; a later attempt asks the server for
the rest (an HTTP Range request) and starts over only when the server ignores that. The digest
is checked before the file takes its final name, so a finished name is always a good file.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

from assistant.errors import ModelDownloadError

Progress = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None when the server does not say)."""

BLOCK = 1 << 16
TIMEOUT_S = 30.0


def _offline_message(url: str, exc: BaseException) -> str:
    host = urllib.parse.urlparse(url).hostname or url
    return (f"cannot reach {host} ({exc}). You seem to be offline or the server is blocked; connect and run the "
            "command again (a partial download resumes), or fetch the file on another machine and unpack it "
            "into the models folder (see `assistant models list`)")


def fetch_bytes(url: str, timeout: float = TIMEOUT_S) -> bytes:
    """A small document (e.g. a model list) in one piece."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as exc:
        raise ModelDownloadError(f"{url} answered {exc.code} {exc.reason}") from exc
    except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
        raise ModelDownloadError(_offline_message(url, exc)) from exc


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def download(url: str, destination: Path, checksum: tuple[str, str] | None = None,
             progress: Progress | None = None, timeout: float = TIMEOUT_S) -> Path:
    """Fetch ``url`` into ``destination``, resuming a ``.part`` file; ``checksum`` is (algorithm, hex)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    have = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to send: the part file is already complete
            response = None
        else:
            raise ModelDownloadError(f"{url} answered {exc.code} {exc.reason}") from exc
    except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
        raise ModelDownloadError(_offline_message(url, exc)) from exc
    if response is not None:
        with response:
            resumed = response.status == 206
            if not resumed:
                have = 0  # the server sent the whole file
            length = response.headers.get("Content-Length")
            total = have + int(length) if length is not None else None
            try:
                with partial.open("ab" if resumed else "wb") as handle:
                    done = have
                    if progress is not None:
                        progress(done, total)
                    while block := response.read(BLOCK):
                        handle.write(block)
                        done += len(block)
                        if progress is not None:
                            progress(done, total)
            except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
                raise ModelDownloadError(_offline_message(url, exc) + "; run it again to resume") from exc
            except OSError as exc:
                raise ModelDownloadError(f"cannot write {partial}: {exc}") from exc
            if total is not None and done < total:
                raise ModelDownloadError(f"the download of {url} stopped at {done} of {total} bytes; run the "
                                         "command again to resume")
    if checksum is not None:
        algorithm, expected = checksum
        actual = file_digest(partial, algorithm)
        if actual.lower() != expected.lower():
            partial.unlink()
            raise ModelDownloadError(f"the file from {url} is damaged or not the expected one ({algorithm} "
                                     f"{actual}, expected {expected}); it was deleted, try again")
    os.replace(partial, destination)
    return destination
