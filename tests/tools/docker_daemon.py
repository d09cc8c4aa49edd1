"""A fake Docker Engine API on 127.0.0.1, for the real `docker` SDK (`DOCKER_HOST=tcp://...`).

It implements what `DockerOperationToolKit` uses, in the Engine API's shapes: `GET /version`,
`POST /containers/create`, `GET /containers/{id}/json`, `POST /containers/{id}/start|stop`,
`PUT /containers/{id}/archive` (the tar is unpacked and kept), `POST /containers/{id}/exec`,
`POST /exec/{id}/start` (HTTP 101 then multiplexed stdout/stderr frames) and
`GET /exec/{id}/json`. Nothing runs: each command's exit code and output frames are scripted.

The SDK reads an exec's frames straight from the socket after `http.client` parsed the headers,
so bytes that arrived with the headers would be lost in `http.client`'s buffer. The daemon sends
the frames only once a client thread is waiting in `docker.utils.socket.read` (a condition it
polls, bounded), so the test does not depend on timing.
"""

from __future__ import annotations

import io
import json
import re
import struct
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API_VERSION = "1.45"
# One scripted result: exit code and `(stream, bytes)` frames (1 = stdout, 2 = stderr).
Result = tuple[int, list[tuple[int, bytes]]]


@dataclass
class Daemon:
    url: str
    results: dict[tuple[str, ...], Result] = field(default_factory=dict)
    created: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    execs: list[list[str]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # "METHOD /path" without the API version


def _client_waits_on_the_socket() -> bool:
    for frame in sys._current_frames().values():  # pyright: ignore[reportPrivateUsage]
        f: Any = frame
        while f is not None:
            code = f.f_code
            if code.co_name == "read" and code.co_filename.endswith("docker/utils/socket.py"):
                return True
            f = f.f_back
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Any

    def log_message(self, *args: object) -> None:
        pass

    def _json(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> None:
        daemon: Daemon = self.server.daemon
        parts = urlsplit(self.path)
        path = re.sub(rf"^/v{re.escape(API_VERSION)}", "", parts.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        daemon.calls.append(f"{self.command} {path}")
        if path == "/version":
            self._json(200, {"ApiVersion": API_VERSION, "MinAPIVersion": "1.24"})
        elif path == "/containers/create":
            daemon.created.append(json.loads(body))
            self._json(201, {"Id": "c0ffee", "Warnings": []})
        elif path == "/containers/c0ffee/json":
            self._json(200, {"Id": "c0ffee", "Name": "/fake", "State": {"Running": True}})
        elif path in ("/containers/c0ffee/start", "/containers/c0ffee/stop"):
            self._json(204)
        elif path == "/containers/c0ffee/archive" and self.command == "PUT":
            assert parse_qs(parts.query)["path"] == ["/"]
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                for member in tar.getmembers():
                    extracted = tar.extractfile(member)
                    assert extracted is not None
                    daemon.files[member.name] = extracted.read().decode()
            self._json(200)
        elif path == "/containers/c0ffee/exec":
            daemon.execs.append(json.loads(body)["Cmd"])
            self._json(201, {"Id": f"x{len(daemon.execs) - 1}"})
        elif m := re.fullmatch(r"/exec/x(\d+)/start", path):
            self._exec_start(daemon, int(m[1]))
        elif m := re.fullmatch(r"/exec/x(\d+)/json", path):
            code, _ = daemon.results.get(tuple(daemon.execs[int(m[1])]), (0, []))
            self._json(200, {"ExitCode": code, "Running": False})
        else:
            self._json(404, {"message": f"no such route: {self.command} {path}"})

    def _exec_start(self, daemon: Daemon, index: int) -> None:
        _, frames = daemon.results.get(tuple(daemon.execs[index]), (0, []))
        self.send_response(101, "UPGRADED")
        self.send_header("Content-Type", "application/vnd.docker.raw-stream")
        self.send_header("Connection", "Upgrade")
        self.send_header("Upgrade", "tcp")
        self.end_headers()
        self.wfile.flush()
        deadline = time.monotonic() + 10
        while not _client_waits_on_the_socket() and time.monotonic() < deadline:
            time.sleep(0.001)
        for stream, data in frames:
            self.wfile.write(struct.pack(">BxxxL", stream, len(data)) + data)
        self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _route


@contextmanager
def fake_docker_daemon() -> Iterator[Daemon]:
    """A fake daemon on 127.0.0.1; point `DOCKER_HOST` at `daemon.url`."""
    srv: Any = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    srv.daemon = Daemon(url=f"tcp://127.0.0.1:{srv.server_address[1]}")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv.daemon
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join()
