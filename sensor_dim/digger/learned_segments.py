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
its prefixes' recency, so the least recently used prefix is the one forgotten.
"""

from __future__ import annotations

from collections import OrderedDict

VARIABLE = "{var}"
DEFAULT_THRESHOLD = 100
DEFAULT_MAX_PREFIXES = 5_000
MAX_REMEMBERED = 16_384


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
        # (method, host, segments) -> (learned segments, the prefix keys they counted under)
        self._answers: dict[tuple[str, str, tuple[str, ...]], tuple[list[str], list[str]]] = {}
        self._epoch = (0, 0)  # (collapsed, forgotten) the remembered answers hold for

    def __len__(self) -> int:
        return len(self._prefixes)

    def tracked_values(self) -> int:
        """Distinct segment hashes held in all (for the memory bound)."""
        return sum(len(v) for v in self._prefixes.values() if v is not None)

    def apply(self, method: str, host: str, segments: list[str]) -> list[str]:
        """`segments` with placeholders already put in; returns them with learned `{var}`s
        (a new list). Every literal segment is counted under its prefix (so this also learns)."""
        memo = (method, host, tuple(segments))
        answer = self._answers.get(memo)
        if answer is not None and self._epoch == (self.collapsed, self.forgotten):
            out, keys = answer
            if len(self._prefixes) * 2 > self.maxprefixes:
                for key in keys:
                    self._prefixes.move_to_end(key)
            return list(out)
        out, keys = self._learn(method, host, segments)
        epoch = (self.collapsed, self.forgotten)
        if epoch != self._epoch or len(self._answers) >= MAX_REMEMBERED:
            self._answers.clear()
            self._epoch = epoch
        self._answers[memo] = (out, keys)
        return list(out)

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
