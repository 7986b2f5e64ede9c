"""One pair through the digger: name the ends, template the endpoint, detect, merge metadata."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from dsensor.v1 import metadata_pb2, pair_pb2

from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding
from sensor_core.logs import get_logger
from sensor_core.masking import masked_shape
from sensor_dim.digger.assets import Resolver
from sensor_dim.digger.endpoints import path_template
from sensor_dim.digger.http_fields import BodyError, header_fields, parse_body, target_fields
from sensor_dim.digger.metadata import MessageAnalysis, MetadataBuilder
from sensor_dim.digger.sampler import Sampler
from sensor_dim.digger.schema import leaf_types, leaf_values

log = get_logger("dsensor.digger")

Findings = Mapping[str, Sequence[Finding]]


class Detector(Protocol):
    def detect_document(self, doc: object, *, context: str | None = None) -> Findings: ...

    def detect_fields(
        self, fields: Iterable[tuple[str, str, object]], *, context: str | None = None
    ) -> Findings: ...


def _header(message: pair_pb2.HttpMessage, name: str) -> str:
    for header in message.headers:
        if header.name.lower() == name:
            return header.value
    return ""


class PairProcessor:
    """Turns HttpPair messages into merged flow metadata in a MetadataBuilder."""

    def __init__(
        self,
        detector: Detector,
        resolver: Resolver,
        builder: MetadataBuilder,
        sampler: Sampler | None = None,
        masked_shapes: bool = False,
    ) -> None:
        self._masked_shapes = masked_shapes
        self._detector = detector
        self._resolver = resolver
        self._builder = builder
        self._sampler = sampler
        self.counters: Counter[str] = Counter()

    def process(self, pair: pair_pb2.HttpPair) -> None:
        self.counters["pairs"] += 1
        request = pair.request.message
        host = _header(request, "host")
        source = self._resolver.resolve(pair.source.ip)
        destination = self._resolver.resolve(pair.destination.ip, host)
        status = pair.response.status if pair.HasField("response") else 0
        coarse_template = path_template(pair.request.target)
        key = (
            pair.source.ip,
            pair.destination.ip,
            pair.destination.port,
            pair.request.method,
            host.strip().lower(),
            coarse_template,
        )
        if self._sampler is not None and not self._sampler.admit(key):
            # counted only: it joins the flow its endpoint's last analysis named
            endpoint = self._endpoint(pair, host, self._sampler.template(key))
            self._builder.observe(
                source, destination, endpoint, status, pair.unix_nanos, None, None
            )
            return
        place_fields = list(target_fields(pair.request.target))
        place_fields.extend(header_fields(request))
        # the endpoint names what a field holds (`GET /users/{id}` -> `$.id` is a user id)
        context = f"{pair.request.method} {coarse_template}"
        request_analysis = self._analyse(request, place_fields, context)
        typed_segments = {
            int(path[5:-1]): types[0].type_id
            for path, types in request_analysis.findings.items()
            if path.startswith("path[") and types
        }
        template = path_template(pair.request.target, typed_segments)
        if self._sampler is not None:
            self._sampler.remember(key, template)
        endpoint = self._endpoint(pair, host, template)
        response_analysis = None
        if pair.HasField("response"):
            response = pair.response.message
            response_analysis = self._analyse(response, list(header_fields(response)), context)
        self.counters["analysed"] += 1
        self._builder.observe(
            source,
            destination,
            endpoint,
            status,
            pair.unix_nanos,
            request_analysis,
            response_analysis,
        )

    @staticmethod
    def _endpoint(pair: pair_pb2.HttpPair, host: str, template: str) -> metadata_pb2.Endpoint:
        return metadata_pb2.Endpoint(
            method=pair.request.method,
            host=host.strip().lower(),
            path_template=template,
            port=pair.destination.port,
        )

    def _analyse(
        self,
        message: pair_pb2.HttpMessage,
        place_fields: list[tuple[str, str, object]],
        context: str,
    ) -> MessageAnalysis:
        findings: dict[str, list[Finding]] = {}
        json_types: list[tuple[str, int]] = []
        try:
            body = parse_body(message)
        except BodyError as exc:
            self.counters[f"body_error_{exc.code}"] += 1
            log.info("body_skipped", reason=exc.code, content_type=message.content_type)
            body = None
        if body is not None:
            json_types = list(leaf_types(body))
            try:
                detected = self._detector.detect_document(body, context=context)
            except DetectionInputError as exc:
                self.counters[f"body_error_{exc.code}"] += 1
                detected = {}
            findings.update({p: list(f) for p, f in detected.items()})
        if place_fields:
            for path, found in self._detector.detect_fields(place_fields, context=context).items():
                findings.setdefault(path, []).extend(found)
        shapes: dict[str, str] = {}
        if self._masked_shapes:
            values = list(leaf_values(body)) if body is not None else []
            values.extend((path, value) for path, _, value in place_fields)
            for path, value in values:
                shape = masked_shape(value)
                if shape:
                    shapes.setdefault(path, shape)
        return MessageAnalysis(message.content_type, json_types, findings, shapes)
