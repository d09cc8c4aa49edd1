"""The streaming agent loop (API.md §6.10), end to end: three turns, parallel calls in one turn.

Each turn's request body is asserted exactly, so the history sent back is what Groq expects:
plain-dict tool calls, no null or unknown keys, one tool message per call (B2, B2b, B3, B10, B11).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from groq import AsyncGroq, Groq

from mirascope.core import BaseTool, Messages, groq
from mirascope.core.groq.testing import GroqEmulator

SYSTEM = {"role": "system", "content": "You answer weather questions."}
QUESTION = "What's the weather and time in Paris and Rome?"


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"sunny in {self.city}"


class GetTime(BaseTool):
    """Get the local time in a city."""

    city: str

    async def call(self) -> str:
        await asyncio.sleep(0)
        return f"noon in {self.city}"


def _call(id_: str, name: str, arguments: dict[str, str]) -> dict[str, Any]:
    return {
        "id": id_,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments, separators=(",", ":"))},
    }


TURN1_CALLS = [
    _call("call_w1", "GetWeather", {"city": "Paris"}),
    _call("call_w2", "GetWeather", {"city": "Rome"}),
]
TURN2_CALLS = [_call("call_t1", "GetTime", {"city": "Paris"})]
ANSWER = "Paris: sunny, noon. Rome: sunny."


def _script(emu: GroqEmulator) -> None:
    def calls(items: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {"id": c["id"], "name": c["function"]["name"], "arguments": c["function"]["arguments"]}
            for c in items
        ]

    emu.enqueue("tool_calls", calls=calls(TURN1_CALLS), style="parallel_one_delta")
    emu.enqueue("tool_calls", calls=calls(TURN2_CALLS), style="whole", content="Checking.")
    emu.enqueue("text", text=ANSWER, usage_mode="include_usage_chunk")


def _expected_histories() -> list[list[dict[str, Any]]]:
    user = {"role": "user", "content": QUESTION}
    turn1 = [SYSTEM, user]
    turn2 = [
        *turn1,
        {"role": "assistant", "content": "", "tool_calls": TURN1_CALLS},
        {
            "role": "tool",
            "content": "sunny in Paris",
            "tool_call_id": "call_w1",
            "name": "GetWeather",
        },
        {
            "role": "tool",
            "content": "sunny in Rome",
            "tool_call_id": "call_w2",
            "name": "GetWeather",
        },
    ]
    turn3 = [
        *turn2,
        {"role": "assistant", "content": "Checking.", "tool_calls": TURN2_CALLS},
        {"role": "tool", "content": "noon in Paris", "tool_call_id": "call_t1", "name": "GetTime"},
    ]
    return [turn1, turn2, turn3]


def _assert_requests(emu: GroqEmulator, history: list[Any]) -> None:
    bodies = [request.body for request in emu.requests]
    assert [body["messages"] for body in bodies] == _expected_histories()
    for body in bodies:
        assert body["stream"] is True
        assert [tool["function"]["name"] for tool in body["tools"]] == ["GetWeather", "GetTime"]
    # The agent's own history ends with the final assistant answer, ready for another turn.
    assert history[-1] == {"role": "assistant", "content": ANSWER}
    assert json.loads(json.dumps(history)) == [*_expected_histories()[2][1:], history[-1]]


def test_streaming_agent_loop_sync(groq_emulator: GroqEmulator) -> None:
    _script(groq_emulator)
    history: list[Any] = []
    turns: list[list[str]] = []
    with Groq(base_url=groq_emulator.base_url, api_key="test-key", max_retries=0) as client:

        @groq.call("openai/gpt-oss-120b", tools=[GetWeather, GetTime], stream=True, client=client)
        def step(query: str | None) -> list[Any]:
            messages: list[Any] = [Messages.System(SYSTEM["content"]), *history]
            if query:
                messages.append(Messages.User(query))
            return messages

        def run(query: str | None) -> str:
            stream = step(query)
            outputs: list[tuple[Any, Any]] = []
            for _, tool in stream:
                if tool:
                    result = tool.call()
                    outputs.append(
                        (tool, asyncio.run(result) if asyncio.iscoroutine(result) else result)
                    )
            turns.append([type(tool).__name__ for tool, _ in outputs])
            if stream.user_message_param:
                history.append(stream.user_message_param)
            history.append(stream.message_param)
            if outputs:
                history.extend(stream.tool_message_params(outputs))
                return run(None)
            return stream.content

        assert run(QUESTION) == ANSWER

    assert turns == [["GetWeather", "GetWeather"], ["GetTime"], []]
    _assert_requests(groq_emulator, history)


async def test_streaming_agent_loop_async(groq_emulator: GroqEmulator) -> None:
    _script(groq_emulator)
    history: list[Any] = []
    turns: list[list[str]] = []
    async with AsyncGroq(
        base_url=groq_emulator.base_url, api_key="test-key", max_retries=0
    ) as client:

        @groq.call("openai/gpt-oss-120b", tools=[GetWeather, GetTime], stream=True, client=client)
        async def step(query: str | None) -> list[Any]:
            messages: list[Any] = [Messages.System(SYSTEM["content"]), *history]
            if query:
                messages.append(Messages.User(query))
            return messages

        async def run(query: str | None) -> str:
            stream = await step(query)
            outputs: list[tuple[Any, Any]] = []
            async for _, tool in stream:
                if tool:
                    result = tool.call()
                    outputs.append((tool, await result if asyncio.iscoroutine(result) else result))
            turns.append([type(tool).__name__ for tool, _ in outputs])
            if stream.user_message_param:
                history.append(stream.user_message_param)
            history.append(stream.message_param)
            if outputs:
                history.extend(stream.tool_message_params(outputs))
                return await run(None)
            return stream.content

        assert await run(QUESTION) == ANSWER

    assert turns == [["GetWeather", "GetWeather"], ["GetTime"], []]
    _assert_requests(groq_emulator, history)
