"""The emulator's files, batches and enforced rate limits, driven through the real groq SDK."""

from __future__ import annotations

import json

import groq
import pytest

from mirascope.core.groq.rate_limits import RateLimits
from mirascope.core.groq.testing import GroqEmulator


def _lines(ids: list[str]) -> bytes:
    body = {"model": "openai/gpt-oss-20b", "messages": [{"role": "user", "content": "hi"}]}
    rows = [{"custom_id": i, "method": "POST", "url": "/v1/chat/completions", "body": body}
            for i in ids]  # fmt: skip
    return "\n".join(json.dumps(r) for r in rows).encode()


def test_files_upload_metadata_content_delete(emu: GroqEmulator) -> None:
    with emu.client() as client:
        f = client.files.create(file=("in.jsonl", _lines(["a"])), purpose="batch")
        assert client.files.info(f.id).bytes == len(_lines(["a"]))
        assert client.files.content(f.id).read() == _lines(["a"])
        assert client.files.delete(f.id).deleted is True
        with pytest.raises(groq.NotFoundError):
            client.files.info(f.id)


def test_batch_lifecycle_out_of_order_failed_expired(emu: GroqEmulator) -> None:
    emu.configure_batches(step_seconds=0.0, failed={"b"}, expired={"c"})
    with emu.client() as client:
        f = client.files.create(file=("in.jsonl", _lines(["a", "b", "c", "d"])), purpose="batch")
        b = client.batches.create(
            input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        assert b.status == "completed"
        assert b.request_counts is not None and b.request_counts.total == 4
        out = [
            json.loads(x)
            for x in client.files.content(str(b.output_file_id)).text().split("\n")
            if x
        ]
        assert [o["custom_id"] for o in out] == ["d", "a"]  # not in input order
        err = {json.loads(x)["custom_id"]: json.loads(x) for x in
               client.files.content(str(b.error_file_id)).text().split("\n") if x}  # fmt: skip
        assert err["c"]["error"]["code"] == "batch_expired"
        assert err["b"]["response"]["status_code"] == 500


def test_batch_quirks_and_paging(emu: GroqEmulator) -> None:
    emu.configure_batches(step_seconds=60.0, page_size=2)
    with emu.client() as client:
        f = client.files.create(file=("in.jsonl", _lines(["a"])), purpose="batch")
        ids = [client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions",
                                     completion_window="24h").id for _ in range(3)]  # fmt: skip
        assert client.batches.retrieve(ids[0]).status == "validating"
        first = client.batches.list()
        cursor = first.model_extra["paging"]["next_cursor"] if first.model_extra else None
        second = client.batches.list(extra_query={"cursor": cursor})
        assert [b.id for b in first.data + second.data] == ids
        assert client.batches.cancel(ids[0]).status == "cancelling"
    emu.configure_batches(step_seconds=0.0)
    with emu.client() as client:
        f = client.files.create(file=("in.jsonl", _lines(["a"])), purpose="batch")
        done = client.batches.create(
            input_file_id=f.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        assert done.error_file_id == {}  # Groq's quirk, kept
    emu.configure_batches(plan_available=False)
    with (
        emu.client() as client,
        pytest.raises(groq.PermissionDeniedError, match="not_available_for_plan"),
    ):
        client.batches.create(input_file_id=f.id, endpoint="/v1/chat/completions",
                              completion_window="24h")  # fmt: skip


def test_enforced_limits_fall_honestly_and_429(emu: GroqEmulator) -> None:
    emu.set_rate_limits(requests_per_day=3, day_seconds=3600)
    msgs = [{"role": "user", "content": "hello"}]
    with emu.client() as client:
        seen = []
        for _ in range(3):
            raw = client.chat.completions.with_raw_response.create(
                model="openai/gpt-oss-20b", messages=msgs
            )  # type: ignore[arg-type]
            limits = RateLimits.from_headers(raw.headers)
            assert limits is not None
            seen.append(limits.remaining_requests)
        assert seen == [2, 1, 0]
        with pytest.raises(groq.RateLimitError) as info:
            client.chat.completions.create(model="openai/gpt-oss-20b", messages=msgs)  # type: ignore[arg-type]
        limits = RateLimits.from_headers(info.value.response.headers)
        assert limits is not None and limits.retry_after is not None and limits.retry_after > 0
        assert emu.rate_limited == 1
