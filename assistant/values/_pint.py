"""The one pint unit registry the value parsers share, built on first use (it takes a moment)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint


@cache
def unit_registry() -> pint.UnitRegistry:
    """The shared registry; importing pint and reading its definitions costs ~0.3 s, paid once."""
    import pint

    return pint.UnitRegistry()
