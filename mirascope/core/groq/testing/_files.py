"""The emulator's `/files` endpoints: multipart upload, metadata, list, `content`, delete.

Shapes follow the groq SDK's `FileCreateResponse`/`FileInfoResponse`/`FileDeleteResponse` and
GROQ_2026.md §1.4: uploads are `purpose="batch"` `.jsonl` files of at most 50,000 lines and
200 MB. Batch outputs are stored here too (purpose `batch_output`). Guarded by `State.lock`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from ._render import error_body
from ._validate import Rejection

__all__ = ["FileStore", "StoredFile", "parse_multipart"]

MAX_LINES = 50_000
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class StoredFile:
    """One uploaded or generated file."""

    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
        }


def _not_found(file_id: str) -> Rejection:
    message = f"file {file_id} not found"
    return Rejection(404, error_body(404, message=message, type="invalid_request_error",
                                     code="not_found"))  # fmt: skip


def parse_multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """Fields of a `multipart/form-data` body: name → (filename, bytes)."""
    boundary = ""
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "boundary":
            boundary = value.strip('"')
    if not content_type.lower().startswith("multipart/form-data") or not boundary:
        raise Rejection(400, error_body(400, message="expected a multipart/form-data body"))
    fields: dict[str, tuple[str | None, bytes]] = {}
    for chunk in body.split(b"--" + boundary.encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, data = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        name, filename = None, None
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                for item in line.split(";")[1:]:
                    key, _, val = item.strip().partition("=")
                    if key == "name":
                        name = val.strip('"')
                    elif key == "filename":
                        filename = val.strip('"')
        if name is not None:
            fields[name] = (filename, data[:-2] if data.endswith(b"\r\n") else data)
    return fields


@dataclass
class FileStore:
    """Files by id."""

    files: dict[str, StoredFile] = field(default_factory=dict[str, StoredFile])

    def add(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        f = StoredFile(f"file_{uuid.uuid4().hex[:26]}", filename, purpose, data)
        self.files[f.id] = f
        return f

    def get(self, file_id: str) -> StoredFile:
        f = self.files.get(file_id)
        if f is None:
            raise _not_found(file_id)
        return f

    def upload(self, content_type: str, body: bytes) -> StoredFile:
        fields = parse_multipart(content_type, body)
        purpose = fields.get("purpose", (None, b""))[1].decode()
        if purpose != "batch":
            message = f"invalid purpose {purpose!r}: only 'batch' is supported"
            raise Rejection(400, error_body(400, message=message, param="purpose"))
        if "file" not in fields:
            raise Rejection(400, error_body(400, message="missing file", param="file"))
        filename, data = fields["file"]
        if len(data) > MAX_BYTES or data.count(b"\n") + (not data.endswith(b"\n")) > MAX_LINES:
            message = f"batch files are limited to {MAX_LINES} lines and {MAX_BYTES} bytes"
            raise Rejection(400, error_body(400, message=message, param="file"))
        return self.add(filename or "upload.jsonl", purpose, data)

    def delete(self, file_id: str) -> dict[str, object]:
        self.get(file_id)
        del self.files[file_id]
        return {"id": file_id, "object": "file", "deleted": True}

    def listing(self) -> dict[str, object]:
        return {"object": "list", "data": [f.as_json() for f in self.files.values()]}
