"""Endpoint probes against local servers, and the SSRF guard's refusal matrix."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gcmap.adapters.netguard import BlockedAddress, NetGuard, system_resolver
from gcmap.adapters.probe import Prober
from gcmap.domain.endpoints import data_action_origins, origin_of, probe_findings
from gcmap.services.probing import probe_endpoints
from gcsim import generate_org


class Listener:
    """A loopback TCP server whose behaviour per connection is set by ``mode``."""

    def __init__(self, mode: str, delay: float = 0.0) -> None:
        self.mode, self.delay = mode, delay
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                conn.recv(4096)
            except OSError:
                return
            if self.mode == "never":
                self.stop.wait(10)
                return
            time.sleep(self.delay)
            status = {"ok": "200 OK", "slow": "200 OK", "error": "503 Service Unavailable",
                      "redirect": "302 Found"}[self.mode]
            extra = "Location: https://elsewhere.example/\r\n" if self.mode == "redirect" else ""
            with contextlib.suppress(OSError):
                conn.sendall(f"HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\n"
                             "Connection: close\r\n\r\n".encode())

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture()
def listeners() -> Iterator[dict[str, Listener]]:
    ls = {m: Listener(m, 0.4 if m == "slow" else 0.0)
          for m in ("ok", "slow", "error", "never", "redirect")}
    yield ls
    for listener in ls.values():
        listener.close()


def _resolver(mapping: dict[str, list[str]]) -> Any:
    def resolve(host: str, port: int) -> list[str]:
        if host in mapping:
            return mapping[host]
        return system_resolver(host, port)
    return resolve


def test_probes_classify_each_behaviour_within_bounded_time(
        listeners: dict[str, Listener]) -> None:
    names = {f"{m}.test": ["127.0.0.1"] for m in listeners}
    prober = Prober(NetGuard(["127.0.0.0/8"], _resolver(names)), timeout=0.5, attempts=3)
    urls = [f"http://{m}.test:{listener.port}" for m, listener in listeners.items()]
    urls.append("http://unresolvable.invalid:80")
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()
    urls.append(f"http://127.0.0.1:{dead_port}")
    t0 = time.monotonic()
    results = {r.url: r for r in prober.probe_all(urls)}
    elapsed = time.monotonic() - t0
    by_mode = {m: results[f"http://{m}.test:{listeners[m].port}"] for m in listeners}
    assert by_mode["ok"].ok and by_mode["ok"].error is None and by_mode["ok"].status == 200
    assert len(by_mode["ok"].total_ms) == 3
    assert by_mode["slow"].ok and by_mode["slow"].summary()["totalMsP50"] >= 400
    assert by_mode["error"].error == "http" and by_mode["error"].status == 503
    assert by_mode["never"].error == "timeout"
    assert by_mode["redirect"].error == "redirect" and by_mode["redirect"].ok
    assert listeners["redirect"].accepted == 3  # redirects are never followed elsewhere
    assert results["http://unresolvable.invalid:80"].error == "dns"
    assert results[f"http://127.0.0.1:{dead_port}"].error == "connect"
    assert elapsed < 5  # three never-answering attempts at 0.5 s, in parallel with the rest


def _self_signed(tmp: Any) -> tuple[str, str]:
    """A certificate for 127.0.0.1 that no trust store knows."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
                ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_a_certificate_no_trust_store_knows_is_refused(tmp_path: Any) -> None:
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Ok(BaseHTTPRequestHandler):
        def log_message(self, *a: Any) -> None:
            return

        def do_HEAD(self) -> None:
            self.send_response(200)
            self.end_headers()

    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}"
    try:
        refused = Prober(NetGuard(["127.0.0.0/8"]), timeout=2, attempts=1).probe(url)
        trusting = ssl.create_default_context(cafile=cert)
        accepted = Prober(NetGuard(["127.0.0.0/8"]), timeout=2, attempts=1,
                          ssl_context=trusting).probe(url)
    finally:
        server.shutdown()
    assert refused.error == "tls" and "CERTIFICATE_VERIFY_FAILED" in refused.detail
    assert accepted.error is None and accepted.status == 200  # the same server, trusted


def test_plain_http_where_tls_was_expected_never_passes(listeners: dict[str, Listener],
                                                        ) -> None:
    prober = Prober(NetGuard(["127.0.0.0/8"]), timeout=1, attempts=1)
    r = prober.probe(f"https://127.0.0.1:{listeners['ok'].port}")
    assert r.error == "tls" and r.ok is False


def test_findings_slow_unreachable_and_cross_region() -> None:
    summaries = [
        {"url": "https://a.execute-api.eu-west-1.amazonaws.com", "host":
         "a.execute-api.eu-west-1.amazonaws.com", "ok": True, "error": None, "detail": "",
         "totalMsP95": 1500.0},
        {"url": "https://b.example.com", "host": "b.example.com", "ok": False,
         "error": "timeout", "detail": "response", "totalMsP95": None}]
    users = {"https://b.example.com": ["data_action:x"]}
    found = probe_findings(summaries, users, "us-east-1", 1000)
    rules = sorted(f.rule for f in found)
    assert rules == ["failover.endpoint-cross-region", "failover.endpoint-slow",
                     "failover.endpoint-unreachable"]
    unreachable = next(f for f in found if f.rule == "failover.endpoint-unreachable")
    assert unreachable.nodes == ("data_action:x",)


def test_origins_drop_placeholders_and_paths() -> None:
    assert origin_of("https://crm.example.com/v1/${input.id}?q=1") == "https://crm.example.com"
    assert origin_of("https://${input.host}/v1") is None
    assert origin_of("ftp://x") is None
    org = generate_org("small", 1)
    origins = data_action_origins(org)
    assert "https://crm.example.com" in origins
    assert sum(len(v) for v in origins.values()) == len(org["/api/v2/integrations/actions"])


def test_probe_service_probes_origins_and_the_region_api_host(
        listeners: dict[str, Listener]) -> None:
    org = generate_org("tiny", 1)
    port = listeners["ok"].port
    for a in org["/api/v2/integrations/actions"]:
        a["config"]["request"]["requestUrlTemplate"] = f"http://crm.test:{port}/x/${{input.id}}"
    seen: list[str] = []

    class Recording:
        def probe_all(self, urls: Any) -> list[Any]:
            seen.extend(urls)
            guard = NetGuard(["127.0.0.0/8"], _resolver({"crm.test": ["127.0.0.1"]}))
            return Prober(guard, timeout=0.5, attempts=1).probe_all(
                [u for u in urls if "crm.test" in u])

    findings, summaries = probe_endpoints(org, Recording(), environment="mypurecloud.ie",
                                          failover_regions=["eu-central-1"])
    assert f"http://crm.test:{port}" in seen
    assert "https://api.mypurecloud.ie" in seen and "https://api.mypurecloud.de" in seen
    assert summaries[0]["ok"] and findings == []


SSRF_FORMS = [
    "http://127.0.0.1:{p}/", "http://localhost:{p}/", "http://2130706433:{p}/",
    "http://0177.0.0.1:{p}/", "http://0x7f.0.0.1:{p}/", "http://0x7f000001:{p}/",
    "http://127.1:{p}/", "http://0:{p}/", "http://0.0.0.0:{p}/", "http://[::1]:{p}/",
    "http://[::ffff:127.0.0.1]:{p}/", "http://[::ffff:7f00:1]:{p}/",
    "http://[64:ff9b::7f00:1]:{p}/", "http://[2002:7f00:1::]:{p}/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:{p}/", "http://[::127.0.0.1]:{p}/",
    "http://169.254.169.254:{p}/", "http://[fe80::1]:{p}/", "http://[fd00:ec2::254]:{p}/",
    "http://[fc00::1]:{p}/", "http://[::]:{p}/", "http://metadata.google.internal:{p}/",
    "http://instance-data:{p}/", "http://10.0.0.1:{p}/", "http://172.16.0.1:{p}/",
    "http://192.168.1.1:{p}/", "http://100.64.0.1:{p}/", "http://user:pass@127.0.0.1:{p}/",
    "http://example.com@127.0.0.1:{p}/", "http://internal.test:{p}/",
    "http://rebind.test:{p}/", "http://loopback.test:{p}/", "ftp://127.0.0.1:{p}/",
    "http://127.0.0.1.:{p}/", "http://0x7f.1:{p}/", "https://[::ffff:a9fe:a9fe]:{p}/",
    "http://[:{p}/",
]


def test_ssrf_matrix_refuses_every_form_and_nothing_connects() -> None:
    assert len(SSRF_FORMS) >= 30
    victim = Listener("ok")
    try:
        names = {"internal.test": ["10.1.2.3"], "rebind.test": ["93.184.216.34", "127.0.0.1"],
                 "loopback.test": ["127.0.0.1"]}
        guard = NetGuard([], _resolver(names))
        urls = [f.format(p=victim.port) for f in SSRF_FORMS]
        for url in urls:
            with pytest.raises(BlockedAddress):
                guard.check(url)
        results = Prober(guard, timeout=0.5, attempts=1).probe_all(urls)
        assert all(r.error == "blocked" for r in results), [
            (r.url, r.error) for r in results if r.error != "blocked"]
        time.sleep(0.2)
        assert victim.accepted == 0
    finally:
        victim.close()


def test_allow_list_opens_exactly_the_named_range() -> None:
    guard = NetGuard(["127.0.0.0/8"])
    assert guard.check("http://127.0.0.1:9/").address == "127.0.0.1"
    with pytest.raises(BlockedAddress, match="GCMAP_OUTBOUND_ALLOW_CIDRS"):
        guard.check("http://10.0.0.1:9/")
    with pytest.raises(ValueError, match="GCMAP_OUTBOUND_ALLOW_CIDRS"):
        NetGuard(["not-a-range"])
