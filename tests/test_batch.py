"""`fn.batch` → `GroqBatch` end to end: the real groq SDK against the emulator's Batch API."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pydantic import BaseModel

from mirascope.core import groq, prompt_template
from mirascope.core.base.types import CostMetadata
from mirascope.core.costs import calculate_cost
from mirascope.core.groq.batch import GroqBatchResponse, batch_cost
from mirascope.core.groq.errors import (
    GroqBatchExpiredError,
    GroqBatchNotAvailableError,
    GroqBulkItemError,
)
from mirascope.core.groq.testing import GroqEmulator

_ROWS = [{"genre": g} for g in ("fantasy", "horror", "sci-fi", "romance", "mystery")]


def _half_sync_price(r: groq.GroqCallResponse) -> float:
    # What the sync call would cost without any cached tokens, halved (GROQ_2026.md §1.6).
    meta = CostMetadata(input_tokens=r.input_tokens, output_tokens=r.output_tokens)
    full = calculate_cost("groq", r.model, meta)
    assert full is not None
    return full * 0.5


def _fn(emu: GroqEmulator) -> Any:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), call_params={"max_tokens": 64})
    @prompt_template("Recommend a {genre} book")
    def recommend(genre: str): ...

    return recommend


def test_lines_are_the_sync_request_body(emu: GroqEmulator) -> None:
    recommend = _fn(emu)
    emu.configure_batches(step_seconds=60.0)
    handle = recommend.batch(_ROWS[:2])
    recommend(**_ROWS[0])
    sync_body = emu.requests[-1].body
    upload = next(r for r in emu.requests if r.path.endswith("/files"))
    assert upload.method == "POST"
    with emu.client() as client:
        info = client.batches.retrieve(handle.batch_ids[0])
        text = client.files.content(info.input_file_id).text()
    lines = [json.loads(x) for x in text.split("\n") if x]
    assert lines[0] == {"custom_id": "0", "method": "POST", "url": "/v1/chat/completions",
                        "body": sync_body}  # fmt: skip
    assert handle.status == "validating"


def test_full_lifecycle_resume_out_of_order_failed_expired(emu: GroqEmulator) -> None:
    recommend = _fn(emu)
    emu.configure_batches(step_seconds=0.05, failed={"1"}, expired={"3"}, final_status="expired")
    handle = recommend.batch(_ROWS, max_lines=2)  # split: 3 batches behind one handle
    assert len(handle.batch_ids) == 3
    assert handle.request_counts.total == 5
    resumed = groq.GroqBatch.retrieve(handle.id, client=emu.client(), fn=recommend)
    resumed.wait(poll_interval=0.02, progress=False)
    assert resumed.status == "expired"
    results = resumed.results()
    assert len(results) == 5
    assert isinstance(results[1], GroqBulkItemError) and results[1].status_code == 500
    assert isinstance(results[3], GroqBatchExpiredError) and results[3].code == "batch_expired"
    for i in (0, 2, 4):
        r = results[i]
        assert isinstance(r, groq.GroqCallResponse)
        assert _ROWS[i]["genre"] in str(r.messages)  # matched by custom_id, parsed as fn
        assert isinstance(r, GroqBatchResponse) and r.cost is not None
        assert r.cost == batch_cost(r) == _half_sync_price(r)
    plain = groq.GroqBatch.retrieve(handle.id, client=emu.client()).results()
    assert [type(x).__name__ for x in plain] == [type(x).__name__ for x in results]


class Book(BaseModel):
    title: str
    author: str


def test_response_model_results_and_cancel(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), response_model=Book)
    def book(genre: str) -> str:
        return f"Recommend a {genre} book"

    emu.configure_batches(step_seconds=0.0)
    results = book.batch(_ROWS[:2]).wait(progress=False).results()
    assert all(isinstance(b, Book) for b in results)
    emu.configure_batches(step_seconds=60.0)
    handle = book.batch(_ROWS[:2]).cancel()
    assert handle.status == "cancelling"


def test_refusals(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), stream=True)
    def streamed(genre: str) -> str:
        return genre

    with pytest.raises(ValueError, match="stream=True"):
        streamed.batch(_ROWS)
    emu.configure_batches(plan_available=False)
    with pytest.raises(GroqBatchNotAvailableError, match="plan"):
        _fn(emu).batch(_ROWS)


def test_async_function_batches(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.async_client())
    async def recommend(genre: str) -> str:
        return f"Recommend a {genre} book"

    emu.configure_batches(step_seconds=0.0)
    handle = recommend.batch(_ROWS[:2], client=emu.client())
    assert all(isinstance(r, groq.GroqCallResponse) for r in handle.wait(progress=False).results())


@pytest.mark.parametrize("model", [False, True])
def test_cost_is_the_batch_price_not_stacked_with_the_cache_discount(
    emu: GroqEmulator, model: bool
) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), response_model=Book)
    def book(genre: str) -> str:
        return f"Recommend a {genre} book"

    emu.configure_batches(cached_tokens=4)
    fn = book if model else _fn(emu)
    handle = fn.batch(_ROWS[:2])
    for resumed in (handle, groq.GroqBatch.retrieve(handle.id, client=emu.client())):
        for result in resumed.wait(progress=False).results():
            response = result._response if isinstance(result, Book) else result  # pyright: ignore[reportAttributeAccessIssue]
            assert isinstance(response, GroqBatchResponse) and response.cached_tokens == 4
            sync_price = calculate_cost("groq", response.model, response.cost_metadata)
            assert sync_price is not None and response.cost is not None
            assert response.cost == _half_sync_price(response)
            assert response.cost > sync_price / 2  # the cache discount is not applied on top
            assert response.model_dump()["cost"] == response.cost


async def test_async_lifecycle_resume_out_of_order_failed_expired_cancel(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.async_client(), call_params={"max_tokens": 64})
    @prompt_template("Recommend a {genre} book")
    async def recommend(genre: str): ...

    emu.configure_batches(step_seconds=0.05, failed={"1"}, expired={"3"}, final_status="expired")
    async with emu.async_client() as client:
        handle = await recommend.batch_async(_ROWS, client=client, max_lines=2)
        assert len(handle.batch_ids) == 3 and handle.status == "validating"
        resumed = await groq.GroqBatch.retrieve_async(handle.id, client=client, fn=recommend)
        assert resumed.request_counts.total == 5
        await resumed.wait_async(poll_interval=0.02, progress=False)
        assert resumed.status == "expired"
        results = await resumed.results_async()
        assert isinstance(results[1], GroqBulkItemError) and results[1].status_code == 500
        assert isinstance(results[3], GroqBatchExpiredError)
        for i in (0, 2, 4):
            r = results[i]
            assert isinstance(r, GroqBatchResponse) and _ROWS[i]["genre"] in str(r.messages)
            assert r.cost == _half_sync_price(r)
        # The same results through the sync path (a sync twin of the async client).
        sync_results = groq.GroqBatch.retrieve(handle.id, client=client, fn=recommend).results()
        assert [type(x) for x in sync_results] == [type(x) for x in results]
        emu.configure_batches(step_seconds=60.0)
        running = await recommend.batch_async(_ROWS[:2], client=client)
        assert (await running.cancel_async()).status == "cancelling"
    requests = [(r.method, r.path.rsplit("/v1", 1)[-1]) for r in emu.requests]
    assert ("POST", f"/batches/{running.batch_ids[0]}/cancel") in requests


async def test_async_wait_is_cancellable_and_times_out(emu: GroqEmulator) -> None:
    emu.configure_batches(step_seconds=60.0)
    async with emu.async_client() as client:
        handle = await _fn(emu).batch_async(_ROWS[:1], client=client)
        with pytest.raises(TimeoutError):
            await handle.wait_async(poll_interval=0.01, timeout=0.05, progress=False)
        task = asyncio.ensure_future(handle.wait_async(poll_interval=0.01, progress=False))
        polls = len(emu.requests)
        while len(emu.requests) < polls + 2:  # it is polling
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    emu.wait_for(lambda: emu.open_connections == 0, timeout=5)


async def test_async_plan_refusal(emu: GroqEmulator) -> None:
    emu.configure_batches(plan_available=False)
    with pytest.raises(GroqBatchNotAvailableError, match="plan"):
        await _fn(emu).batch_async(_ROWS[:1])  # the sync function's client, as an async twin


@pytest.mark.parametrize("flavor_async", [False, True])
def test_wait_progress_line(
    emu: GroqEmulator, capsys: pytest.CaptureFixture[str], flavor_async: bool
) -> None:
    emu.configure_batches(step_seconds=0.02, failed={"0"})
    handle = _fn(emu).batch(_ROWS[:3])
    if flavor_async:
        asyncio.run(handle.wait_async(poll_interval=0.01, progress=True))
    else:
        handle.wait(poll_interval=0.01, progress=True)
    err = capsys.readouterr().err
    assert err.startswith("\r") and err.endswith("\rcompleted: 2/3 done, 1 failed\n")
