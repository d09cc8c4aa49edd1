"""`with_langfuse` (v1's) through the real SDK and the emulator, offline.

langfuse 2.x sends its events in batches to `{host}/api/public/ingestion`; `host` points at a
recording HTTP server on 127.0.0.1, so the test reads exactly what Langfuse would receive.
Needs the `langfuse` extra (tested in its own venv by scripts/ci-integrations.sh).
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

pytest.importorskip("langfuse")

from groq_e2e_helpers import Flavor, chunk_dict, usage_u
from langfuse.decorators import langfuse_context
from pydantic import BaseModel

from mirascope.core import groq, metadata
from mirascope.core.groq.errors import GroqStreamError
from mirascope.integrations.langfuse import with_langfuse

MODEL = "openai/gpt-oss-20b"


class Ingestion:
    """A Langfuse ingestion endpoint that records each batch."""

    def __init__(self) -> None:
        self.batches: list[dict[str, Any]] = []
        events = self.batches

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if self.headers.get("content-encoding") == "gzip":
                    body = gzip.decompress(body)
                events.append({"path": self.path, **json.loads(body)})
                out = b'{"successes": [], "errors": []}'
                self.send_response(207)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def events(self) -> list[dict[str, Any]]:
        langfuse_context.flush()
        assert {b["path"] for b in self.batches} <= {"/api/public/ingestion"}
        return [event for batch in self.batches for event in batch["batch"]]

    def updates(self) -> list[dict[str, Any]]:
        """The bodies of the generation updates our hooks made (v1's fields)."""
        return [e["body"] for e in self.events()
                if e["type"] == "generation-update" and "usage" in e["body"]]  # fmt: skip

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def ingestion() -> Iterator[Ingestion]:
    server = Ingestion()
    langfuse_context.configure(
        public_key="pk-lf-test", secret_key="sk-lf-test", host=server.host, enabled=True
    )
    yield server
    langfuse_context.flush()
    server.close()


def recommend_book(genre: str) -> str:
    return f"Recommend a {genre} book"


def tagged(flavor: Flavor, **kw: Any) -> Any:
    body = metadata({"tags": {"version:0001"}})(flavor.fn(recommend_book))
    return with_langfuse()(groq.call(MODEL, client=flavor.default_client, **kw)(body))


def three_chunks(emu: Any) -> None:
    env = {"id": "chatcmpl-lfu-1", "model": MODEL}
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}, **env),
            chunk_dict({"content": "Hello"}, **env),
            chunk_dict({"content": " there"}, **env),
            chunk_dict({}, "stop", x_groq={"id": "req_1", "usage": usage_u(45, 3)}, **env),
        ]
    )


MESSAGES = [{"role": "user", "content": "Recommend a fantasy book"}]


async def test_call_response_generation(flavor: Flavor, ingestion: Ingestion) -> None:
    flavor.emu.enqueue("text", text="Dune")
    response = await flavor.invoke(tagged(flavor), "fantasy")
    events = ingestion.events()
    created = [e["body"] for e in events if e["type"] == "generation-create"]
    assert [c["name"] for c in created] == ["recommend_book"]  # v1's `observe(name=fn.__name__)`
    (update,) = ingestion.updates()
    assert update["name"] == f"recommend_book with {MODEL}"
    assert update["input"] == MESSAGES
    assert update["output"] == "Dune"
    assert update["model"] == MODEL
    assert update["tags"] == ["version:0001"]
    assert update["metadata"]["id"] == response.id
    assert update["usage"] == {"input": response.input_tokens,
                               "output": response.output_tokens, "unit": "TOKENS"}  # fmt: skip


@pytest.mark.parametrize("ending", ["exhausted", "error"])
async def test_stream_generation_at_the_end(
    flavor: Flavor, ingestion: Ingestion, ending: str
) -> None:
    if ending == "error":
        flavor.emu.enqueue("error_event", text="partial")
    else:
        three_chunks(flavor.emu)
    stream = await flavor.invoke(tagged(flavor, stream=True), "fantasy")
    if ending == "error":
        with pytest.raises(GroqStreamError):
            await flavor.drain(stream)
    else:
        await flavor.drain(stream)
    (update,) = ingestion.updates()
    assert update["name"] == f"recommend_book with {MODEL}"
    assert update["input"] == MESSAGES
    if ending == "exhausted":
        assert update["output"] == "Hello there"
        assert update["usage"] == {"input": 45, "output": 3, "unit": "TOKENS"}
    else:
        assert update["output"] == stream.content
    # v1: the call and the iteration are each observed (custom_decorator wraps both).
    created = [e["body"]["name"] for e in ingestion.events() if e["type"] == "generation-create"]
    assert created == ["recommend_book", "recommend_book"]


class Book(BaseModel):
    title: str


async def test_response_model_and_structured_stream(flavor: Flavor, ingestion: Ingestion) -> None:
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Emma"}')])
    assert (await flavor.invoke(tagged(flavor, response_model=Book), "sf")).title == "Dune"
    structured = await flavor.invoke(tagged(flavor, response_model=Book, stream=True), "classic")
    await flavor.drain(structured)
    first, second = ingestion.updates()
    assert first["output"] == {"title": "Dune"}
    assert second["output"] == {"title": "Emma"}
    assert second["input"] == [{"role": "user", "content": "Recommend a classic book"}]


async def test_break_records_the_generation_without_v1_fields(
    flavor: Flavor, ingestion: Ingestion
) -> None:
    """As in v1: langfuse's `observe` ends the iteration's generation as soon as the loop is left,
    before the stream has ended, so the hook finds no current observation (langfuse logs a
    warning) and the generation keeps only its times. Documented in docs/integrations.md."""
    three_chunks(flavor.emu)
    stream = await flavor.invoke(tagged(flavor, stream=True), "fantasy")
    it, _ = await flavor.first_pair(stream)
    await (it.aclose() if flavor.is_async else flavor.invoke(it.close))
    assert await flavor.wait_for(lambda: stream.end_state == "closed_early")
    assert ingestion.updates() == []
    created = [e["body"]["name"] for e in ingestion.events() if e["type"] == "generation-create"]
    assert created == ["recommend_book", "recommend_book"]
