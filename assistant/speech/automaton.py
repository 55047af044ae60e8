"""Word automata: what a recogniser may hear, as a minimal deterministic finite-state grammar.

Plugin templates expand into millions of sentences that share almost every word; a decoder
searching them as a list (or as a JSGF grammar compiled without minimisation) builds a huge
search tree and is slow and no more accurate. Grammars here are acyclic, so the classic pair is
exact and cheap: subset construction, then merging states with equal right languages in reverse
topological order (Revuz 1992).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property


class NfaBuilder:
    """A non-deterministic word automaton under construction; ``None`` labels an epsilon arc."""

    def __init__(self) -> None:
        self._arcs: list[list[tuple[str | None, int]]] = []

    def state(self) -> int:
        self._arcs.append([])
        return len(self._arcs) - 1

    def arc(self, source: int, target: int, word: str | None = None) -> None:
        self._arcs[source].append((word, target))

    def words(self, source: int, target: int, words: Sequence[str]) -> None:
        """A chain of arcs that says ``words`` in order (an epsilon arc when there are none)."""
        current = source
        for word in words[:-1]:
            following = self.state()
            self.arc(current, following, word)
            current = following
        self.arc(current, target, words[-1] if words else None)

    def embed(self, dfa: Dfa, source: int, target: int) -> None:
        """A copy of ``dfa`` between ``source`` and ``target``."""
        mapping = {dfa.start: source}
        for state in range(dfa.n_states):
            if state not in mapping:
                mapping[state] = self.state()
        for state in range(dfa.n_states):
            for word, following in dfa.arcs[state]:
                self.arc(mapping[state], mapping[following], word)
            if state in dfa.finals:
                self.arc(mapping[state], target)

    def determinize(self, start: int, final: int) -> Dfa:
        """The equivalent minimal DFA (subset construction, then minimisation)."""
        closures: dict[int, frozenset[int]] = {}

        def closure(state: int) -> frozenset[int]:
            if state not in closures:
                seen, stack = {state}, [state]
                while stack:
                    for word, target in self._arcs[stack.pop()]:
                        if word is None and target not in seen:
                            seen.add(target)
                            stack.append(target)
                closures[state] = frozenset(seen)
            return closures[state]

        first = closure(start)
        numbers = {first: 0}
        subsets = [first]
        arcs: list[list[tuple[str, int]]] = []
        finals = set()
        index = 0
        while index < len(subsets):
            subset = subsets[index]
            if final in subset:
                finals.add(index)
            moves: dict[str, set[int]] = {}
            for state in subset:
                for word, target in self._arcs[state]:
                    if word is not None:
                        moves.setdefault(word, set()).update(closure(target))
            row = []
            for word in sorted(moves):
                following = frozenset(moves[word])
                if following not in numbers:
                    numbers[following] = len(subsets)
                    subsets.append(following)
                row.append((word, numbers[following]))
            arcs.append(row)
            index += 1
        return Dfa(0, frozenset(finals), tuple(tuple(r) for r in arcs)).minimal()


@dataclass(frozen=True)
class Dfa:
    """A deterministic, acyclic word automaton: per state, its ``(word, next state)`` arcs sorted by word."""

    start: int
    finals: frozenset[int]
    arcs: tuple[tuple[tuple[str, int], ...], ...]

    @property
    def n_states(self) -> int:
        return len(self.arcs)

    @property
    def n_arcs(self) -> int:
        return sum(len(row) for row in self.arcs)

    @classmethod
    def phrases(cls, phrases: Iterable[Sequence[str]]) -> Dfa:
        """The automaton that accepts exactly these word sequences."""
        builder = NfaBuilder()
        start, final = builder.state(), builder.state()
        for words in phrases:
            builder.words(start, final, words)
        return builder.determinize(start, final)

    @classmethod
    def union(cls, parts: Iterable[Dfa]) -> Dfa:
        builder = NfaBuilder()
        start, final = builder.state(), builder.state()
        for part in parts:
            builder.embed(part, start, final)
        return builder.determinize(start, final)

    @classmethod
    def concatenation(cls, parts: Sequence[Dfa]) -> Dfa:
        builder = NfaBuilder()
        current = builder.state()
        start = current
        for part in parts:
            following = builder.state()
            builder.embed(part, current, following)
            current = following
        return builder.determinize(start, current)

    @cached_property
    def _order(self) -> tuple[int, ...]:
        """States in reverse topological order (every state after all states it leads to)."""
        order: list[int] = []
        mark = [0] * self.n_states  # 0 new, 1 on the stack, 2 done
        for root in range(self.n_states):
            if mark[root]:
                continue
            stack = [(root, 0)]
            mark[root] = 1
            while stack:
                state, position = stack.pop()
                if position < len(self.arcs[state]):
                    stack.append((state, position + 1))
                    following = self.arcs[state][position][1]
                    if mark[following] == 1:
                        raise ValueError("word grammars must be acyclic")
                    if not mark[following]:
                        mark[following] = 1
                        stack.append((following, 0))
                else:
                    mark[state] = 2
                    order.append(state)
        return tuple(order)

    def minimal(self) -> Dfa:
        """Merge states with equal right languages; drop states that lead to no final state."""
        classes: dict[int, int] = {}
        registry: dict[tuple[bool, tuple[tuple[str, int], ...]], int] = {}
        rows: list[tuple[tuple[str, int], ...]] = []
        finals: set[int] = set()
        for state in self._order:
            row = tuple((word, classes[target]) for word, target in self.arcs[state] if classes[target] >= 0)
            is_final = state in self.finals
            if not row and not is_final:
                classes[state] = -1  # dead: no path to a final state
                continue
            key = (is_final, row)
            if key not in registry:
                registry[key] = len(rows)
                rows.append(row)
                if is_final:
                    finals.add(registry[key])
            classes[state] = registry[key]
        if classes.get(self.start, -1) < 0:
            return Dfa(0, frozenset(), ((),))
        # Renumber from the start state so state 0 is the start, as decoders expect.
        start = classes[self.start]
        renumber = {start: 0}
        queue = [start]
        for state in queue:
            for _, target in rows[state]:
                if target not in renumber:
                    renumber[target] = len(renumber)
                    queue.append(target)
        arcs: list[tuple[tuple[str, int], ...]] = [()] * len(renumber)
        for old, new in renumber.items():
            arcs[new] = tuple((word, renumber[target]) for word, target in rows[old])
        return Dfa(0, frozenset(renumber[s] for s in finals if s in renumber), tuple(arcs))

    def accepts(self, words: Sequence[str]) -> bool:
        state = self.start
        for word in words:
            following = dict(self.arcs[state]).get(word)
            if following is None:
                return False
            state = following
        return state in self.finals

    def vocabulary(self) -> frozenset[str]:
        return frozenset(word for row in self.arcs for word, _ in row)

    @cached_property
    def _counts(self) -> tuple[int, ...]:
        """How many sentences start in each state."""
        counts = [0] * self.n_states
        for state in self._order:
            counts[state] = int(state in self.finals) + sum(counts[t] for _, t in self.arcs[state])
        return tuple(counts)

    def count(self) -> int:
        """How many distinct sentences the automaton accepts."""
        return self._counts[self.start] if self.n_states else 0

    def sentences(self, limit: int | None = None) -> Iterator[tuple[str, ...]]:
        """Accepted sentences in lexicographic order of their arcs, up to ``limit``."""
        produced = 0
        stack: list[tuple[int, tuple[str, ...]]] = [(self.start, ())]
        while stack and (limit is None or produced < limit):
            state, words = stack.pop()
            if state in self.finals:
                produced += 1
                yield words
            for word, target in reversed(self.arcs[state]):
                stack.append((target, (*words, word)))

    def sample(self, rng: random.Random) -> tuple[str, ...]:
        """One sentence drawn uniformly from all accepted sentences."""
        counts = self._counts
        state, words = self.start, list[str]()
        while True:
            pick = rng.randrange(counts[state])
            if state in self.finals:
                if pick == 0:
                    return tuple(words)
                pick -= 1
            for word, target in self.arcs[state]:
                if pick < counts[target]:
                    words.append(word)
                    state = target
                    break
                pick -= counts[target]
