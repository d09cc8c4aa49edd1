"""The emulator's `/batches` endpoints: create, retrieve, list with cursor paging, cancel.

A batch moves `validating → in_progress → finalizing → completed` (GROQ_2026.md §1.4), one
status per `step_seconds` the test sets (`GroqEmulator.configure_batches`), computed lazily from
the clock at each read, so no background task runs. Its lines are answered when it finalizes:
each body goes through the same validation and default scenario as a sync request. Output lines
are written in reverse input order (Groq does not keep order). Lines the test scripts as failed or
expired, or whose body the emulator rejects, go to the error file. Quirks kept on purpose: a batch
without errors reports `"error_file_id": {}`; with `plan_available=False` creation is refused
with 403 `not_available_for_plan`; `cancelling` lasts one step, then `cancelled`.
Guarded by `State.lock` (the caller holds it).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from ._files import FileStore
from ._render import count_tokens, error_body, request_id
from ._validate import Rejection

__all__ = ["BatchConfig", "BatchStore", "EmuBatch"]

_WINDOWS = {"24h": 86_400, "48h": 172_800, "72h": 259_200, "7d": 604_800}
_STEPS = ("validating", "in_progress", "finalizing", "completed")

_EXPIRED = "This request could not be executed before the completion window expired."


def _jsonl(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


# Answers one chat body: (status, JSON body) — injected by `_app` so this module needs no router.
Answer = Callable[[dict[str, object]], tuple[int, dict[str, object]]]


@dataclass
class BatchConfig:
    """What the test scripts for the batches it creates next."""

    step_seconds: float = 0.0
    failed: set[str] = field(default_factory=set[str])
    expired: set[str] = field(default_factory=set[str])
    final_status: str = "completed"
    """`completed`, `expired` (scripted expired lines plus partial output) or `failed`."""
    plan_available: bool = True
    page_size: int = 20
    cached_tokens: int | None = None
    """Reported as `usage.prompt_tokens_details.cached_tokens` on every answered line."""


@dataclass
class EmuBatch:
    """One batch and its input lines."""

    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: object
    lines: list[dict[str, object]]
    created: float
    created_at: int
    step: float
    failed: set[str]
    expired: set[str]
    final_status: str
    cancel_requested: float | None = None
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: tuple[int, int] = (0, 0)
    done: bool = False

    def status(self, now: float) -> str:
        if self.cancel_requested is not None:
            return "cancelled" if now - self.cancel_requested >= self.step else "cancelling"
        stage = int((now - self.created) / self.step) if self.step > 0 else len(_STEPS)
        status = _STEPS[min(stage, len(_STEPS) - 1)]
        if status == "completed" and self.final_status != "completed":
            return self.final_status
        return status


@dataclass
class BatchStore:
    """Batches by id, in creation order."""

    config: BatchConfig = field(default_factory=BatchConfig)
    batches: dict[str, EmuBatch] = field(default_factory=dict[str, EmuBatch])

    def create(self, files: FileStore, body: dict[str, object]) -> EmuBatch:
        if not self.config.plan_available:
            message = "The Batch API is not available for your plan. Upgrade to the Developer tier."
            raise Rejection(403, error_body(403, message=message, type="invalid_request_error",
                                            code="not_available_for_plan"))  # fmt: skip
        window = str(body.get("completion_window", ""))
        if window not in _WINDOWS:
            message = f"invalid completion_window {window!r}: durations from 24h to 7d"
            raise Rejection(400, error_body(400, message=message, param="completion_window"))
        endpoint = str(body.get("endpoint", ""))
        if endpoint != "/v1/chat/completions":
            message = f"unsupported endpoint {endpoint!r}"
            raise Rejection(400, error_body(400, message=message, param="endpoint"))
        source = files.get(str(body.get("input_file_id", "")))
        lines: list[dict[str, object]] = []
        seen: set[str] = set()
        for number, raw in enumerate(source.data.splitlines(), 1):
            if not raw.strip():
                continue
            line = _parse_line(raw)
            if line is None or str(line["custom_id"]) in seen:
                message = f"line {number}: not a valid batch line (custom_id, method, url, body)"
                raise Rejection(400, error_body(400, message=message, param="input_file_id"))
            seen.add(str(line["custom_id"]))
            lines.append(line)
        cfg = self.config
        batch = EmuBatch(
            id=f"batch_{uuid.uuid4().hex[:26]}", input_file_id=source.id, endpoint=endpoint,
            completion_window=window, metadata=body.get("metadata"), lines=lines,
            created=time.monotonic(), created_at=int(time.time()), step=cfg.step_seconds,
            failed=set(cfg.failed), expired=set(cfg.expired), final_status=cfg.final_status,
        )  # fmt: skip
        self.batches[batch.id] = batch
        return batch

    def get(self, batch_id: str) -> EmuBatch:
        batch = self.batches.get(batch_id)
        if batch is None:
            message = f"batch {batch_id} not found"
            raise Rejection(404, error_body(404, message=message, code="not_found"))
        return batch

    def cancel(self, batch_id: str) -> EmuBatch:
        batch = self.get(batch_id)
        if batch.status(time.monotonic()) in ("validating", "in_progress", "finalizing"):
            batch.cancel_requested = time.monotonic()
        return batch

    def _finish(self, batch: EmuBatch, files: FileStore, answer: Answer, status: str) -> None:
        out: list[bytes] = []
        err: list[bytes] = []
        run = status in ("completed", "expired")
        for line in reversed(batch.lines):  # out of order on purpose
            cid = str(line["custom_id"])
            entry: dict[str, object] = {"id": f"batch_req_{uuid.uuid4().hex[:26]}",
                                        "custom_id": cid}  # fmt: skip
            if cid in batch.expired or (not run and status != "failed"):
                code, message = "batch_expired", _EXPIRED
                entry |= {"response": None, "error": {"code": code, "message": message}}
                err.append(json.dumps(entry).encode())
                continue
            if not run:
                continue
            if cid in batch.failed:
                code, body = 500, error_body(500)
            else:
                body_in = line.get("body")
                code, body = answer(body_in if isinstance(body_in, dict) else {})  # pyright: ignore[reportUnknownArgumentType]
            response = {"status_code": code, "request_id": request_id(), "body": body}
            entry |= {"response": response, "error": None}
            (out if code == 200 else err).append(json.dumps(entry).encode())
        if out:
            batch.output_file_id = files.add("output.jsonl", "batch_output", _jsonl(out)).id
        if err:
            batch.error_file_id = files.add("errors.jsonl", "batch_output", _jsonl(err)).id
        batch.counts = (len(out), len(err))
        batch.done = True

    def as_json(self, batch: EmuBatch, files: FileStore, answer: Answer) -> dict[str, object]:
        now = time.monotonic()
        status = batch.status(now)
        if status in ("completed", "expired", "failed", "cancelled") and not batch.done:
            self._finish(batch, files, answer, "failed" if status == "failed" else status)
        total = len(batch.lines)
        done, failed = batch.counts
        if not batch.done and status == "in_progress" and batch.step > 0:
            frac = min(1.0, (now - batch.created - batch.step) / batch.step)
            done = int(total * frac)
        stamp = batch.created_at
        d: dict[str, object] = {
            "id": batch.id, "object": "batch", "endpoint": batch.endpoint, "errors": None,
            "input_file_id": batch.input_file_id, "completion_window": batch.completion_window,
            "status": status, "output_file_id": batch.output_file_id,
            # Groq's quirk: an empty object, not null, when there is no error file.
            "error_file_id": batch.error_file_id if batch.error_file_id else {},
            "created_at": stamp, "in_progress_at": None, "expires_at":
            stamp + _WINDOWS[batch.completion_window], "finalizing_at": None,
            "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None,
            "cancelled_at": None, "request_counts": {"total": total, "completed": done,
                                                     "failed": failed},
            "metadata": batch.metadata,
        }  # fmt: skip
        if status == "failed":
            d["errors"] = {"object": "list", "data": [{"code": "batch_failed", "line": 1,
                           "message": "The batch failed.", "param": None}]}  # fmt: skip
        at = {"in_progress": "in_progress_at", "finalizing": "finalizing_at",
              "completed": "completed_at", "failed": "failed_at", "expired": "expired_at",
              "cancelling": "cancelling_at", "cancelled": "cancelled_at"}  # fmt: skip
        if status in at:
            d[at[status]] = int(time.time())
        return d

    def listing(
        self, files: FileStore, answer: Answer, cursor: str | None, ids: list[str]
    ) -> dict[str, object]:
        items = [b for b in self.batches.values() if not ids or b.id in ids]
        start = 0
        if cursor:
            keys = [b.id for b in items]
            start = keys.index(cursor) if cursor in keys else len(items)
        page = items[start : start + self.config.page_size]
        rest = items[start + self.config.page_size :]
        data = [self.as_json(b, files, answer) for b in page]
        paging: dict[str, object] = {"next_cursor": rest[0].id if rest else None}
        return {"object": "list", "data": data, "paging": paging}


def _parse_line(raw: bytes) -> dict[str, object] | None:
    try:
        line: object = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(line, dict):
        return None
    typed = cast(dict[str, object], line)
    return typed if {"custom_id", "method", "url", "body"} <= typed.keys() else None


def prompt_size(body: dict[str, object]) -> int:
    """Tokens a batch line's prompt takes (for tests and the usage figures)."""
    return count_tokens(json.dumps(body.get("messages", [])))
