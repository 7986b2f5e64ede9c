"""Learned path segments: a literal segment position with many distinct values becomes `{var}`.

`/shop/red-shoe`, `/shop/blue-hat`, ... are one endpoint, though no single segment looks like an
identifier. For each (method, host, template prefix) the learner counts the distinct literal
segments that follow the prefix; when `threshold` of them were seen, that position collapses to
`{var}` for good, and every later pair maps to the collapsed template.

Bounded memory: at most `maxprefixes` prefixes are tracked (least recently used ones are
forgotten and counted), and a tracked prefix holds at most `threshold` distinct values, kept as
hashes only (no segment text is stored). Flows already built under literal templates before a
collapse are kept as they are: they were real observations and stay in the console's history;
from the collapse on, the same traffic merges into the `{var}` flow.

Most pairs repeat a segment list already seen: counting it again changes nothing (its hashes are
in their sets), so answers are remembered per (method, host, segments) until a prefix collapses or
is forgotten. While the prefix table is more than half full a remembered answer still refreshes
its prefixes' recency, so the least recently used prefix is the one forgotten. `route` keeps the
same answers, with the joined template, by the raw path too, so a path seen again costs one
lookup (no split, no placeholder matching).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

from sensor_dim.digger.endpoints import join_template, template_segments

VARIABLE = "{var}"
DEFAULT_THRESHOLD = 100
DEFAULT_MAX_PREFIXES = 5_000
MAX_REMEMBERED = 16_384
_K = TypeVar("_K")
_V = TypeVar("_V")


class SegmentLearner:
    def __init__(
        self, threshold: int = DEFAULT_THRESHOLD, maxprefixes: int = DEFAULT_MAX_PREFIXES
    ) -> None:
        if threshold < 2 or maxprefixes < 1:
            raise ValueError("threshold must be >= 2 and maxprefixes >= 1")
        self.threshold = threshold
        self.maxprefixes = maxprefixes
        # prefix key -> hashes of the distinct segments seen after it, or None once collapsed
        self._prefixes: OrderedDict[str, set[int] | None] = OrderedDict()
        self.collapsed = 0
        self.forgotten = 0
        # remembered answers, all for one (collapsed, forgotten) epoch:
        # (method, host, segments) -> (learned segments, the prefix keys they counted under)
        self._answers: dict[tuple[str, str, tuple[str, ...]], tuple[list[str], list[str]]] = {}
        # (method, host, raw path) -> (learned segments, template, the prefix keys)
        self._routes: dict[tuple[str, str, str], tuple[tuple[str, ...], str, list[str]]] = {}
        self._epoch = (0, 0)

    def __len__(self) -> int:
        return len(self._prefixes)

    def tracked_values(self) -> int:
        """Distinct segment hashes held in all (for the memory bound)."""
        return sum(len(v) for v in self._prefixes.values() if v is not None)

    def apply(self, method: str, host: str, segments: list[str]) -> list[str]:
        """`segments` with placeholders already put in; returns them with learned `{var}`s
        (a new list). Every literal segment is counted under its prefix (so this also learns)."""
        return list(self._answer(method, host, segments)[0])

    def route(self, method: str, host: str, path: str) -> tuple[tuple[str, ...], str]:
        """`apply` for a raw path: (learned segments, joined template). The same answers as
        `join_template(apply(method, host, template_segments(path)), path.endswith("/"))`."""
        memo = (method, host, path)
        found = self._routes.get(memo)
        if found is not None and self._current():
            learned, template, keys = found
            self._refresh(keys)
            return learned, template
        out, keys = self._answer(method, host, template_segments(path))
        learned = tuple(out)
        template = join_template(learned, path.endswith("/"))
        self._remember(self._routes, memo, (learned, template, keys))
        return learned, template

    def _answer(self, method: str, host: str, segments: list[str]) -> tuple[list[str], list[str]]:
        """(learned segments, the prefix keys they counted under); remembered, do not mutate."""
        memo = (method, host, tuple(segments))
        answer = self._answers.get(memo)
        if answer is not None and self._current():
            self._refresh(answer[1])
            return answer
        answer = self._learn(method, host, segments)
        self._remember(self._answers, memo, answer)
        return answer

    def _current(self) -> bool:
        """The remembered answers still hold: nothing collapsed or was forgotten since."""
        return self._epoch == (self.collapsed, self.forgotten)

    def _refresh(self, keys: list[str]) -> None:
        """A remembered answer's prefixes count as just used while the table is over half full,
        so the least recently used prefix is the one forgotten."""
        if len(self._prefixes) * 2 > self.maxprefixes:
            for key in keys:
                self._prefixes.move_to_end(key)

    def _remember(self, table: dict[_K, _V], memo: _K, answer: _V) -> None:
        """Keep `answer`; a new epoch forgets every remembered answer, a full table its own."""
        epoch = (self.collapsed, self.forgotten)
        if epoch != self._epoch:
            self._answers.clear()
            self._routes.clear()
            self._epoch = epoch
        elif len(table) >= MAX_REMEMBERED:
            table.clear()
        table[memo] = answer

    def _learn(self, method: str, host: str, segments: list[str]) -> tuple[list[str], list[str]]:
        out = list(segments)
        keys: list[str] = []
        scope = f"{method} {host} "
        prefixes = self._prefixes
        for index, segment in enumerate(out):
            if segment.startswith("{"):
                continue
            key = scope + "/".join(out[:index])
            keys.append(key)
            if key not in prefixes:
                seen: set[int] | None = set()
                prefixes[key] = seen
                if len(prefixes) > self.maxprefixes:
                    prefixes.popitem(last=False)
                    self.forgotten += 1
            else:
                seen = prefixes[key]
                prefixes.move_to_end(key)
            if seen is None:  # collapsed
                out[index] = VARIABLE
                continue
            seen.add(hash(segment))
            if len(seen) >= self.threshold:
                prefixes[key] = None
                self.collapsed += 1
                out[index] = VARIABLE
        return out, keys
