"""Written text as the words a person says: what grammars and recognisers work with.

Plugin examples are written ("set a timer for 5 mins", "at 4:30"); a recogniser hears and writes
words ("five minutes", "four thirty"). Numbers are read out with num2words; the handful of
abbreviations plugins use are spelled out.
"""

from __future__ import annotations

import re

from num2words import num2words

_ABBREVIATIONS = {
    "min": "minutes", "mins": "minutes", "sec": "seconds", "secs": "seconds", "hr": "hour", "hrs": "hours",
    "&": "and", "%": "percent", "+": "plus", "=": "equals", "°": "degrees", "km": "kilometers",
    "kg": "kilograms", "cm": "centimeters", "mm": "millimeters", "lb": "pounds", "lbs": "pounds",
    "oz": "ounces", "ml": "milliliters", "mph": "miles per hour", "km/h": "kilometers per hour",
    "vs": "versus", "dr": "doctor", "mr": "mister", "mrs": "missus",
}
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|\d+:\d\d|\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)*|[%&+=°]")
_LOOK_ALIKES = str.maketrans({"’": "'", "‘": "'", "–": " ", "—": " ", "-": " ", "/": " "})


def number_words(number: float | int, ordinal: bool = False) -> list[str]:
    """``25`` -> ``["twenty", "five"]``; ``12, ordinal`` -> ``["twelfth"]``."""
    text = num2words(number, to="ordinal") if ordinal else num2words(number)
    return [w for w in re.split(r"[\s,\-]+", text) if w and w != "and"]


def _token_words(token: str) -> list[str]:
    if token[0].isdigit():
        if token[-2:] in ("st", "nd", "rd", "th"):
            return number_words(int(token[:-2]), ordinal=True)
        if ":" in token:
            hours, minutes = (int(p) for p in token.split(":"))
            words = number_words(hours)
            if minutes == 0:
                return words
            return words + (["oh"] if minutes < 10 else []) + number_words(minutes)
        if "." in token:
            whole, fraction = token.split(".")
            return number_words(int(whole)) + ["point"] + [w for d in fraction for w in number_words(int(d))]
        if len(token) == 4 and token[0] in "12":  # 1990, 2027
            return [w for w in re.split(r"[\s,\-]+", num2words(int(token), to="year")) if w and w != "and"]
        if len(token) > 1 and token[0] == "0":
            return [w for d in token for w in (["oh"] if d == "0" else number_words(int(d)))]  # 0912
        return number_words(int(token))
    expanded = _ABBREVIATIONS.get(token)
    return expanded.split() if expanded else [token]


def spoken_words(text: str) -> list[str]:
    """The words someone says for ``text``: lower case, numbers read out, punctuation dropped."""
    text = text.translate(_LOOK_ALIKES).lower()
    return [word for token in _TOKEN.findall(text) for word in _token_words(token)]
