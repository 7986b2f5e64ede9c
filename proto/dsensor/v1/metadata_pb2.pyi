from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Sensitivity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SENSITIVITY_UNSPECIFIED: _ClassVar[Sensitivity]
    SENSITIVITY_LOW: _ClassVar[Sensitivity]
    SENSITIVITY_MEDIUM: _ClassVar[Sensitivity]
    SENSITIVITY_HIGH: _ClassVar[Sensitivity]

class Category(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CATEGORY_UNSPECIFIED: _ClassVar[Category]
    CATEGORY_PERSONAL: _ClassVar[Category]
    CATEGORY_PAYMENT: _ClassVar[Category]
    CATEGORY_HEALTH: _ClassVar[Category]
    CATEGORY_CREDENTIALS: _ClassVar[Category]

class JsonType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JSON_TYPE_UNSPECIFIED: _ClassVar[JsonType]
    JSON_TYPE_STRING: _ClassVar[JsonType]
    JSON_TYPE_NUMBER: _ClassVar[JsonType]
    JSON_TYPE_BOOLEAN: _ClassVar[JsonType]
    JSON_TYPE_NULL: _ClassVar[JsonType]
    JSON_TYPE_OBJECT: _ClassVar[JsonType]
    JSON_TYPE_ARRAY: _ClassVar[JsonType]

class AssetKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ASSET_KIND_UNSPECIFIED: _ClassVar[AssetKind]
    ASSET_KIND_WORKLOAD: _ClassVar[AssetKind]
    ASSET_KIND_SERVICE: _ClassVar[AssetKind]
    ASSET_KIND_EXTERNAL: _ClassVar[AssetKind]
    ASSET_KIND_DATA_STORE: _ClassVar[AssetKind]
    ASSET_KIND_UNKNOWN_ADDRESS: _ClassVar[AssetKind]

class UninspectedReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNINSPECTED_REASON_UNSPECIFIED: _ClassVar[UninspectedReason]
    UNINSPECTED_REASON_TLS: _ClassVar[UninspectedReason]
    UNINSPECTED_REASON_HTTP2: _ClassVar[UninspectedReason]
    UNINSPECTED_REASON_GRPC: _ClassVar[UninspectedReason]
    UNINSPECTED_REASON_UNKNOWN_PROTOCOL: _ClassVar[UninspectedReason]
SENSITIVITY_UNSPECIFIED: Sensitivity
SENSITIVITY_LOW: Sensitivity
SENSITIVITY_MEDIUM: Sensitivity
SENSITIVITY_HIGH: Sensitivity
CATEGORY_UNSPECIFIED: Category
CATEGORY_PERSONAL: Category
CATEGORY_PAYMENT: Category
CATEGORY_HEALTH: Category
CATEGORY_CREDENTIALS: Category
JSON_TYPE_UNSPECIFIED: JsonType
JSON_TYPE_STRING: JsonType
JSON_TYPE_NUMBER: JsonType
JSON_TYPE_BOOLEAN: JsonType
JSON_TYPE_NULL: JsonType
JSON_TYPE_OBJECT: JsonType
JSON_TYPE_ARRAY: JsonType
ASSET_KIND_UNSPECIFIED: AssetKind
ASSET_KIND_WORKLOAD: AssetKind
ASSET_KIND_SERVICE: AssetKind
ASSET_KIND_EXTERNAL: AssetKind
ASSET_KIND_DATA_STORE: AssetKind
ASSET_KIND_UNKNOWN_ADDRESS: AssetKind
UNINSPECTED_REASON_UNSPECIFIED: UninspectedReason
UNINSPECTED_REASON_TLS: UninspectedReason
UNINSPECTED_REASON_HTTP2: UninspectedReason
UNINSPECTED_REASON_GRPC: UninspectedReason
UNINSPECTED_REASON_UNKNOWN_PROTOCOL: UninspectedReason

class DataTypeFinding(_message.Message):
    __slots__ = ("type_id", "confidence", "sensitivity", "category", "reasons")
    TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SENSITIVITY_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    type_id: str
    confidence: float
    sensitivity: Sensitivity
    category: Category
    reasons: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, type_id: _Optional[str] = ..., confidence: _Optional[float] = ..., sensitivity: _Optional[_Union[Sensitivity, str]] = ..., category: _Optional[_Union[Category, str]] = ..., reasons: _Optional[_Iterable[str]] = ...) -> None: ...

class Field(_message.Message):
    __slots__ = ("path", "json_types", "data_types", "seen", "masked_shape")
    PATH_FIELD_NUMBER: _ClassVar[int]
    JSON_TYPES_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPES_FIELD_NUMBER: _ClassVar[int]
    SEEN_FIELD_NUMBER: _ClassVar[int]
    MASKED_SHAPE_FIELD_NUMBER: _ClassVar[int]
    path: str
    json_types: _containers.RepeatedScalarFieldContainer[JsonType]
    data_types: _containers.RepeatedCompositeFieldContainer[DataTypeFinding]
    seen: int
    masked_shape: str
    def __init__(self, path: _Optional[str] = ..., json_types: _Optional[_Iterable[_Union[JsonType, str]]] = ..., data_types: _Optional[_Iterable[_Union[DataTypeFinding, _Mapping]]] = ..., seen: _Optional[int] = ..., masked_shape: _Optional[str] = ...) -> None: ...

class FieldSchema(_message.Message):
    __slots__ = ("content_type", "fields")
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    fields: _containers.RepeatedCompositeFieldContainer[Field]
    def __init__(self, content_type: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ...) -> None: ...

class Asset(_message.Message):
    __slots__ = ("kind", "name", "namespace", "workload_kind", "cluster", "labels", "external")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NAMESPACE_FIELD_NUMBER: _ClassVar[int]
    WORKLOAD_KIND_FIELD_NUMBER: _ClassVar[int]
    CLUSTER_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    kind: AssetKind
    name: str
    namespace: str
    workload_kind: str
    cluster: str
    labels: _containers.ScalarMap[str, str]
    external: bool
    def __init__(self, kind: _Optional[_Union[AssetKind, str]] = ..., name: _Optional[str] = ..., namespace: _Optional[str] = ..., workload_kind: _Optional[str] = ..., cluster: _Optional[str] = ..., labels: _Optional[_Mapping[str, str]] = ..., external: _Optional[bool] = ...) -> None: ...

class Endpoint(_message.Message):
    __slots__ = ("method", "host", "path_template", "port")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    PATH_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    method: str
    host: str
    path_template: str
    port: int
    def __init__(self, method: _Optional[str] = ..., host: _Optional[str] = ..., path_template: _Optional[str] = ..., port: _Optional[int] = ...) -> None: ...

class FlowMetadata(_message.Message):
    __slots__ = ("source", "destination", "endpoint", "request", "response", "statuses", "observed", "analysed", "first_seen_unix_nanos", "last_seen_unix_nanos")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_FIELD_NUMBER: _ClassVar[int]
    ANALYSED_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEEN_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEEN_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    source: Asset
    destination: Asset
    endpoint: Endpoint
    request: FieldSchema
    response: FieldSchema
    statuses: _containers.RepeatedScalarFieldContainer[int]
    observed: int
    analysed: int
    first_seen_unix_nanos: int
    last_seen_unix_nanos: int
    def __init__(self, source: _Optional[_Union[Asset, _Mapping]] = ..., destination: _Optional[_Union[Asset, _Mapping]] = ..., endpoint: _Optional[_Union[Endpoint, _Mapping]] = ..., request: _Optional[_Union[FieldSchema, _Mapping]] = ..., response: _Optional[_Union[FieldSchema, _Mapping]] = ..., statuses: _Optional[_Iterable[int]] = ..., observed: _Optional[int] = ..., analysed: _Optional[int] = ..., first_seen_unix_nanos: _Optional[int] = ..., last_seen_unix_nanos: _Optional[int] = ...) -> None: ...

class DataAssetMetadata(_message.Message):
    __slots__ = ("source", "instance", "asset", "sampled", "fields", "scanned_unix_nanos", "errors", "estimated_records", "size_bytes", "bytes_read", "objects", "partitions")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_FIELD_NUMBER: _ClassVar[int]
    ASSET_FIELD_NUMBER: _ClassVar[int]
    SAMPLED_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    SCANNED_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_RECORDS_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    BYTES_READ_FIELD_NUMBER: _ClassVar[int]
    OBJECTS_FIELD_NUMBER: _ClassVar[int]
    PARTITIONS_FIELD_NUMBER: _ClassVar[int]
    source: str
    instance: str
    asset: str
    sampled: int
    fields: _containers.RepeatedCompositeFieldContainer[Field]
    scanned_unix_nanos: int
    errors: _containers.RepeatedScalarFieldContainer[str]
    estimated_records: int
    size_bytes: int
    bytes_read: int
    objects: int
    partitions: int
    def __init__(self, source: _Optional[str] = ..., instance: _Optional[str] = ..., asset: _Optional[str] = ..., sampled: _Optional[int] = ..., fields: _Optional[_Iterable[_Union[Field, _Mapping]]] = ..., scanned_unix_nanos: _Optional[int] = ..., errors: _Optional[_Iterable[str]] = ..., estimated_records: _Optional[int] = ..., size_bytes: _Optional[int] = ..., bytes_read: _Optional[int] = ..., objects: _Optional[int] = ..., partitions: _Optional[int] = ...) -> None: ...

class UninspectedFlows(_message.Message):
    __slots__ = ("source_ip", "destination_ip", "destination_port", "reason", "connections", "bytes")
    SOURCE_IP_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_IP_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_PORT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CONNECTIONS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    source_ip: str
    destination_ip: str
    destination_port: int
    reason: UninspectedReason
    connections: int
    bytes: int
    def __init__(self, source_ip: _Optional[str] = ..., destination_ip: _Optional[str] = ..., destination_port: _Optional[int] = ..., reason: _Optional[_Union[UninspectedReason, str]] = ..., connections: _Optional[int] = ..., bytes: _Optional[int] = ...) -> None: ...
