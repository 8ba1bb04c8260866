"""Outbound address guard (SSRF), shared by endpoint probes and webhooks.

A URL is checked on the addresses its host actually resolves to, and the connection is then
made to one of those checked addresses (never re-resolved), so DNS tricks cannot swap in a
private address between the check and the connect.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["BlockedAddress", "ConnectFailed", "GuardedTarget", "NetGuard", "Resolver",
           "TlsFailed", "open_guarded", "system_resolver"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Names that mean "the cloud metadata service" whatever they resolve to.
METADATA_NAMES = frozenset({"metadata", "metadata.google.internal", "instance-data",
                            "instance-data.ec2.internal", "metadata.azure.internal"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_6TO4 = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


class BlockedAddress(Exception):
    """The URL is not allowed; the message says why and how to allow it."""


@dataclass(frozen=True)
class GuardedTarget:
    """A checked URL: where to connect and what to call the host."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (IPv4 and IPv6), as the OS resolver sees them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    # IPv4-compatible (deprecated ::a.b.c.d)
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def _why_blocked(ip: IPAddress) -> str | None:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        if inner is not None:
            why = _why_blocked(inner)
            return f"{why} (embedded in {ip})" if why else None
        if ip in _6TO4 or ip in _TEREDO:
            return "a tunnelling address"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata lives here)"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "carrier-grade NAT"
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return "not a unicast internet address"
    if not ip.is_global:
        return "not globally routable"
    return None


class NetGuard:
    """Decides which outbound URLs gcmap may call.

    Args:
        allow_cidrs: ranges explicitly allowed despite the rules (``GCMAP_OUTBOUND_ALLOW_CIDRS``),
            e.g. ``["127.0.0.0/8"]`` for local receivers.
        resolver: ``(host, port) -> addresses``; the system resolver by default.
    """

    def __init__(self, allow_cidrs: Iterable[str] = (), resolver: Resolver | None = None,
                 ) -> None:
        try:
            self.allow = [ipaddress.ip_network(c.strip(), strict=False)
                          for c in allow_cidrs if c.strip()]
        except ValueError as exc:
            raise ValueError(f"GCMAP_OUTBOUND_ALLOW_CIDRS has an invalid range: {exc}") from exc
        self.resolver = resolver or system_resolver

    def _allowed(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.allow)

    def check(self, url: str) -> GuardedTarget:
        """Parse, resolve and check ``url``; returns where to connect.

        Raises:
            BlockedAddress: a bad URL, or any resolved address that is not allowed.
            OSError: the host does not resolve (``socket.gaierror``).
        """
        try:
            parts = urlsplit(url)
            hostname = parts.hostname
        except ValueError as exc:  # e.g. an unbalanced IPv6 bracket
            raise BlockedAddress(f"{url[:80]!r}: not a valid URL ({exc})") from exc
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(f"{url!r}: only http and https URLs can be called")
        if "@" in parts.netloc:
            raise BlockedAddress(f"{url!r}: URLs with user info are refused")
        host = (hostname or "").rstrip(".").lower()
        if not host:
            raise BlockedAddress(f"{url!r}: no host")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise BlockedAddress(f"{url!r}: bad port") from exc
        if host in METADATA_NAMES:
            raise BlockedAddress(f"{host} is a cloud metadata service name")
        if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
            raise BlockedAddress(f"{url[:80]!r}: not a valid host name (labels of at most 63 "
                                 "characters, 253 in all)")
        try:
            addresses = self.resolver(host, port)
        except (UnicodeError, ValueError) as exc:
            raise BlockedAddress(f"{host[:80]!r}: not a valid host name ({exc})") from exc
        if not addresses:
            raise BlockedAddress(f"{host} resolves to no address")
        for raw in addresses:
            ip = ipaddress.ip_address(raw.split("%", 1)[0])
            why = _why_blocked(ip)
            if why and not self._allowed(ip):
                raise BlockedAddress(
                    f"{host} resolves to {ip}, a {why} address; outbound calls there are "
                    "refused unless GCMAP_OUTBOUND_ALLOW_CIDRS lists its range")
        return GuardedTarget(parts.scheme, host, port, addresses[0],
                             parts.path or "/")


class ConnectFailed(OSError):
    """The TCP connection to the checked address failed (not a timeout)."""


class TlsFailed(OSError):
    """The TLS handshake or certificate check failed."""


def open_guarded(target: GuardedTarget, timeout: float, ssl_context: ssl.SSLContext,
                 on_connected: Callable[[], None] | None = None) -> socket.socket:
    """Connect to the address the guard checked (never re-resolving), TLS with SNI and
    certificate verification for https.

    Raises:
        TimeoutError: connect or handshake took longer than ``timeout``.
        ConnectFailed: refused, unreachable, reset.
        TlsFailed: the handshake or the certificate failed.
    """
    try:
        sock = socket.create_connection((target.address, target.port), timeout=timeout)
    except TimeoutError:
        raise
    except OSError as exc:
        raise ConnectFailed(str(exc)) from exc
    if on_connected is not None:
        on_connected()
    if target.scheme != "https":
        return sock
    try:
        return ssl_context.wrap_socket(sock, server_hostname=target.host)
    except ssl.SSLError as exc:
        sock.close()
        raise TlsFailed(str(exc)) from exc
    except TimeoutError:
        sock.close()
        raise
    except OSError as exc:
        sock.close()
        raise ConnectFailed(str(exc)) from exc
