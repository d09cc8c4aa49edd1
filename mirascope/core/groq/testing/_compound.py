"""Chunks for Groq's server-side tool streams: compound systems, gpt-oss built-in tools, citations.

Shapes follow GROQ_2026.md §1.1 and the recorded compound stream
(pydantic-ai `test_groq_model_web_search_tool_stream`, recording pai-046): reasoning carrying
`<tool>`/`<output>` tags, each executed tool sent twice under one `index` (the call with empty
results, then the result), a **new chunk id on every chunk**, and `x_groq.usage_breakdown` on the
final chunk. gpt-oss built-ins use `type:"function"` with `name:"python"` and `code_results`, or
`browser.search` / `browser.open` (GROQ_2026.md §6 item 2). A `stream: false` request gets the
same chunks folded (`_turn.aggregate_chunks`) into the recorded non-stream shape. Citations are
`delta.annotations` entries (`document_citation` / `function_citation`, SDK
`chat_completion_message.py`).

Invariant: every chunk built here validates as the SDK's `ChatCompletionChunk`.
"""

from __future__ import annotations

import json
import uuid

from ._render import usage_dict

__all__ = ["builtin_chunks", "citation_chunks", "compound_chunks"]


def _chunk(delta: dict[str, object], finish: str | None = None) -> dict[str, object]:
    return {
        "id": f"chatcmpl-{uuid.uuid4()}",  # compound: a different id per chunk
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
    }


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def compound_chunks(
    query: str = "weather in Paris",
    answer: str = "It is sunny in Paris.",
    output: str = "Title: Paris weather\nURL: https://example.com/paris\nContent: sunny",
    models: tuple[str, ...] = (
        "llama-3.3-70b-versatile",
        "meta-llama/llama-4-scout-17b-16e-instruct",
    ),
    prompt_tokens: int = 50,
    completion_tokens: int = 10,
    chunk_chars: int = 4,
) -> list[dict[str, object]]:
    """A `groq/compound` web-search stream, as recorded (ids change per chunk)."""
    arguments = json.dumps({"query": query})
    reasoning = f"<think>I should search.</think>\n<tool>search({arguments})</tool>\n"
    chunks = [_chunk({"role": "assistant", "content": ""})]
    chunks += [_chunk({"reasoning": p}) for p in _pieces(reasoning, chunk_chars)]
    empty: dict[str, object] = {"results": []}
    call = {"index": 0, "type": "search", "arguments": arguments, "search_results": empty}
    chunks.append(_chunk({"executed_tools": [call]}))
    chunks += [
        _chunk({"reasoning": p}) for p in _pieces(f"<output>{output}</output>\n", chunk_chars)
    ]
    result = {
        "index": 0, "type": "search", "arguments": arguments, "output": output,
        "search_results": {"results": [{"title": "Paris weather", "url": "https://example.com/paris",
                                        "content": "sunny", "score": 0.9}]},
    }  # fmt: skip
    chunks.append(_chunk({"executed_tools": [result]}))
    chunks += [_chunk({"content": p}) for p in _pieces(answer, chunk_chars)]
    usage = usage_dict(prompt_tokens, completion_tokens)
    breakdown = [
        {"model": m, "usage": usage_dict(prompt_tokens, completion_tokens)} for m in models
    ]
    total = usage_dict(prompt_tokens * len(models), completion_tokens * len(models))
    last = _chunk({}, "stop")
    last["x_groq"] = {"usage": total if models else usage, "usage_breakdown": {"models": breakdown}}
    chunks.append(last)
    return chunks


def builtin_chunks(
    kind: str = "code_interpreter", answer: str = "The answer is 4.", chunk_chars: int = 4
) -> list[dict[str, object]]:
    """A gpt-oss stream with a built-in tool: `code_interpreter` or `browser_search`.

    No recording exists; each field follows GROQ_2026.md: code runs as `type:"function"`,
    `name:"python"` with `code_results[{text}]` (§1.1, [DOC code-execution], §6 item 2);
    browser search as a `browser.search` entry whose results are in `search_results` and
    `output` (§1.0 "search in `search_results` or `output`") and a `browser.open` page visit
    (§1.1 LiteLLM's `_executed_tool_actions`, §6 item 2). Each index is sent twice (call, result).
    """
    if kind == "code_interpreter":
        call: dict[str, object] = {"index": 0, "type": "function", "name": "python",
                                   "arguments": json.dumps({"code": "print(2+2)"})}  # fmt: skip
        calls = [(call, {**call, "code_results": [{"text": "4\n"}]})]
    else:
        search: dict[str, object] = {"index": 0, "type": "browser.search",
                                     "name": "browser.search",
                                     "arguments": json.dumps({"query": "groq"})}  # fmt: skip
        found = {"title": "Groq", "url": "https://groq.com", "content": "Fast inference",
                 "score": 0.9}  # fmt: skip
        url = json.dumps({"url": "https://groq.com"})
        visit: dict[str, object] = {"index": 1, "type": "browser.open", "name": "browser.open",
                                    "arguments": url}  # fmt: skip
        calls = [
            (search, {**search, "search_results": {"results": [found]},
                      "output": "Title: Groq\nURL: https://groq.com\nContent: Fast inference"}),
            (visit, {**visit, "output": "Groq: fast inference."}),
        ]  # fmt: skip
    chunks = [_chunk({"role": "assistant", "content": ""})]
    chunks.append(_chunk({"reasoning": "Let me run the tool."}))
    for call_entry, result in calls:
        chunks.append(_chunk({"executed_tools": [call_entry]}))
        chunks.append(_chunk({"executed_tools": [result]}))
    chunks += [_chunk({"content": p}) for p in _pieces(answer, chunk_chars)]
    last = _chunk({}, "stop")
    last["x_groq"] = {"usage": usage_dict(40, 12)}
    chunks.append(last)
    return chunks


def citation_chunks(answer: str = "Paris is the capital.", document_id: str = "doc-1"):
    """A stream citing a document (`document_citation`) and a tool result (`function_citation`)."""
    chunks = [_chunk({"role": "assistant", "content": ""})]
    chunks += [_chunk({"content": p}) for p in _pieces(answer, 6)]
    chunks.append(_chunk({"annotations": [{"type": "document_citation", "document_citation": {
        "document_id": document_id, "start_index": 0, "end_index": 5}}]}))  # fmt: skip
    chunks.append(_chunk({"annotations": [{"type": "function_citation", "function_citation": {
        "tool_call_id": "call_1", "start_index": 6, "end_index": 20}}]}))  # fmt: skip
    last = _chunk({}, "stop")
    last["x_groq"] = {"usage": usage_dict(20, 6)}
    chunks.append(last)
    return chunks
