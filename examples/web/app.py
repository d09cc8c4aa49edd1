"""A chat page over FastAPI: tokens stream in, tool calls and their results render, usage and
cost show at the end. One static HTML/JS page (static/index.html), no build step.

Run: `python examples/web/app.py` (needs the `web-example` extra: fastapi, uvicorn), then open
http://127.0.0.1:8000. Like examples/demo.py, the backend is Groq when GROQ_API_KEY is set,
`DEMO_BACKEND=emulator` the bundled emulator (paced, with a tool call), otherwise the local
model (SmolLM2-135M via llama.cpp, installed by scripts/install-local-model.sh; no tools: a
135M model cannot call them reliably).

The endpoint is a tool loop (`ui_message_stream_response(..., next_turn=...)`): the tools of
each turn run, their outputs stream as `tool-output-available` parts, then the next turn
streams, until the model answers without a tool. Closing the tab cancels the response, which
closes the Groq stream and releases its connection at once.
"""

from __future__ import annotations

import os
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from pydantic import BaseModel

from mirascope.core import BaseTool, groq
from mirascope.integrations.starlette import ui_message_stream_response

STATIC = Path(__file__).parent / "static"


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"It is sunny and 21 °C in {self.city}."


class ChatRequest(BaseModel):
    """The page's request: the conversation so far, user and assistant text turns."""

    messages: list[dict[str, str]]


@dataclass
class Backend:
    """Which model answers: its id, an async client (None: Groq's default), call params, tools."""

    label: str
    model: str
    client: Any = None
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    tools: list[type[BaseTool]] = field(default_factory=lambda: [GetWeather])
    emulator: Any = None  # the GroqEmulator when DEMO_BACKEND=emulator (tests read its records)


async def start_backend(
    stack: AsyncExitStack, emulator_delay: float = 0.05, scripted: bool = False
) -> Backend:
    """Choose the backend like examples/demo.py: Groq, else the emulator on request, else local.

    `scripted` (tests): the emulator answers from its queue (`emu.enqueue`), not the paced
    default scenario; an empty queue still gives the default answer.
    """
    if os.environ.get("GROQ_API_KEY"):
        model = os.environ.get("DEMO_MODEL", "openai/gpt-oss-20b")
        return Backend(label=f"Groq, model {model}", model=model)
    if os.environ.get("DEMO_BACKEND") == "emulator":
        from mirascope.core.groq.testing import GroqEmulator

        emulator = stack.enter_context(GroqEmulator())
        client = emulator.async_client()
        stack.push_async_callback(client.close)
        # The emulator's default answer (a tool call, then a summary of its result), paced so
        # the tokens visibly arrive one by one.
        scenario = {"x-emulator-scenario": f"default;delay={emulator_delay}"}
        return Backend(
            label=f"bundled Groq emulator at {emulator.base_url}",
            model="openai/gpt-oss-20b",
            client=client,
            params={} if scripted else {"extra_headers": scenario},
            emulator=emulator,
        )
    from mirascope.core.groq.local import LocalModel

    local = stack.enter_context(LocalModel())
    client = local.async_client()
    stack.push_async_callback(client.close)
    return Backend(
        label="local model SmolLM2-135M-Instruct (llama.cpp; no GROQ_API_KEY set)",
        model=local.model,
        client=client,
        params={"max_tokens": 200, "temperature": 0, "seed": 42},
        tools=[],
    )


def create_app(emulator_delay: float = 0.05, scripted: bool = False) -> FastAPI:
    """The chat app; its backend starts with the app and stops with it (`app.state.backend`)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        async with AsyncExitStack() as stack:
            app.state.backend = await start_backend(stack, emulator_delay, scripted)
            print(f"backend: {app.state.backend.label}", flush=True)
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    async def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.post("/api/chat")
    async def chat(request: ChatRequest) -> Any:
        backend: Backend = app.state.backend

        @groq.call(
            backend.model,
            stream=True,
            tools=backend.tools or None,
            client=backend.client,
            call_params=backend.params,
        )
        async def answer(messages: list[Any]) -> list[Any]:
            return messages

        history: list[Any] = list(request.messages)
        return ui_message_stream_response(
            await answer(history), next_turn=lambda added: answer([*history, *added])
        )

    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
