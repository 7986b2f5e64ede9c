"""The HTTPS proxy of a gRPC channel, from the environment as other tools read it.

gRPC's core only reads the lower-case `https_proxy` / `no_proxy`; pods often carry only
`HTTPS_PROXY` / `NO_PROXY`. Both spellings are read here (lower case first, as the standard
library does), `no_proxy` entries match a host, a domain suffix (`.svc` covers
`console.ns.svc`), a CIDR range or `*`, and the answer becomes the channel's own proxy option,
so the channel does what the environment says whichever spelling it uses.
"""

from __future__ import annotations

import ipaddress
import urllib.request

ChannelOption = tuple[str, str | int]


def _host(address: str) -> str:
    """`host:port`, `[v6]:port` or a `dns:///` target -> the host name or IP."""
    target = address.split("///", 1)[-1]
    if target.startswith("["):
        return target[1 : target.find("]")]
    host, sep, port = target.rpartition(":")
    return host if sep and port.isdigit() else target


def _bypassed(host: str, no_proxy: str) -> bool:
    """`no_proxy` names `host`: `*`, the host itself, a domain it is in (`.svc` or `svc`), or a
    CIDR range its IP is in (`10.0.0.0/8`). Entries may carry a port, which is ignored."""
    host = host.lower().rstrip(".")
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if entry == "*":
            return True
        if "/" in entry:
            try:
                if ip is not None and ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if entry.startswith("["):  # [v6]:port
            entry = entry[1 : entry.find("]")]
        elif entry.count(":") == 1:  # name:port
            entry = entry.split(":", 1)[0]
        entry = entry.lstrip(".").rstrip(".")
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def proxy_options(address: str) -> list[ChannelOption]:
    """Channel options that send `address` through the environment's HTTPS proxy (gRPC's
    `grpc_proxy` first, then `https_proxy`, then `http_proxy`, either case), or directly when
    none is set or `no_grpc_proxy` / `no_proxy` / `NO_PROXY` names its host, a domain it is in,
    or a CIDR range its IP is in."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get("grpc") or proxies.get("https") or proxies.get("http")
    no_proxy = proxies.get("no_grpc") or proxies.get("no", "")
    if not proxy or _bypassed(_host(address), no_proxy):
        return [("grpc.enable_http_proxy", 0)]
    # `proxy.corp:3128` as well as `http://proxy.corp:3128` (gRPC takes only the URL)
    return [("grpc.http_proxy", proxy if "://" in proxy else "http://" + proxy)]
