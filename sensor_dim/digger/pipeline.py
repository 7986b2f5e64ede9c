"""Pairs through the digger: name the ends, template the endpoint, detect, merge metadata.

`process_batch` works in three steps so that detection of many pairs is one call: `_prepare`
each pair (names, template, sampling, fields), detect every analysed pair's jobs at once, then
`_apply` each pair in order to the builder. When detection is unavailable the whole batch is
left unapplied (DetectionUnavailableError propagates) and the consumer delivers it again.
A pair that is only counted (sampling) costs no body parse and no field flattening.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dsensor.v1 import metadata_pb2, pair_pb2

from sensor_core.logs import get_logger
from sensor_core.masking import masked_shape
from sensor_dim.digger.assets import Resolver, caller_asset
from sensor_dim.digger.detection_jobs import (
    BatchDetector,
    DetectJob,
    Detector,
    JobResult,
    as_batch_detector,
)
from sensor_dim.digger.endpoints import path_template, split_request_target
from sensor_dim.digger.http_fields import BodyError, header_fields, parse_body, place_fields
from sensor_dim.digger.learned_segments import SegmentLearner
from sensor_dim.digger.metadata import MessageAnalysis, MetadataBuilder
from sensor_dim.digger.sampler import EndpointState, Sampler
from sensor_dim.digger.schema import leaf_types, leaf_values

log = get_logger("dsensor.digger")


def _header(message: pair_pb2.HttpMessage, name: str) -> str:
    for header in message.headers:
        if header.name.lower() == name:
            return header.value
    return ""


_UNRESOLVED_KINDS = (metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS, metadata_pb2.ASSET_KIND_UNSPECIFIED)
UNRESOLVED_CALLERS = ("unresolved",)


def _asset_identity(asset: metadata_pb2.Asset) -> tuple[int, str, str]:
    return (asset.kind, asset.namespace, asset.name)


def sampling_identity(source: metadata_pb2.Asset) -> tuple[object, ...]:
    """The caller as the sampler sees it: its workload (or service), or one shared bucket for
    every caller that did not resolve to one (bare addresses: NAT'd, replayed, outside), so that
    client addresses never multiply the keys: a new workload is a new flow, a new address is not.
    """
    if source.kind in _UNRESOLVED_KINDS:
        return UNRESOLVED_CALLERS
    return _asset_identity(source)


@dataclass(slots=True)
class _Side:
    message: pair_pb2.HttpMessage
    body: object | None
    job: DetectJob


@dataclass(slots=True)
class _Prepared:
    pair: pair_pb2.HttpPair
    source: metadata_pb2.Asset
    destination: metadata_pb2.Asset
    host: str
    method: str
    port: int
    status: int
    key: tuple[object, ...]
    learned: tuple[str, ...]  # the learned template's segments (before detection typed any)
    sampled: EndpointState | None  # the sampler's state of `key` (None: sampling is off)
    request: _Side | None = None  # None: counted only
    response: _Side | None = None


class PairProcessor:
    """Turns HttpPair messages into merged flow metadata in a MetadataBuilder."""

    def __init__(
        self,
        detector: Detector | BatchDetector,
        resolver: Resolver,
        builder: MetadataBuilder,
        sampler: Sampler | None = None,
        masked_shapes: bool = False,
        learner: SegmentLearner | None = None,
    ) -> None:
        self._masked_shapes = masked_shapes
        self._detector = as_batch_detector(detector)
        self._resolver = resolver
        self._builder = builder
        self._sampler = sampler
        self.learner = learner if learner is not None else SegmentLearner()
        self.counters: Counter[str] = Counter()

    def process(self, pair: pair_pb2.HttpPair) -> None:
        self.process_batch([pair])

    def process_batch(self, pairs: Sequence[pair_pb2.HttpPair]) -> list[str]:
        """Process `pairs` together; per pair "" or the problem that made it a poison message.
        Raises DetectionUnavailableError (nothing applied) when detection is away."""
        problems = [""] * len(pairs)
        self.counters["pairs"] += len(pairs)
        prepared: list[tuple[int, _Prepared]] = []
        for index, pair in enumerate(pairs):
            try:
                prepared.append((index, self._prepare(pair)))
            except Exception as exc:  # one bad pair must not stop the others
                problems[index] = "processing_" + type(exc).__name__
        jobs = [
            side.job for _, p in prepared for side in (p.request, p.response) if side is not None
        ]
        results = iter(self._detector.detect_batch(jobs) if jobs else [])
        for index, p in prepared:
            request = None if p.request is None else next(results)
            response = None if p.response is None else next(results)
            try:
                self._apply(p, request, response)
            except Exception as exc:
                problems[index] = "processing_" + type(exc).__name__
        return problems

    def _prepare(self, pair: pair_pb2.HttpPair) -> _Prepared:
        http_request = pair.request
        request = http_request.message
        host = _header(request, "host").strip().lower()
        method = http_request.method
        path, query = split_request_target(http_request.target)
        learned, coarse_template = self.learner.route(method, host, path)
        destination = pair.destination
        port = destination.port
        source_asset = caller_asset(self._resolver.resolve(pair.source.ip))
        destination_asset = self._resolver.resolve(destination.ip, host)
        key = (
            sampling_identity(source_asset),
            _asset_identity(destination_asset),
            port,
            method,
            host,
            coarse_template,
        )
        has_response = pair.HasField("response")
        sampled = self._sampler.visit(key) if self._sampler is not None else None
        prepared = _Prepared(
            pair,
            source_asset,
            destination_asset,
            host,
            method,
            port,
            pair.response.status if has_response else 0,
            key,
            learned,
            sampled,
        )
        if sampled is not None and not sampled.analyse:
            return prepared  # counted only
        # the endpoint names what a field holds (`GET /users/{id}` -> `$.id` is a user id)
        context = f"{method} {coarse_template}"
        fields = list(place_fields(path, query))
        fields.extend(header_fields(request))
        prepared.request = self._side(request, fields, context)
        if has_response:
            response = pair.response.message
            prepared.response = self._side(response, list(header_fields(response)), context)
        return prepared

    def _side(
        self, message: pair_pb2.HttpMessage, fields: list[tuple[str, str, object]], context: str
    ) -> _Side:
        try:
            body = parse_body(message)
        except BodyError as exc:
            self.counters[f"body_error_{exc.code}"] += 1
            log.info("body_skipped", reason=exc.code, content_type=message.content_type)
            body = None
        return _Side(message, body, DetectJob(body, fields, context))

    def _apply(self, p: _Prepared, request: JobResult | None, response: JobResult | None) -> None:
        pair = p.pair
        if p.request is None or request is None:
            # counted only: it joins the flow its endpoint's last analysis named
            template = p.sampled.template if p.sampled is not None else ""
            endpoint = (p.method, p.host, template, p.port)
            self._builder.observe(
                p.source, p.destination, endpoint, p.status, pair.unix_nanos, None, None
            )
            return
        request_analysis = self._analysis(p.request, request)
        typed_segments = {
            int(path[5:-1]): types[0].type_id
            for path, types in request.findings.items()
            if path.startswith("path[") and types
        }
        template = path_template(pair.request.target, typed_segments, p.learned)
        if p.sampled is not None:
            p.sampled.template = template
        response_analysis = None
        if p.response is not None and response is not None:
            response_analysis = self._analysis(p.response, response)
        self.counters["analysed"] += 1
        self._builder.observe(
            p.source,
            p.destination,
            (p.method, p.host, template, p.port),
            p.status,
            pair.unix_nanos,
            request_analysis,
            response_analysis,
        )

    def _analysis(self, side: _Side, result: JobResult) -> MessageAnalysis:
        if result.body_error:
            self.counters[f"body_error_{result.body_error}"] += 1
        body = side.body
        json_types = list(leaf_types(body)) if body is not None else []
        shapes: dict[str, str] = {}
        if self._masked_shapes:
            values = list(leaf_values(body)) if body is not None else []
            values.extend((path, value) for path, _, value in side.job.fields)
            for path, value in values:
                shape = masked_shape(value)
                if shape:
                    shapes.setdefault(path, shape)
        return MessageAnalysis(side.message.content_type, json_types, result.findings, shapes)
