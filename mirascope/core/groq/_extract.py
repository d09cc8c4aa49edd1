"""Structured outputs on Groq: the request set-up and the extraction for `response_model`.

Two modes, for streamed and non-streamed calls alike (B8: a structured stream sends exactly the
request a non-stream extraction sends):

- Tool mode (default): the model becomes one `GroqTool`, offered alone, with `tool_choice`
  forced to it; the JSON is that call's arguments.
- JSON mode (`json_mode=True`, or forced by `tools=`): no extraction tool; the schema goes into
  the last user message, and `response_format` is `json_schema` on models that accept it
  (gpt-oss, non-stream calls only; `strict: true` on gpt-oss-20b/120b when the schema meets
  strict mode's rules, else best effort) or `json_object` on the rest. A stream never sends
  `json_schema`: Groq answers 400 ("Streaming and tool use are not currently supported with
  Structured Outputs", GROQ_2026.md §1.5), so structured streams use `json_object`. With user
  tools, `response_format` is left out (Groq rejects JSON mode together with tools); the JSON
  is the content, first `{` to last `}`.

The JSON is validated against the model (built-in types unwrapped from `value`); the response
is attached as `_response` to the result (pydantic models) and to a `ValidationError`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from pydantic import BaseModel, ValidationError

from ..base._response_model import (
    fields_from_call_args,
    is_base_type,
    json_object_text,
    validate_output,
)
from ..base.stream import BaseStream
from ..base.structured_stream import BaseStructuredStream
from ._stream_source import ToolResolver
from ._tool_calls import PendingCall
from .call_response import GroqCallResponse
from .call_response_chunk import GroqCallResponseChunk, first_choice
from .tool import GroqTool

__all__ = ["Extraction", "json_schema_instruction"]

_JSON_SCHEMA_MODELS = ("openai/gpt-oss-",)
"""Model id prefixes whose `response_format` accepts `json_schema` (GROQ_WIRE.md §1.6)."""
_STRICT_MODELS = frozenset({"openai/gpt-oss-20b", "openai/gpt-oss-120b"})
"""Models with `strict: true` (constrained decoding), GROQ_WIRE.md §1.6."""


def strict_compatible(schema: Any) -> bool:
    """Whether Groq's strict mode takes `schema`: every object lists all its properties in
    `required` and sets `additionalProperties: false` (Groq's structured-outputs page)."""
    if isinstance(schema, list):
        return all(strict_compatible(s) for s in cast(list[Any], schema))
    if not isinstance(schema, dict):
        return True
    node = cast(dict[str, Any], schema)
    props = node.get("properties")
    if isinstance(props, dict) and (
        node.get("additionalProperties") is not False
        or set(node.get("required") or ()) != set(cast(dict[str, Any], props))
    ):
        return False
    return all(strict_compatible(v) for v in node.values())


def json_schema_instruction(schema: dict[str, Any]) -> str:
    """The instruction appended to the prompt in JSON mode: answer with this schema.

    Example:
        ```python
        json_schema_instruction(Book.model_json_schema())
        ```
    """
    # v1.25.7's wording (base/_utils/_json_mode_content.py), so prompts match v1's exactly.
    return (
        "For your final response, output ONLY a valid JSON dict (NOT THE SCHEMA) from the content"
        f" that adheres to this schema:\n{json.dumps(schema, indent=2)}"
    )


def append_instruction(messages: list[Any], instruction: str) -> None:
    """Add `instruction` to the last user message (string content), or as a new user message."""
    last: dict[str, Any] | None = messages[-1] if messages else None
    if last is not None and last.get("role") == "user" and isinstance(last.get("content"), str):
        messages[-1] = {**last, "content": f"{last['content']}\n\n{instruction}"}
    elif last is not None and last.get("role") == "user" and last.get("content") is not None:
        # Parts: a text part is appended to the same message, as v1 does.
        parts = [*last["content"], {"type": "text", "text": instruction}]
        messages[-1] = {**last, "content": parts}
    else:
        messages.append({"role": "user", "content": instruction})


def _content_fragment(chunk: GroqCallResponseChunk, tool: object) -> str:
    return chunk.content


def _arguments_fragment(chunk: GroqCallResponseChunk, tool: object) -> str:
    # Read from the raw delta, not from tool objects: no per-chunk parse of the arguments so far.
    choice = first_choice(chunk.chunk)
    deltas = choice.delta.tool_calls if choice is not None else None
    if not deltas:
        return ""
    return "".join(
        d.function.arguments
        for d in deltas
        if d.index == 0 and d.function is not None and d.function.arguments
    )


class _ExtractionResolver(ToolResolver):
    """Assembles the calls (for `message_param`) but builds no tool objects mid-stream.

    The structured stream parses the arguments itself; a tool built here could only fail
    validation in the middle of the stream, which is the structured stream's job at the end.
    """

    def _build(self, calls: list[PendingCall]) -> list[GroqTool]:
        return []


@dataclass(frozen=True)
class Extraction:
    """How one decorated function extracts its `response_model` (fixed at decoration time).

    Example:
        ```python
        extraction = Extraction.of(Book, json_mode=False)
        extraction.tool_type._name()  # "Book"
        ```
    """

    response_model: Any
    tool_type: type[GroqTool]
    """The model as a Groq tool (built-in types wrapped in `value`); its schema is the schema."""
    json_mode: bool

    @classmethod
    def of(cls, response_model: Any, *, json_mode: bool) -> Extraction:
        """Build the extraction for `response_model`."""
        tool_type = (
            GroqTool.type_from_base_type(response_model)
            if is_base_type(response_model)
            else GroqTool.type_from_base_model_type(response_model)
        )
        return cls(response_model=response_model, tool_type=tool_type, json_mode=json_mode)

    def prepare(
        self,
        messages: list[Any],
        params: dict[str, Any],
        tool_types: Sequence[type[GroqTool]] | None,
        model: str,
        *,
        stream: bool = False,
    ) -> list[type[GroqTool]] | None:
        """Set up the request in place; return the tool types the request offers."""
        tool = self.tool_type
        if not self.json_mode and not tool_types:
            params.setdefault(
                "tool_choice", {"type": "function", "function": {"name": tool._name()}}
            )
            return [tool]
        tool.warn_for_unsupported_configurations()
        schema = tool.model_json_schema()
        append_instruction(messages, json_schema_instruction(schema))
        if not tool_types and "response_format" not in params:
            if not stream and model.startswith(_JSON_SCHEMA_MODELS):
                spec: dict[str, Any] = {"name": tool._name(), "schema": schema}
                if model in _STRICT_MODELS and strict_compatible(schema):
                    spec["strict"] = True  # else best effort: strict would be a 400
                params["response_format"] = {"type": "json_schema", "json_schema": spec}
            else:
                params["response_format"] = {"type": "json_object"}
        return list(tool_types) if tool_types else None

    def extract(self, response: GroqCallResponse) -> Any:
        """The validated model from a response (`_response` attached), or the response itself
        when the model called one of the user's tools (`response_model` + `tools`).

        Raises:
            pydantic.ValidationError: The output does not match the model; `_response` is set.
            ValueError: A `FromCallArgs` field has no matching call argument.
        """
        choices = response.response.choices
        tool_calls = choices[0].message.tool_calls if choices else None
        # Tool mode offers exactly the extraction tool; anything else (user tools) is JSON mode.
        json_mode = self.json_mode or response.tool_types != [self.tool_type]
        if json_mode and tool_calls:
            return response
        if tool_calls:
            text = tool_calls[0].function.arguments
        else:
            # JSON mode, or a text answer despite the forced tool choice.
            text = json_object_text(response.content)
        fields = fields_from_call_args(self.response_model, response.fn_args)
        try:
            value = validate_output(self.response_model, text, fields)
        except ValidationError as exc:
            setattr(exc, "_response", response)  # noqa: B010 - as v1: read `e._response`
            raise
        if isinstance(value, BaseModel):
            value._response = response  # pyright: ignore[reportAttributeAccessIssue]
        return value

    def resolver(self) -> ToolResolver:
        """The tool resolver of a structured stream: it assembles calls, builds no tools."""
        return _ExtractionResolver([self.tool_type])

    def structured_stream(
        self,
        stream: BaseStream[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any],
        fn_args: dict[str, Any],
    ) -> BaseStructuredStream[Any]:
        """Wrap a `GroqStream` into the structured stream of this response model."""
        return BaseStructuredStream(
            stream=stream,
            response_model=self.response_model,
            fields_from_call_args=fields_from_call_args(self.response_model, fn_args),
            json_fragment=_content_fragment if self.json_mode else _arguments_fragment,
            json_mode=self.json_mode,
        )
