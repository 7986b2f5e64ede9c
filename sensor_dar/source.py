"""The base of what a plugin's `open_source` returns: one connected data store."""

from __future__ import annotations

from types import TracebackType

from sensor_dar.model import Connection


class Source:
    """An opened data store. Subclasses hold clients and close them in `close()`."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    @property
    def kind(self) -> str:
        return self.connection.kind

    @property
    def instance(self) -> str:
        return self.connection.instance

    def close(self) -> None:
        """Release connections and clients; called once, also after errors."""

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
