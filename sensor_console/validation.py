"""Limits a PushBatch must respect before it is stored. Errors name the place, never a value."""

from __future__ import annotations

from collections.abc import Iterable

import grpc
from dsensor.v1 import metadata_pb2, stats_pb2

MAX_BATCH_ID = 128
MAX_NAME = 1024  # asset names, hosts, path templates, sources, instances
MAX_PATH = 4096  # field paths
MAX_TYPES_PER_FIELD = 256


class BatchLimitError(Exception):
    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _check_names(where: str, names: Iterable[tuple[str, str]]) -> None:
    for key, value in names:
        if len(value) > MAX_NAME:
            raise BatchLimitError(
                grpc.StatusCode.INVALID_ARGUMENT, f"{where}.{key}: longer than {MAX_NAME}"
            )


def _check_fields(where: str, fields: Iterable[metadata_pb2.Field]) -> None:
    for i, field in enumerate(fields):
        if len(field.path) > MAX_PATH:
            raise BatchLimitError(
                grpc.StatusCode.INVALID_ARGUMENT, f"{where}[{i}].path: longer than {MAX_PATH}"
            )
        if len(field.data_types) > MAX_TYPES_PER_FIELD:
            raise BatchLimitError(
                grpc.StatusCode.INVALID_ARGUMENT,
                f"{where}[{i}].data_types: more than {MAX_TYPES_PER_FIELD}",
            )
        _check_names(f"{where}[{i}]", (("type_id", t.type_id) for t in field.data_types))


def check_batch(req: stats_pb2.PushBatchRequest, max_items: int) -> None:
    """Raise BatchLimitError (with the gRPC status to answer) when the batch breaks a limit."""
    if not req.batch_id:
        raise BatchLimitError(grpc.StatusCode.INVALID_ARGUMENT, "batch_id is empty")
    if len(req.batch_id) > MAX_BATCH_ID:
        raise BatchLimitError(
            grpc.StatusCode.INVALID_ARGUMENT, f"batch_id: longer than {MAX_BATCH_ID}"
        )
    items = len(req.flows) + len(req.assets)
    if items > max_items:
        raise BatchLimitError(
            grpc.StatusCode.RESOURCE_EXHAUSTED,
            f"batch holds {items} flows and assets; the limit is {max_items}",
        )
    _check_names("batch", (("cluster_name", req.cluster_name),))
    for i, flow in enumerate(req.flows):
        where = f"flows[{i}]"
        for side, asset in (("source", flow.source), ("destination", flow.destination)):
            _check_names(
                f"{where}.{side}",
                (
                    ("name", asset.name),
                    ("namespace", asset.namespace),
                    ("cluster", asset.cluster),
                    ("workload_kind", asset.workload_kind),
                ),
            )
        ep = flow.endpoint
        _check_names(
            f"{where}.endpoint",
            (("method", ep.method), ("host", ep.host), ("path_template", ep.path_template)),
        )
        _check_fields(f"{where}.request.fields", flow.request.fields)
        _check_fields(f"{where}.response.fields", flow.response.fields)
    for i, data_asset in enumerate(req.assets):
        where = f"assets[{i}]"
        _check_names(
            where,
            (
                ("source", data_asset.source),
                ("instance", data_asset.instance),
                ("asset", data_asset.asset),
            ),
        )
        _check_fields(f"{where}.fields", data_asset.fields)
