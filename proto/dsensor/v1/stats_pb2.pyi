from dsensor.v1 import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SensorKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENSOR_KIND_UNSPECIFIED: _ClassVar[SensorKind]
    SENSOR_KIND_DIM: _ClassVar[SensorKind]
    SENSOR_KIND_DAR: _ClassVar[SensorKind]
    SENSOR_KIND_DEMO: _ClassVar[SensorKind]
SENSOR_KIND_UNSPECIFIED: SensorKind
SENSOR_KIND_DIM: SensorKind
SENSOR_KIND_DAR: SensorKind
SENSOR_KIND_DEMO: SensorKind

class PushBatchRequest(_message.Message):
    __slots__ = ("batch_id", "sensor_id", "cluster_name", "sensor_kind", "created_unix_nanos", "flows", "assets")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    SENSOR_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_NAME_FIELD_NUMBER: _ClassVar[int]
    SENSOR_KIND_FIELD_NUMBER: _ClassVar[int]
    CREATED_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    FLOWS_FIELD_NUMBER: _ClassVar[int]
    ASSETS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    sensor_id: str
    cluster_name: str
    sensor_kind: SensorKind
    created_unix_nanos: int
    flows: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.FlowMetadata]
    assets: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.DataAssetMetadata]
    def __init__(self, batch_id: _Optional[str] = ..., sensor_id: _Optional[str] = ..., cluster_name: _Optional[str] = ..., sensor_kind: _Optional[_Union[SensorKind, str]] = ..., created_unix_nanos: _Optional[int] = ..., flows: _Optional[_Iterable[_Union[_metadata_pb2.FlowMetadata, _Mapping]]] = ..., assets: _Optional[_Iterable[_Union[_metadata_pb2.DataAssetMetadata, _Mapping]]] = ...) -> None: ...

class PushBatchResponse(_message.Message):
    __slots__ = ("batch_id", "duplicate", "accepted_flows", "accepted_assets")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FLOWS_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_ASSETS_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    duplicate: bool
    accepted_flows: int
    accepted_assets: int
    def __init__(self, batch_id: _Optional[str] = ..., duplicate: _Optional[bool] = ..., accepted_flows: _Optional[int] = ..., accepted_assets: _Optional[int] = ...) -> None: ...

class NodeHealth(_message.Message):
    __slots__ = ("node", "last_seen_unix_nanos", "counters", "interfaces", "uninspected")
    class CountersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    NODE_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    INTERFACES_FIELD_NUMBER: _ClassVar[int]
    UNINSPECTED_FIELD_NUMBER: _ClassVar[int]
    node: str
    last_seen_unix_nanos: int
    counters: _containers.ScalarMap[str, int]
    interfaces: _containers.RepeatedScalarFieldContainer[str]
    uninspected: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.UninspectedFlows]
    def __init__(self, node: _Optional[str] = ..., last_seen_unix_nanos: _Optional[int] = ..., counters: _Optional[_Mapping[str, int]] = ..., interfaces: _Optional[_Iterable[str]] = ..., uninspected: _Optional[_Iterable[_Union[_metadata_pb2.UninspectedFlows, _Mapping]]] = ...) -> None: ...

class HeartbeatRequest(_message.Message):
    __slots__ = ("sensor_id", "cluster_name", "sensor_kind", "version", "unix_nanos", "counters", "nodes")
    class CountersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    SENSOR_ID_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_NAME_FIELD_NUMBER: _ClassVar[int]
    SENSOR_KIND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    sensor_id: str
    cluster_name: str
    sensor_kind: SensorKind
    version: str
    unix_nanos: int
    counters: _containers.ScalarMap[str, int]
    nodes: _containers.RepeatedCompositeFieldContainer[NodeHealth]
    def __init__(self, sensor_id: _Optional[str] = ..., cluster_name: _Optional[str] = ..., sensor_kind: _Optional[_Union[SensorKind, str]] = ..., version: _Optional[str] = ..., unix_nanos: _Optional[int] = ..., counters: _Optional[_Mapping[str, int]] = ..., nodes: _Optional[_Iterable[_Union[NodeHealth, _Mapping]]] = ...) -> None: ...

class HeartbeatResponse(_message.Message):
    __slots__ = ("server_unix_nanos",)
    SERVER_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    server_unix_nanos: int
    def __init__(self, server_unix_nanos: _Optional[int] = ...) -> None: ...
