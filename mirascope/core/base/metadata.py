"""`Metadata` and the `@metadata` decorator.

Metadata is free-form information attached to a prompt function or class (v1 keeps only `tags`).
The decorator stores it on the target as `_metadata` and returns the target unchanged; a dynamic
config's `"metadata"` key replaces it for one call (`get_metadata`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from typing_extensions import TypedDict

_T = TypeVar("_T")


class Metadata(TypedDict, total=False):
    """Information attached to a call, carried unchanged onto its response.

    Example:
        ```python
        Metadata(tags={"version:0001"})
        ```
    """

    tags: set[str]


def metadata(metadata: Metadata) -> Callable[[_T], _T]:
    """Attach `metadata` to a prompt function or class (as `_metadata`).

    Example:
        ```python
        from mirascope.core import groq, metadata

        @groq.call("llama-3.1-8b-instant")
        @metadata({"tags": {"version:0001"}})
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book."

        recommend_book("fantasy").metadata  # {"tags": {"version:0001"}}
        ```
    """

    def inner(target: _T) -> _T:
        setattr(target, "_metadata", metadata)  # noqa: B010 - target is a function or a class
        return target

    return inner


def get_metadata(fn: object, dynamic_config: Mapping[str, Any] | None = None) -> Metadata:
    """The metadata for one call: the dynamic config's, else the decorator's, else `{}`.

    Example:
        ```python
        get_metadata(recommend_book, {"metadata": {"tags": {"beta"}}})  # {"tags": {"beta"}}
        ```
    """
    if dynamic_config and (dynamic := dynamic_config.get("metadata")):
        return cast("Metadata", dynamic)
    if stored := getattr(fn, "_metadata", None):
        return cast("Metadata", stored)
    return {}


__all__ = ["Metadata", "get_metadata", "metadata"]
