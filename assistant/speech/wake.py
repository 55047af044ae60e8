"""The optional wake phrase: in hands-free mode, only requests addressed to the assistant count.

"<wake phrase> set a timer" is answered as "set a timer"; the wake phrase alone opens a short
window in which the next utterance is answered without it; anything else is ignored. Matching is
on the recogniser's words, which the grammar (with the wake phrase in front) keeps reliable.
"""

from __future__ import annotations

from assistant.speech.spoken import spoken_words

FOLLOW_UP_S = 8.0


class WakeGate:
    def __init__(self, phrase: str | None, follow_up_s: float = FOLLOW_UP_S) -> None:
        self.words = tuple(spoken_words(phrase)) if phrase else ()
        self.follow_up_s = follow_up_s
        self._open_until = 0.0

    def filter(self, text: str, now: float) -> str | None:
        """The request in ``text`` (wake phrase removed), or None when it was not for the assistant."""
        if not self.words:
            return text
        words = text.split()
        if tuple(words[: len(self.words)]) == self.words:
            rest = " ".join(words[len(self.words):])
            if rest:
                self._open_until = 0.0
                return rest
            self._open_until = now + self.follow_up_s
            return None
        if words and now <= self._open_until:
            self._open_until = 0.0
            return text
        return None
