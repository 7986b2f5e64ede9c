"""Live capture: one scapy packet socket per interface, a libpcap BPF filter, raw frames only.

Interfaces are chosen from the addresses to monitor (configuration plus the digger's latest
`iplist`): the interface the node routes each address through, or, when that interface is
skipped (a bridge such as `cni0`), every interface that is not. Without addresses every
interface except the skip list is read. Frames are read without scapy dissection
(`live_recv.receive`: one `recvmsg_into` per frame) in batches from non-blocking sockets; the
kernel's own drop counts come from `PACKET_STATISTICS`. An interface that fails is closed,
counted and retried on the next refresh.
"""

from __future__ import annotations

import importlib
import ipaddress
import logging
import selectors
import socket
import struct
from collections.abc import Iterable
from typing import Any

from sensor_core.logs import get_logger
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.frames import LINKTYPE_ETHERNET, LINKTYPE_RAW
from sensor_dim.interceptor.live_recv import receive
from sensor_dim.interceptor.pcap_file import RawFrame
from sensor_dim.interceptor.settings import CaptureSettings

log = get_logger("dsensor.interceptor.live")

SOL_PACKET = 263
PACKET_STATISTICS = 6
_STATS = struct.Struct("II")
# ARPHRD_* hardware types -> the link type of the frames the packet socket returns
_LINKTYPES = {
    1: LINKTYPE_ETHERNET,  # Ethernet, veth
    772: LINKTYPE_ETHERNET,  # loopback (zeroed Ethernet header)
    768: LINKTYPE_RAW,  # IPIP tunnel
    776: LINKTYPE_RAW,  # SIT tunnel
    65534: LINKTYPE_RAW,  # no header (WireGuard, tun)
}


def system_interfaces() -> list[str]:
    return [name for _index, name in socket.if_nameindex()]


def _routes() -> Any:
    """scapy's configuration with its IPv4 and IPv6 routing tables loaded."""
    # imported for their side effect: they fill conf.route and conf.route6
    importlib.import_module("scapy.route")
    importlib.import_module("scapy.route6")
    from scapy.config import conf

    return conf


def route_interface(address: str) -> str | None:
    """The interface this host sends to `address` through (scapy's routing table)."""
    conf = _routes()

    try:
        ip = ipaddress.ip_address(address)
        table = conf.route if ip.version == 4 else conf.route6
        iface = table.route(str(ip))[0]
    except (ValueError, OSError):
        return None
    name = str(getattr(iface, "network_name", iface) or "")
    return name or None


def refresh_routes() -> None:
    conf = _routes()
    conf.route.resync()
    conf.route6.resync()


def choose_interfaces(
    settings: CaptureSettings, addresses: Iterable[str], available: list[str]
) -> list[str]:
    """The interfaces to read, in a stable order."""
    if settings.interfaces:
        return [name for name in settings.interfaces if name in available]
    skipped = set(settings.skipinterfaces)
    candidates = [name for name in available if name not in skipped]
    wanted: set[str] = set()
    for address in addresses:
        name = route_interface(address)
        if name is None or name in skipped or name not in available:
            return sorted(candidates)  # behind a bridge or unknown: read every pod interface
        wanted.add(name)
    return sorted(wanted) if wanted else sorted(candidates)


class LiveCapture:
    """The open capture sockets; `read` returns the frames that are ready."""

    def __init__(self, settings: CaptureSettings, counters: Counters) -> None:
        self._settings = settings
        self._counters = counters
        self._sockets: dict[str, Any] = {}
        self._linktypes: dict[str, int] = {}
        self._indexes: dict[str, int] = {}
        self._selector = selectors.DefaultSelector()
        self._buffer = bytearray(settings.snaplen)  # every socket's frames are read into it

    @property
    def interfaces(self) -> list[str]:
        return sorted(self._sockets)

    def reconcile(self, wanted: list[str]) -> None:
        """Open sockets for new interfaces and close those no longer wanted."""
        for name in [n for n in self._sockets if n not in wanted]:
            self._close(name)
        for name in wanted:
            if name not in self._sockets:
                self._open(name)

    def _open(self, name: str) -> None:
        from scapy.arch.linux import L2ListenSocket
        from scapy.error import Scapy_Exception

        # scapy warns when it cannot name an interface's layer type; we never dissect
        logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

        try:
            sock = L2ListenSocket(iface=name, filter=self._settings.filter, promisc=False)
        except (OSError, Scapy_Exception, ImportError) as exc:
            self._counters.inc("capture_errors")
            log.warning("capture_open_failed", interface=name, error=type(exc).__name__)
            return
        hatype = sock.ins.getsockname()[3]
        linktype = _LINKTYPES.get(hatype)
        if linktype is None:
            sock.close()
            log.info("capture_interface_skipped", interface=name, hardware_type=hatype)
            return
        try:
            sock.ins.setsockopt(socket.SOL_SOCKET, 33, self._settings.socketbuffer)  # FORCE
        except OSError:
            sock.ins.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self._settings.socketbuffer)
        sock.ins.setblocking(False)
        self._kernel_stats(sock)  # reading resets them: start from zero
        self._sockets[name] = sock
        self._linktypes[name] = linktype
        self._indexes[name] = socket.if_nametoindex(name)
        self._selector.register(sock.ins, selectors.EVENT_READ, name)
        log.info("capture_opened", interface=name, linktype=linktype)

    def _close(self, name: str) -> None:
        sock = self._sockets.pop(name)
        self._kernel_stats(sock)
        self._selector.unregister(sock.ins)
        sock.close()
        log.info("capture_closed", interface=name)

    def read(self, timeout: float, budget: int) -> list[RawFrame]:
        """Frames ready within `timeout` seconds, at most about `budget` of them."""
        frames: list[RawFrame] = []
        if not self._sockets:
            return frames
        values = self._counters.values
        for key, _events in self._selector.select(timeout):
            name = key.data
            sock = self._sockets.get(name)
            if sock is None:
                continue
            linktype, index = self._linktypes[name], self._indexes[name]
            share = max(1, budget // max(1, len(self._sockets)))
            received: list[tuple[int, bytes]] = []
            try:
                receive(sock.ins, self._buffer, share, received)
            except OSError as exc:  # the interface went away
                self._counters.inc("capture_errors")
                log.warning("capture_read_failed", interface=name, error=type(exc).__name__)
                self._close(name)
            for stamp, data in received:
                values["packets"] += 1
                values["bytes"] += len(data)
                frames.append(RawFrame(stamp, linktype, data, index))
        return frames

    def _kernel_stats(self, sock: Any) -> None:
        try:
            raw = sock.ins.getsockopt(SOL_PACKET, PACKET_STATISTICS, _STATS.size)
        except OSError:
            return
        packets, drops = _STATS.unpack(raw)
        self._counters.inc("kernel_packets", packets)
        self._counters.inc("kernel_drops", drops)

    def update_kernel_counters(self) -> None:
        for sock in self._sockets.values():
            self._kernel_stats(sock)

    def close(self) -> None:
        for name in list(self._sockets):
            self._close(name)
        self._selector.close()
