"""Authoring: a scaffolded plugin validates, loads, is listed, and a broken one is explained."""

from __future__ import annotations

from assistant.cli.main import main
from assistant.plugins.registry import PluginRegistry


def test_new_plugin_checks_out_and_loads(home, capsys):
    assert main(["plugin", "new", "greeter"]) == 0
    folder = home / "plugins" / "greeter"
    assert (folder / "intents.yaml").is_file() and (folder / "handlers.py").is_file()
    capsys.readouterr()
    assert main(["plugin", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "greeter.hello: 3 examples, 1 templates" in out and out.rstrip().endswith("OK")
    registry = PluginRegistry.discover(home / "plugins")
    entry = registry.intent("greeter.hello")
    assert entry is not None and entry.handler is not None and not registry.failures


def test_new_plugin_refuses_bad_names_and_overwrites(home):
    assert main(["plugin", "new", "Bad-Name"]) == 2
    assert main(["plugin", "new", "ok"]) == 0
    assert main(["plugin", "new", "ok"]) == 2


def test_check_reports_file_line_and_intent(home, capsys):
    main(["plugin", "new", "broken"])
    manifest = home / "plugins" / "broken" / "intents.yaml"
    manifest.write_text(manifest.read_text().replace("who:\n        type: text", "who:\n        type: txet"))
    capsys.readouterr()
    assert main(["plugin", "check", str(manifest)]) == 1
    out = capsys.readouterr().out
    assert "intents.yaml:9 (intent broken.hello): slot 'who' has unknown type 'txet'" in out
