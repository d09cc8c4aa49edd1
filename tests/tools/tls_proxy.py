"""A local HTTPS-intercepting proxy on 127.0.0.1, so a library that hard-codes an https URL
(ddgs: `https://html.duckduckgo.com/html/`) runs unchanged against pages a test serves.

The library is pointed at it the ordinary way (its proxy setting, e.g. `DDGS_PROXY`); the proxy
answers `CONNECT host:443` for the hosts it serves, then speaks TLS with a certificate for that
host from a throwaway `trustme` CA (the client trusts it via `PRIMP_CA_BUNDLE`). Other hosts get
403 at CONNECT, so nothing leaves the machine.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme


@dataclass
class Seen:
    """One request the proxy served (or refused)."""

    host: str
    method: str
    path: str
    body: bytes


# (host, method, path, body) -> (status, content type, body)
Site = Callable[[str, str, str, bytes], "tuple[int, str, bytes]"]


@dataclass
class Proxy:
    url: str
    ca_file: Path
    seen: list[Seen] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, *args: object) -> None:
        pass

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0]
        if host not in self.server.hosts:
            self.server.proxy.refused.append(host)
            self.send_error(403, "not served here")
            self.close_connection = True
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        tls = self.server.contexts[host].wrap_socket(self.connection, server_side=True)
        self._tls = tls
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self._host = host
        self.close_connection = False
        while not self.close_connection:
            self.handle_one_request()
        self.close_connection = True

    def finish(self) -> None:
        super().finish()
        if tls := getattr(self, "_tls", None):
            tls.close()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        host: str = getattr(self, "_host", "")
        self.server.proxy.seen.append(Seen(host, self.command, self.path, body))
        status, ctype, payload = self.server.site(host, self.command, self.path, body)
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve


@contextmanager
def tls_proxy(hosts: list[str], site: Site, tmp: Path) -> Iterator[Proxy]:
    """Serve `site` for `hosts` over TLS behind a CONNECT proxy on 127.0.0.1."""
    ca = trustme.CA()
    ca_file = tmp / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    contexts: dict[str, ssl.SSLContext] = {}
    for host in hosts:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.set_alpn_protocols(["http/1.1"])
        ca.issue_cert(host).configure_cert(ctx)
        contexts[host] = ctx
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    proxy = Proxy(url=f"http://127.0.0.1:{srv.server_address[1]}", ca_file=ca_file)
    srv.hosts = set(hosts)  # type: ignore[attr-defined]
    srv.contexts = contexts  # type: ignore[attr-defined]
    srv.site = site  # type: ignore[attr-defined]
    srv.proxy = proxy  # type: ignore[attr-defined]
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()
