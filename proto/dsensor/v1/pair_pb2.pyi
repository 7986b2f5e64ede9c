from dsensor.v1 import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MessageFlag(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MESSAGE_FLAG_UNSPECIFIED: _ClassVar[MessageFlag]
    MESSAGE_FLAG_TRUNCATED: _ClassVar[MessageFlag]
    MESSAGE_FLAG_GAP: _ClassVar[MessageFlag]
    MESSAGE_FLAG_BAD_CONTENT_LENGTH: _ClassVar[MessageFlag]
    MESSAGE_FLAG_BAD_CHUNKING: _ClassVar[MessageFlag]
    MESSAGE_FLAG_DECOMPRESSION_FAILED: _ClassVar[MessageFlag]
    MESSAGE_FLAG_DECOMPRESSION_CAPPED: _ClassVar[MessageFlag]
    MESSAGE_FLAG_OBSOLETE_FOLDING: _ClassVar[MessageFlag]
    MESSAGE_FLAG_INCOMPLETE: _ClassVar[MessageFlag]
MESSAGE_FLAG_UNSPECIFIED: MessageFlag
MESSAGE_FLAG_TRUNCATED: MessageFlag
MESSAGE_FLAG_GAP: MessageFlag
MESSAGE_FLAG_BAD_CONTENT_LENGTH: MessageFlag
MESSAGE_FLAG_BAD_CHUNKING: MessageFlag
MESSAGE_FLAG_DECOMPRESSION_FAILED: MessageFlag
MESSAGE_FLAG_DECOMPRESSION_CAPPED: MessageFlag
MESSAGE_FLAG_OBSOLETE_FOLDING: MessageFlag
MESSAGE_FLAG_INCOMPLETE: MessageFlag

class SocketAddress(_message.Message):
    __slots__ = ("ip", "port")
    IP_FIELD_NUMBER: _ClassVar[int]
    PORT_FIELD_NUMBER: _ClassVar[int]
    ip: str
    port: int
    def __init__(self, ip: _Optional[str] = ..., port: _Optional[int] = ...) -> None: ...

class Header(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class HttpMessage(_message.Message):
    __slots__ = ("headers", "body", "body_wire_length", "content_type", "flags", "first_byte_unix_nanos", "last_byte_unix_nanos")
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    BODY_WIRE_LENGTH_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FLAGS_FIELD_NUMBER: _ClassVar[int]
    FIRST_BYTE_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    LAST_BYTE_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    headers: _containers.RepeatedCompositeFieldContainer[Header]
    body: bytes
    body_wire_length: int
    content_type: str
    flags: _containers.RepeatedScalarFieldContainer[MessageFlag]
    first_byte_unix_nanos: int
    last_byte_unix_nanos: int
    def __init__(self, headers: _Optional[_Iterable[_Union[Header, _Mapping]]] = ..., body: _Optional[bytes] = ..., body_wire_length: _Optional[int] = ..., content_type: _Optional[str] = ..., flags: _Optional[_Iterable[_Union[MessageFlag, str]]] = ..., first_byte_unix_nanos: _Optional[int] = ..., last_byte_unix_nanos: _Optional[int] = ...) -> None: ...

class HttpRequest(_message.Message):
    __slots__ = ("method", "target", "version", "message")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    method: str
    target: str
    version: str
    message: HttpMessage
    def __init__(self, method: _Optional[str] = ..., target: _Optional[str] = ..., version: _Optional[str] = ..., message: _Optional[_Union[HttpMessage, _Mapping]] = ...) -> None: ...

class HttpResponse(_message.Message):
    __slots__ = ("status", "reason", "version", "message")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    status: int
    reason: str
    version: str
    message: HttpMessage
    def __init__(self, status: _Optional[int] = ..., reason: _Optional[str] = ..., version: _Optional[str] = ..., message: _Optional[_Union[HttpMessage, _Mapping]] = ...) -> None: ...

class HttpPair(_message.Message):
    __slots__ = ("source", "destination", "request", "response", "node", "interface", "unix_nanos", "unanswered")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    INTERFACE_FIELD_NUMBER: _ClassVar[int]
    UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    UNANSWERED_FIELD_NUMBER: _ClassVar[int]
    source: SocketAddress
    destination: SocketAddress
    request: HttpRequest
    response: HttpResponse
    node: str
    interface: str
    unix_nanos: int
    unanswered: bool
    def __init__(self, source: _Optional[_Union[SocketAddress, _Mapping]] = ..., destination: _Optional[_Union[SocketAddress, _Mapping]] = ..., request: _Optional[_Union[HttpRequest, _Mapping]] = ..., response: _Optional[_Union[HttpResponse, _Mapping]] = ..., node: _Optional[str] = ..., interface: _Optional[str] = ..., unix_nanos: _Optional[int] = ..., unanswered: _Optional[bool] = ...) -> None: ...

class IpList(_message.Message):
    __slots__ = ("node", "addresses", "generated_unix_nanos", "version")
    NODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    GENERATED_UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    node: str
    addresses: _containers.RepeatedScalarFieldContainer[str]
    generated_unix_nanos: int
    version: int
    def __init__(self, node: _Optional[str] = ..., addresses: _Optional[_Iterable[str]] = ..., generated_unix_nanos: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class InterceptorHeartbeat(_message.Message):
    __slots__ = ("node", "sensor_id", "unix_nanos", "interfaces", "counters", "uninspected")
    class CountersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    NODE_FIELD_NUMBER: _ClassVar[int]
    SENSOR_ID_FIELD_NUMBER: _ClassVar[int]
    UNIX_NANOS_FIELD_NUMBER: _ClassVar[int]
    INTERFACES_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    UNINSPECTED_FIELD_NUMBER: _ClassVar[int]
    node: str
    sensor_id: str
    unix_nanos: int
    interfaces: _containers.RepeatedScalarFieldContainer[str]
    counters: _containers.ScalarMap[str, int]
    uninspected: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.UninspectedFlows]
    def __init__(self, node: _Optional[str] = ..., sensor_id: _Optional[str] = ..., unix_nanos: _Optional[int] = ..., interfaces: _Optional[_Iterable[str]] = ..., counters: _Optional[_Mapping[str, int]] = ..., uninspected: _Optional[_Iterable[_Union[_metadata_pb2.UninspectedFlows, _Mapping]]] = ...) -> None: ...
