"""The speech model manager against a local HTTP server: progress, resume, checksum, offline, list, remove."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.errors import ModelDownloadError, SpeechError
from assistant.speech import models

FOLDER = models.CATALOG["vosk-small-en"].folder


def fake_model_zip() -> bytes:
    """A zip laid out like a Vosk model (the files the manager checks, not a working model)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(f"{FOLDER}/am/final.mdl", b"\0" * 200_000)
        bundle.writestr(f"{FOLDER}/conf/model.conf", "--sample-frequency=16000\n")
        bundle.writestr(f"{FOLDER}/graph/HCLr.fst", b"fst")
        bundle.writestr(f"{FOLDER}/graph/Gr.fst", b"fst")
    return buffer.getvalue()


class Server:
    """Serves a model zip and a model list; can ignore Range or cut the connection short."""

    def __init__(self, archive: bytes, md5: str | None = None) -> None:
        self.archive = archive
        self.md5 = md5 or hashlib.md5(archive).hexdigest()
        self.honour_range = True
        self.cut_after: int | None = None
        self.ranges: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.endswith("model-list.json"):
                    body = json.dumps([{"name": FOLDER, "md5": server.md5, "size": len(server.archive)},
                                       {"name": "vosk-model-other", "md5": "0" * 32}]).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if not self.path.endswith(f"{FOLDER}.zip"):
                    self.send_error(404)
                    return
                requested = self.headers.get("Range")
                server.ranges.append(requested)
                start = 0
                if requested and server.honour_range:
                    start = int(requested.split("=")[1].split("-")[0])
                body = server.archive[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_after is not None:
                    self.wfile.write(body[: server.cut_after])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/vosk/models/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(home, monkeypatch):
    served = Server(fake_model_zip())
    monkeypatch.setenv(models.BASE_URL_ENV, served.url)
    monkeypatch.delenv(models.EXTRA_DIRS_ENV, raising=False)
    yield served
    served.close()


def test_download_reports_progress_and_installs_atomically(server, home):
    seen: list[tuple[int, int | None]] = []
    path = models.download_model("vosk-small-en", lambda done, total: seen.append((done, total)))
    assert path == home / "models" / FOLDER and (path / "am" / "final.mdl").is_file()
    assert seen[0][0] == 0 and seen[-1] == (len(server.archive), len(server.archive))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert not list((home / "models").glob("*.zip*")) and not list((home / "models").glob(".unpack-*"))
    assert models.find_model("vosk") == path
    [installed] = models.installed()
    assert (installed.name, installed.engine, installed.removable) == ("vosk-small-en", "vosk", True)


def test_an_interrupted_download_resumes_where_it_stopped(server, home):
    server.cut_after = 50_000
    with pytest.raises(ModelDownloadError, match="resume"):
        models.download_model("vosk-small-en")
    part = home / "models" / f"{FOLDER}.zip.part"
    assert part.stat().st_size == 50_000
    server.cut_after = None
    models.download_model("vosk-small-en")
    assert server.ranges[-1] == "bytes=50000-"
    assert models.find_model("vosk") is not None


def test_a_server_that_ignores_range_restarts_the_file(server, home):
    part = home / "models" / f"{FOLDER}.zip.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"garbage that is not the start of the archive")
    server.honour_range = False
    models.download_model("vosk-small-en")
    assert (home / "models" / FOLDER).is_dir()


def _download_is_refused(served, monkeypatch, match: str) -> None:
    """Downloading from ``served`` raises a ModelDownloadError matching ``match``; the server is closed after."""
    monkeypatch.setenv(models.BASE_URL_ENV, served.url)
    try:
        with pytest.raises(ModelDownloadError, match=match):
            models.download_model("vosk-small-en")
    finally:
        served.close()


def test_a_bad_checksum_deletes_the_file_and_installs_nothing(home, monkeypatch):
    _download_is_refused(Server(fake_model_zip(), md5="0" * 32), monkeypatch, "damaged")
    assert not (home / "models" / FOLDER).exists()
    assert not list((home / "models").glob("*.part"))


def test_offline_gives_a_clear_message(home, monkeypatch):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(models.BASE_URL_ENV, f"http://127.0.0.1:{port}/")
    with pytest.raises(ModelDownloadError, match="offline"):
        models.download_model("vosk-small-en")


def test_an_archive_without_a_model_is_refused(home, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr(f"{FOLDER}/readme.txt", "not a model")
    _download_is_refused(Server(buffer.getvalue()), monkeypatch, "does not contain")
    assert not (home / "models" / FOLDER).exists()


def test_list_and_remove_and_configured_folders(server, home, tmp_path, monkeypatch):
    models.download_model("vosk-small-en")
    elsewhere = tmp_path / "shared-models" / "vosk-model-en-us-0.22"
    (elsewhere / "am").mkdir(parents=True)
    (elsewhere / "am" / "final.mdl").write_bytes(b"x")
    monkeypatch.setenv(models.EXTRA_DIRS_ENV, str(elsewhere.parent))
    names = {m.name: m for m in models.installed()}
    assert set(names) == {"vosk-small-en", "vosk-model-en-us-0.22"}
    assert models.find_model("vosk") == home / "models" / FOLDER  # the catalog model first
    with pytest.raises(SpeechError, match="configured"):
        models.remove_model("vosk-model-en-us-0.22")
    assert models.remove_model("vosk-small-en") == home / "models" / FOLDER
    assert not (home / "models" / FOLDER).exists()
    with pytest.raises(SpeechError, match="no installed model"):
        models.remove_model("vosk-small-en")


def test_unknown_model_names_are_refused(home):
    with pytest.raises(SpeechError, match="unknown model"):
        models.download_model("whisper-large")


def test_the_vosk_engine_says_how_to_get_a_model(home, monkeypatch):
    from assistant.speech.engines import unavailable_reason

    monkeypatch.delenv(models.EXTRA_DIRS_ENV, raising=False)
    assert "assistant models download vosk-small-en" in (unavailable_reason("vosk") or "")
    assert unavailable_reason("pocketsphinx") is None


def test_models_command(server, home):
    from tests.test_cli import run

    listed = json.loads(run(home, "models", "list", "--json").stdout)
    assert listed["installed"] == [] and listed["downloadable"][0]["name"] == "vosk-small-en"
    result = run(home, "models", "download", "vosk-small-en")  # the fixture points the manager at the server
    assert result.returncode == 0, result.stderr
    assert "Installed vosk-small-en" in result.stdout
    assert Path(json.loads(run(home, "models", "list", "--json").stdout)["installed"][0]["path"]).is_dir()
    assert run(home, "models", "remove", "vosk-small-en").returncode == 0
