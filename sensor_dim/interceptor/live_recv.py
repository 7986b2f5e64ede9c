"""Reading one packet socket in a tight loop: frame bytes, the kernel's time stamp, VLAN tags.

scapy's `L2ListenSocket` opens the socket (with the BPF filter, `PACKET_AUXDATA` and
`SO_TIMESTAMPNS` enabled); `recv_raw` then costs a ctypes object per frame. `receive` reads the
same ancillary data with `struct` instead: one `recvmsg_into` per frame, the VLAN tag the kernel
stripped put back in front of the Ethernet type (as scapy does), and the kernel's receive time.
"""

from __future__ import annotations

import socket
import struct
import time

SOL_PACKET = 263
PACKET_AUXDATA = 8
SO_TIMESTAMPNS = 35
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6
ETH_P_8021Q = 0x8100
# struct tpacket_auxdata: status, len, snaplen, mac, net, vlan_tci, vlan_tpid
_AUXDATA = struct.Struct("=IIIHHHH")
_TIMESPEC = struct.Struct("=qq")
_TAG = struct.Struct("!HH")
_ANCILLARY_SPACE = socket.CMSG_SPACE(_AUXDATA.size) + socket.CMSG_SPACE(_TIMESPEC.size) + 64


def receive(
    sock: socket.socket, buffer: bytearray, limit: int, out: list[tuple[int, bytes]]
) -> int:
    """Append up to `limit` (time in ns, frame) of a non-blocking socket to `out`.

    Frames are read into `buffer` (snaplen bytes, reused from call to call) and copied out at
    their size: `recvmsg(snaplen)` made a snaplen-sized object per frame and shrank it, and
    the holes it left grew the heap (17 MB more peak memory at 30,000 packets/s once nothing
    else filled them). Returns how many were appended; stops early when nothing more is
    ready. Raises OSError (other than "would block") when the socket fails; frames read
    before stay in `out`.
    """
    recvmsg_into = sock.recvmsg_into
    view = memoryview(buffer)
    buffers = [buffer]
    got = 0
    for _ in range(limit):
        try:
            size, ancillary, _flags, _address = recvmsg_into(buffers, _ANCILLARY_SPACE)
        except BlockingIOError:
            break
        if not size:
            continue
        data = bytes(view[:size])
        stamp = 0
        for level, kind, value in ancillary:
            if level == SOL_PACKET and kind == PACKET_AUXDATA and len(value) >= _AUXDATA.size:
                status, _len, _snap, _mac, _net, tci, tpid = _AUXDATA.unpack_from(value)
                if tci or status & TP_STATUS_VLAN_VALID:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = ETH_P_8021Q
                    data = data[:12] + _TAG.pack(tpid, tci) + data[12:]
            elif (
                level == socket.SOL_SOCKET
                and kind == SO_TIMESTAMPNS
                and len(value) >= _TIMESPEC.size
            ):
                seconds, nanos = _TIMESPEC.unpack_from(value)
                stamp = seconds * 1_000_000_000 + nanos
        out.append((stamp or time.time_ns(), data))
        got += 1
    return got
