"""Turning a place name into an IANA time zone, offline.

Cities come from the zone names themselves (``America/New_York`` -> "new york"), countries from
the tz database's ``iso3166.tab`` and ``zone.tab`` (shipped in the ``tzdata`` package), and a
short alias table covers everyday names the database spells differently ("usa", "england").
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources
from zoneinfo import available_timezones

import yaml

ALIASES_FILE = "places.yaml"


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("_", " ").replace("-", " ").replace(".", "").replace("'", "")
    for prefix in ("the ", "city of "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return " ".join(text.split())


def _tab(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def place_index() -> dict[str, tuple[str, str]]:
    """Lower-case place name -> (zone, how to name the place in a reply)."""
    index: dict[str, tuple[str, str]] = {}
    zones = {z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))}
    for zone in sorted(zones):
        city = zone.rsplit("/", 1)[1].replace("_", " ")
        index.setdefault(_key(city), (zone, city))
    countries = {code: name for code, name, *_ in _tab("iso3166.tab")}
    first_zone: dict[str, str] = {}
    for code, _coords, zone, *_ in _tab("zone.tab"):
        first_zone.setdefault(code, zone)
    for code, country in countries.items():
        if code in first_zone:
            index.setdefault(_key(country), (first_zone[code], country))
    aliases = yaml.safe_load(resources.files(__package__).joinpath(ALIASES_FILE).read_text(encoding="utf-8"))
    for name, zone in aliases.items():
        index[_key(name)] = (zone, name)
    return index


def find_zone(place: str) -> tuple[str, str] | None:
    """(zone, display name) for a place, or None if the tz database does not know it."""
    index = place_index()
    key = _key(place)
    if key in index:
        return index[key]
    # "paris france", "tokyo japan": try the leading words
    words = key.split()
    for cut in range(len(words) - 1, 0, -1):
        found = index.get(" ".join(words[:cut]))
        if found:
            return found
    return None
