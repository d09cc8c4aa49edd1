"""A streaming agent: iterate the stream, call tools as they arrive, extend history, recurse.

Run against the bundled emulator with `python examples/agent.py`, or against Groq with
GROQ_API_KEY set.
"""

from __future__ import annotations

from typing import Any

from mirascope.core import BaseTool, Messages, groq


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"It is sunny and 21°C in {self.city}."


class WeatherAgent:
    """Keeps the history and loops until the model answers without calling a tool."""

    def __init__(self, model: str = "openai/gpt-oss-120b", max_turns: int = 8) -> None:
        self.history: list[Any] = []
        self.max_turns = max_turns
        self._step = groq.call(model, tools=[GetWeather], stream=True)(self._messages)

    def _messages(self, query: str | None) -> list[Any]:
        messages: list[Any] = [Messages.System("You answer weather questions."), *self.history]
        if query:
            messages.append(Messages.User(query))
        return messages

    def run(self, query: str | None, turn: int = 0) -> str:
        """One turn; recurses while the model calls tools. Returns the final answer."""
        stream = self._step(query)
        tools_and_outputs = []
        for chunk, tool in stream:
            if tool:
                tools_and_outputs.append((tool, tool.call()))
            else:
                print(chunk.content, end="", flush=True)
        if stream.user_message_param:
            self.history.append(stream.user_message_param)
        self.history.append(stream.message_param)
        if tools_and_outputs and turn + 1 < self.max_turns:
            self.history.extend(stream.tool_message_params(tools_and_outputs))
            return self.run(None, turn + 1)
        print()
        return stream.content


def main() -> None:
    import os
    from contextlib import ExitStack

    with ExitStack() as stack:
        if not os.environ.get("GROQ_API_KEY"):
            from mirascope.core.groq.testing import GroqEmulator

            emulator = stack.enter_context(GroqEmulator())
            os.environ.update(GROQ_BASE_URL=emulator.base_url, GROQ_API_KEY="emulator-key")
            emulator.enqueue(
                "tool_calls",
                calls=[("GetWeather", '{"city":"Paris"}'), ("GetWeather", '{"city":"Rome"}')],
                style="parallel_one_delta",
            )
            emulator.enqueue("text", text="Paris and Rome are both sunny and 21°C today.")
        WeatherAgent().run("What's the weather in Paris and in Rome?")


if __name__ == "__main__":
    main()
