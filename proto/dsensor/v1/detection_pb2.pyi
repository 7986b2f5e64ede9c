from dsensor.v1 import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Document(_message.Message):
    __slots__ = ("id", "json", "context", "fields")
    ID_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    json: bytes
    context: str
    fields: _containers.RepeatedCompositeFieldContainer[HttpField]
    def __init__(self, id: _Optional[str] = ..., json: _Optional[bytes] = ..., context: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[HttpField, _Mapping]]] = ...) -> None: ...

class HttpField(_message.Message):
    __slots__ = ("path", "key", "text", "json")
    PATH_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    JSON_FIELD_NUMBER: _ClassVar[int]
    path: str
    key: str
    text: str
    json: bytes
    def __init__(self, path: _Optional[str] = ..., key: _Optional[str] = ..., text: _Optional[str] = ..., json: _Optional[bytes] = ...) -> None: ...

class DetectRequest(_message.Message):
    __slots__ = ("documents", "compact")
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    COMPACT_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    compact: bool
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ..., compact: _Optional[bool] = ...) -> None: ...

class FieldResult(_message.Message):
    __slots__ = ("path", "data_types", "finding_refs")
    PATH_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPES_FIELD_NUMBER: _ClassVar[int]
    FINDING_REFS_FIELD_NUMBER: _ClassVar[int]
    path: str
    data_types: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.DataTypeFinding]
    finding_refs: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, path: _Optional[str] = ..., data_types: _Optional[_Iterable[_Union[_metadata_pb2.DataTypeFinding, _Mapping]]] = ..., finding_refs: _Optional[_Iterable[int]] = ...) -> None: ...

class DocumentResult(_message.Message):
    __slots__ = ("id", "fields", "error")
    ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    id: str
    fields: _containers.RepeatedCompositeFieldContainer[FieldResult]
    error: str
    def __init__(self, id: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FieldResult, _Mapping]]] = ..., error: _Optional[str] = ...) -> None: ...

class DetectResponse(_message.Message):
    __slots__ = ("results", "findings")
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[DocumentResult]
    findings: _containers.RepeatedCompositeFieldContainer[_metadata_pb2.DataTypeFinding]
    def __init__(self, results: _Optional[_Iterable[_Union[DocumentResult, _Mapping]]] = ..., findings: _Optional[_Iterable[_Union[_metadata_pb2.DataTypeFinding, _Mapping]]] = ...) -> None: ...

class DetectRecordsRequest(_message.Message):
    __slots__ = ("id", "records", "context")
    ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    id: str
    records: _containers.RepeatedScalarFieldContainer[bytes]
    context: str
    def __init__(self, id: _Optional[str] = ..., records: _Optional[_Iterable[bytes]] = ..., context: _Optional[str] = ...) -> None: ...

class DetectRecordsResponse(_message.Message):
    __slots__ = ("id", "fields", "records", "invalid_records")
    ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    INVALID_RECORDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    fields: _containers.RepeatedCompositeFieldContainer[FieldResult]
    records: int
    invalid_records: int
    def __init__(self, id: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[FieldResult, _Mapping]]] = ..., records: _Optional[int] = ..., invalid_records: _Optional[int] = ...) -> None: ...
