"""Deterministic "model output" when a test scripts nothing: short answers, tool arguments, JSON.

Everything here is a pure function of the request body, so the same request always gets the same
content. Loops over schemas are bounded by depth.
"""

from __future__ import annotations

import json
from typing import cast

__all__ = ["canned_text", "last_user_text", "prompt_text", "sample_from_schema"]

_BOOKS: dict[str, tuple[str, str, str]] = {
    "fantasy": (
        "The Name of the Wind",
        "Patrick Rothfuss",
        "a lyrical coming-of-age story about a gifted young musician and arcanist",
    ),
    "science fiction": ("Dune", "Frank Herbert", "an epic of politics, ecology and prophecy"),
    "sci-fi": ("Dune", "Frank Herbert", "an epic of politics, ecology and prophecy"),
    "mystery": (
        "The Murder of Roger Ackroyd",
        "Agatha Christie",
        "a village whodunit with one of the genre's most famous twists",
    ),
    "romance": ("Pride and Prejudice", "Jane Austen", "a witty tale of first impressions"),
    "horror": ("The Haunting of Hill House", "Shirley Jackson", "a quiet, unsettling ghost story"),
    "history": ("SPQR", "Mary Beard", "a lively history of ancient Rome"),
}


def _content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for part in cast(list[object], content):
            if isinstance(part, dict):
                text = cast(dict[str, object], part).get("text")
                if isinstance(text, str):
                    parts.append(text)
        return " ".join(parts)
    return ""


def _messages(body: dict[str, object]) -> list[dict[str, object]]:
    raw = body.get("messages")
    if not isinstance(raw, list):
        return []
    return [cast(dict[str, object], m) for m in cast(list[object], raw) if isinstance(m, dict)]


def prompt_text(body: dict[str, object]) -> str:
    """All message text of a request, joined; used to count prompt tokens."""
    return "\n".join(_content_text(m.get("content")) for m in _messages(body))


def last_user_text(body: dict[str, object]) -> str:
    """The text of the last `user` message, or `""`."""
    for message in reversed(_messages(body)):
        if message.get("role") == "user":
            return _content_text(message.get("content"))
    return ""


def last_role(body: dict[str, object]) -> str | None:
    """The role of the last message, if any."""
    messages = _messages(body)
    role = messages[-1].get("role") if messages else None
    return role if isinstance(role, str) else None


def canned_text(body: dict[str, object]) -> str:
    """A plausible short answer for the prompt.

    A request about books gets a one-paragraph recommendation (genre-aware); a turn that follows a
    tool result summarises it; anything else gets a short, polite generic answer.
    """
    if last_role(body) == "tool":
        result = _content_text(_messages(body)[-1].get("content")).strip()
        return f"Here is what I found: {result[:200]}" if result else "The tool returned no data."
    prompt = last_user_text(body)
    lowered = prompt.lower()
    if "book" in lowered or "read" in lowered:
        genre = next((g for g in _BOOKS if g in lowered), "fantasy")
        title, author, pitch = _BOOKS[genre]
        return (
            f"I recommend *{title}* by {author}. It is {pitch}, with memorable characters and a "
            f"story that is hard to put down. If you enjoy {genre}, it is a great place to start."
        )
    if not prompt.strip():
        return "Hello! How can I help you today?"
    topic = " ".join(prompt.split()[:12])
    return (
        f'Thanks for your question about "{topic}". This is a canned answer from the Groq '
        "emulator: it is short, deterministic and safe to assert on in tests."
    )


def _resolve(schema: dict[str, object], root: dict[str, object]) -> dict[str, object]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node = root
        for key in ref[2:].split("/"):
            child = node.get(key)
            if not isinstance(child, dict):
                return {}
            node = cast(dict[str, object], child)
        return node
    return schema


def sample_from_schema(
    schema: object, root: dict[str, object] | None = None, depth: int = 0
) -> object:
    """A small instance that satisfies a (pydantic-style) JSON schema.

    Handles `$ref` into `$defs`, `anyOf`/`oneOf` (first non-null option), `enum`, `const`,
    `default`, objects (every property), arrays (one item) and scalars. Depth is capped at 6.
    """
    if not isinstance(schema, dict) or depth > 6:
        return None
    node = cast(dict[str, object], schema)
    root = node if root is None else root
    node = _resolve(node, root)
    for key in ("const", "default"):
        if key in node:
            return node[key]
    enum = node.get("enum")
    if isinstance(enum, list) and enum:
        return cast(list[object], enum)[0]
    for key in ("anyOf", "oneOf", "allOf"):
        options = node.get(key)
        if isinstance(options, list):
            opts = [cast(dict[str, object], o) for o in cast(list[object], options)
                    if isinstance(o, dict)]  # fmt: skip
            real = [o for o in opts if o.get("type") != "null"]
            return sample_from_schema((real or opts or [{}])[0], root, depth + 1)
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [k for k in cast(list[object], kind) if k != "null"]
        kind = kinds[0] if kinds else "null"
    if kind == "object" or "properties" in node:
        props = node.get("properties")
        if not isinstance(props, dict):
            return {}
        return {
            str(k): sample_from_schema(v, root, depth + 1)
            for k, v in cast(dict[str, object], props).items()
        }
    if kind == "array":
        return [sample_from_schema(node.get("items", {"type": "string"}), root, depth + 1)]
    return {"integer": 1, "number": 1.5, "boolean": True, "null": None}.get(str(kind), "example")


def chosen_tool(body: dict[str, object]) -> dict[str, object] | None:
    """The tool forced by `tool_choice`, else the request's first tool, else `None`."""
    raw = body.get("tools")
    tools = (
        [cast(dict[str, object], t) for t in cast(list[object], raw) if isinstance(t, dict)]
        if isinstance(raw, list)
        else []
    )
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        forced = cast(dict[str, object], choice).get("function")
        name = cast(dict[str, object], forced).get("name") if isinstance(forced, dict) else None
        for tool in tools:
            fn = tool.get("function")
            if isinstance(fn, dict) and cast(dict[str, object], fn).get("name") == name:
                return tool
    return tools[0] if tools else None


def tool_arguments(tool: dict[str, object]) -> tuple[str, str]:
    """`(name, JSON arguments)` for a request tool, with arguments sampled from its schema."""
    function = tool.get("function")
    fn = cast(dict[str, object], function) if isinstance(function, dict) else {}
    name = fn.get("name")
    params = fn.get("parameters", {"type": "object", "properties": {}})
    args = sample_from_schema(params)
    return (name if isinstance(name, str) else "tool", json.dumps(args if args else {}))
