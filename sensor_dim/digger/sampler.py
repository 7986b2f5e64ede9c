"""Which pairs are analysed: every new endpoint at once, known ones at a bounded, fair rate.

Each endpoint key has a token bucket. Its rate is the configured per-endpoint rate, lowered to a
fair share of the global budget when many endpoints are active, so a hot endpoint cannot starve
the others and a new endpoint is always analysed on first sight. The key table is bounded (least
recently used keys are forgotten), and it remembers each endpoint's template as the last analysis
built it, so a pair that is only counted joins the same flow without its path being re-read.

A key is an endpoint (destination asset, port, method, host, coarse path template) with its
caller's workload, or one shared bucket per endpoint for every caller that resolves to no
workload (pipeline.sampling_identity): never a raw client address, so thousands of replayed,
NAT'd or outside callers cannot each count as a new endpoint.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(slots=True)
class EndpointState:
    """One key's token bucket, the template its last analysis built, and the last decision."""

    tokens: float
    stamp: float
    template: str = ""
    analyse: bool = True  # the decision of the latest `visit`


@dataclass(frozen=True)
class SamplerLimits:
    rate: float = 1.0  # analyses per second per endpoint once known
    burst: float = 5.0  # analyses an endpoint may take at once after a quiet spell
    globalrate: float = 200.0  # analyses per second for the whole digger
    maxendpoints: int = 100_000
    activewindow: float = 60.0  # an endpoint counts as active this long after its last pair


class Sampler:
    def __init__(
        self, limits: SamplerLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or SamplerLimits()
        self._clock = clock
        self._buckets: OrderedDict[Hashable, EndpointState] = OrderedDict()
        self._active_count, self._active_at = 1, float("-inf")
        self.admitted = 0
        self.shed = 0
        self.forgotten = 0

    def _active(self, now: float) -> int:
        """Endpoints seen within the active window, recounted at most once a second."""
        if now - self._active_at >= 1.0:
            # keys are kept in recency order: count from the newest back to the window's edge
            count = 0
            for bucket in reversed(self._buckets.values()):
                if now - bucket.stamp > self.limits.activewindow:
                    break
                count += 1
            self._active_count, self._active_at = max(count, 1), now
        return self._active_count

    def visit(self, key: Hashable) -> EndpointState:
        """Count a pair of `key`; its state says whether to analyse it (`analyse`) and holds the
        template to remember (one lookup for both: a pair's key is hashed once)."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = EndpointState(tokens=self.limits.burst - 1, stamp=now)
            if len(self._buckets) > self.limits.maxendpoints:
                self._buckets.popitem(last=False)
                self.forgotten += 1
            self.admitted += 1
            return bucket
        limits = self.limits
        active = self._active_count if now - self._active_at < 1.0 else self._active(now)
        rate = limits.rate
        if limits.globalrate < rate * active:  # a fair share of the global budget
            rate = limits.globalrate / active
        tokens = bucket.tokens + (now - bucket.stamp) * rate
        if tokens > limits.burst:
            tokens = limits.burst
        bucket.stamp = now
        self._buckets.move_to_end(key)
        if tokens >= 1.0 - 1e-9:  # float steps must not lose a whole token
            bucket.tokens = tokens - 1.0
            bucket.analyse = True
            self.admitted += 1
            return bucket
        bucket.tokens = tokens
        bucket.analyse = False
        self.shed += 1
        return bucket

    def __len__(self) -> int:
        """Keys held (at most `maxendpoints`)."""
        return len(self._buckets)
