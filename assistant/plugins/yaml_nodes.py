"""Strict reading of YAML node trees, keeping line numbers for every error.

PyYAML's ``compose`` gives nodes with source marks; reading them here (instead of ``safe_load``)
lets us report duplicate keys, unknown keys and wrong types with the exact line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import yaml

from assistant.errors import PluginError, SourceLocation

try:  # the C loader is much faster when it is available
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def compose(path: Path) -> yaml.Node:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PluginError(f"not UTF-8 text: {exc}", SourceLocation(path)) from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PluginError(f"invalid YAML: {exc.problem}", SourceLocation(path, line)) from exc
    if node is None:
        raise PluginError("the file is empty", SourceLocation(path, 1))
    return node


class NodeReader:
    """Reads typed values out of nodes; errors go to ``problems`` so one pass reports them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[PluginError] = []

    def where(self, node: yaml.Node | None, intent: str | None = None) -> SourceLocation:
        return SourceLocation(self.path, node.start_mark.line + 1 if node is not None else None, intent)

    def problem(self, message: str, node: yaml.Node | None, intent: str | None = None) -> None:
        self.problems.append(PluginError(message, self.where(node, intent)))

    def mapping(self, node: yaml.Node, what: str, allowed: tuple[str, ...], intent: str | None = None,
                open_keys: bool = False) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """A mapping's entries by key, reporting duplicates and (unless ``open_keys``) unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.problem(f"{what} must be a mapping of keys to values", node, intent)
            return {}
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(f"keys of {what} must be plain words", key_node, intent)
                continue
            key = str(key_node.value)
            if key in entries:
                self.problem(f"{key!r} appears twice in {what}", key_node, intent)
                continue
            if not open_keys and key not in allowed:
                hint = difflib.get_close_matches(key, allowed, n=1)
                suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (allowed: {', '.join(allowed)})"
                self.problem(f"unknown key {key!r} in {what}{suggestion}", key_node, intent)
                continue
            entries[key] = (key_node, value_node)
        return entries

    def string(self, node: yaml.Node, what: str, intent: str | None = None,
               allow_empty: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.problem(f"{what} must be text", node, intent)
            return None
        value = str(node.value)
        if not allow_empty and not value.strip():
            self.problem(f"{what} is empty", node, intent)
            return None
        return value

    def boolean(self, node: yaml.Node, what: str, intent: str | None = None) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return str(node.value).lower() in {"true", "yes", "on"}
        self.problem(f"{what} must be true or false", node, intent)
        return False

    def sequence(self, node: yaml.Node, what: str, intent: str | None = None) -> Iterator[yaml.Node]:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return
        if not isinstance(node, yaml.SequenceNode):
            self.problem(f"{what} must be a list", node, intent)
            return
        yield from node.value

    def strings(self, node: yaml.Node, what: str, intent: str | None = None) -> list[tuple[str, int]]:
        """A list of non-empty strings with their 1-based lines."""
        out = []
        for item in self.sequence(node, what, intent):
            value = self.string(item, f"an entry of {what}", intent)
            if value is not None:
                out.append((value, item.start_mark.line + 1))
        return out
