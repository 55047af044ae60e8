"""Loading one plugin: read its manifest strictly, import its handler code, bind handlers."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import inspect
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from assistant.errors import PluginError, SourceLocation
from assistant.plugin_api import HANDLER_ATTRIBUTE, HandlerInfo
from assistant.plugins.discovery import PluginSource
from assistant.plugins.manifest import MANIFEST_NAME, read_manifest
from assistant.plugins.spec import IntentSpec, PluginSpec

USER_MODULE_PREFIX = "assistant_user_plugins"


@dataclass(frozen=True)
class BoundHandler:
    function: Callable[..., Any]
    info: HandlerInfo
    location: SourceLocation


@dataclass(frozen=True)
class LoadedPlugin:
    spec: PluginSpec
    source: PluginSource
    handlers: dict[str, BoundHandler] = field(default_factory=dict)
    modules: tuple[str, ...] = ()
    """Modules imported for this plugin (dropped from ``sys.modules`` on reload)."""

    @property
    def name(self) -> str:
        return self.spec.name


def load_plugin(source: PluginSource, *, fresh: bool = False) -> LoadedPlugin:
    """Load a plugin; ``fresh`` re-imports its code (hot reload). Raises :class:`PluginError`."""
    folder, modules = _locate(source, fresh)
    manifest = folder / MANIFEST_NAME
    if not manifest.is_file():
        raise PluginError(f"no {MANIFEST_NAME} next to the plugin's code", SourceLocation(folder))
    spec = read_manifest(manifest, default_name=source.name)
    handlers = _bind_handlers(spec, modules)
    return LoadedPlugin(spec=spec, source=source, handlers=handlers, modules=tuple(m.__name__ for m in modules))


class _SourceOnlyLoader(importlib.machinery.SourceFileLoader):
    """Always compiles from source and writes no bytecode.

    Python trusts a cached ``.pyc`` whose recorded source size and whole-second mtime match, so
    an edit of the same length saved within a second would hot-reload stale code.
    """

    def path_stats(self, path: str) -> dict[str, Any]:
        raise OSError("plugins reload from source")


def _locate(source: PluginSource, fresh: bool) -> tuple[Path, list[ModuleType]]:
    if source.module is not None:
        if fresh:
            _forget(source.module)
            found = importlib.util.find_spec(source.module)
            if found is None or found.origin is None:
                raise PluginError(f"module {source.module!r} is no longer installed", SourceLocation(source.module))
            package = _import_file(source.module, Path(found.origin), Path(found.origin).parent
                                   if found.submodule_search_locations is not None else None)
        else:
            package = _import(source.module, None)
        if package.__file__ is None:
            raise PluginError(f"module {source.module!r} has no file", SourceLocation(source.module))
        folder = Path(package.__file__).parent
        modules = [package]
        if (folder / "handlers.py").is_file() and getattr(package, "__path__", None) is not None:
            name = f"{source.module}.handlers"
            modules.append(sys.modules.get(name) or (_import_file(name, folder / "handlers.py", None) if fresh
                                                     else _import(name, folder / "handlers.py")))
        return folder, modules
    assert source.folder is not None
    folder = source.folder
    package_name = f"{USER_MODULE_PREFIX}.{folder.name.replace('-', '_')}"
    _forget(package_name)
    _ensure_namespace(USER_MODULE_PREFIX)
    modules = []
    init = folder / "__init__.py"
    if init.is_file() or (folder / "handlers.py").is_file():
        modules.append(_import_file(package_name, init if init.is_file() else None, folder))
    if (folder / "handlers.py").is_file():
        name = f"{package_name}.handlers"  # the package's __init__ may have imported it already
        modules.append(sys.modules.get(name) or _import_file(name, folder / "handlers.py", None))
    return folder, modules


def _forget(module_name: str) -> None:
    for name in [m for m in sys.modules if m == module_name or m.startswith(module_name + ".")]:
        del sys.modules[name]


def _ensure_namespace(name: str) -> None:
    if name not in sys.modules:
        namespace = ModuleType(name)
        namespace.__path__ = []
        sys.modules[name] = namespace


def _import(module_name: str, file: Path | None) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as exc:
        raise _import_error(exc, module_name, file) from exc


def _import_file(module_name: str, file: Path | None, package_folder: Path | None) -> ModuleType:
    if file is None:  # a package folder without __init__.py: an empty package module
        module = ModuleType(module_name)
        module.__path__ = [str(package_folder)]
        module.__file__ = None
        sys.modules[module_name] = module
        return module
    spec = importlib.util.spec_from_file_location(
        module_name, file, loader=_SourceOnlyLoader(module_name, str(file)),
        submodule_search_locations=[str(package_folder)] if package_folder else None)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot import {file}", SourceLocation(file))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[module_name]
        raise _import_error(exc, module_name, file) from exc
    return module


def _import_error(exc: BaseException, module_name: str, file: Path | None) -> PluginError:
    if isinstance(exc, SyntaxError):
        return PluginError(f"syntax error: {exc.msg}", SourceLocation(exc.filename or str(file), exc.lineno))
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<frozen")]
    own = [f for f in frames if file is not None and Path(f.filename) == file] or frames[-1:]
    location = SourceLocation(own[-1].filename, own[-1].lineno) if own else SourceLocation(str(file or module_name))
    return PluginError(f"importing {module_name} failed: {type(exc).__name__}: {exc}", location)


def _bind_handlers(spec: PluginSpec, modules: list[ModuleType]) -> dict[str, BoundHandler]:
    handlers: dict[str, BoundHandler] = {}
    problems: list[PluginError] = []
    seen: set[int] = set()
    for module in modules:
        for _, function in inspect.getmembers(module, callable):
            info = getattr(function, HANDLER_ATTRIBUTE, None)
            if not isinstance(info, HandlerInfo) or id(function) in seen:
                continue
            seen.add(id(function))
            location = _function_location(function, info.intent)
            intent = spec.intent(info.intent)
            if intent is None:
                problems.append(PluginError(
                    f"handler {function.__name__}() is for intent {info.intent!r}, which {spec.file.name} "
                    "does not declare", location))
                continue
            if info.intent in handlers:
                other = handlers[info.intent].location
                problems.append(PluginError(
                    f"two handlers for {info.intent!r}: {function.__name__}() and the one at {other}", location))
                continue
            problem = _signature_problem(function, intent)
            if problem:
                problems.append(PluginError(problem, location))
                continue
            handlers[info.intent] = BoundHandler(function, info, location)
    if problems:
        raise PluginError(problems[0].message, problems[0].location, tuple(problems))
    return handlers


def _function_location(function: Callable[..., Any], intent: str) -> SourceLocation:
    try:
        file = inspect.getsourcefile(function) or "<unknown>"
        line = inspect.getsourcelines(function)[1]
    except (OSError, TypeError):
        return SourceLocation("<unknown>", None, intent)
    return SourceLocation(file, line, intent)


def _signature_problem(function: Callable[..., Any], intent: IntentSpec) -> str | None:
    """Handlers take the context first, then every declared slot by name (or ``**slots``)."""
    params = list(inspect.signature(function).parameters.values())
    if not params or params[0].kind not in (params[0].POSITIONAL_ONLY, params[0].POSITIONAL_OR_KEYWORD):
        return f"handler {function.__name__}() must take the context as its first argument"
    rest = params[1:]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in rest)
    names = {p.name for p in rest if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    declared = {s.name for s in intent.slots}
    unknown = sorted(n for n in names - declared
                     if next(p for p in rest if p.name == n).default is inspect.Parameter.empty)
    if unknown:
        return (f"handler {function.__name__}() takes {', '.join(unknown)}, which intent {intent.name!r} "
                f"does not declare as slots (declared: {', '.join(sorted(declared)) or 'none'})")
    missing = sorted(declared - names)
    if missing and not takes_any:
        return (f"handler {function.__name__}() does not accept slot(s) {', '.join(missing)} of "
                f"{intent.name!r}; add them as parameters or take **slots")
    return None
