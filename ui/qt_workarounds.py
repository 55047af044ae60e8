"""Guard against PySide6 dropping references to ``None``, ``True`` and ``False`` (Python 3.11).

The PySide6 wheels we run on (6.11.2 and 6.12.0, limited-API builds) return these singletons
from some calls without taking a reference: 6.12.0 from every void method (``update()``,
``setText()`` ...), both from ``emit()`` on a widget's signal. On Python 3.12+ the singletons
are immortal and nothing happens; on 3.11 their count falls by one per call until CPython
aborts with "none_dealloc" or "bool_dealloc" — in this app within a minute of use (found by
benchmarks/gui_stalls.py; tests/test_ui_qt_runtime.py reproduces it in a child process).

:func:`protect_singletons` gives the three a practically endless count, which is exactly what
Python 3.12 does for every program, so no binding bug of this kind can crash the window.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

HEADROOM = 1 << 40
"""Extra references: more leaking calls than an app makes in centuries, far below the counter's limit."""
SINGLETONS = (None, True, False)


def needs_protection() -> bool:
    """True on CPython before 3.12 (mortal singletons) in a release build (the layout we patch)."""
    return (sys.implementation.name == "cpython" and sys.version_info < (3, 12)
            and not hasattr(sys, "gettotalrefcount"))


def protect_singletons() -> bool:
    """Make None, True and False effectively immortal; True when applied (idempotent)."""
    if not needs_protection():
        return False
    for singleton in SINGLETONS:
        if sys.getrefcount(singleton) < HEADROOM:
            ctypes.c_ssize_t.from_address(id(singleton)).value += HEADROOM  # ob_refcnt: PyObject's first field
    log.debug("None, True and False made immortal against PySide6 reference leaks")
    return True
