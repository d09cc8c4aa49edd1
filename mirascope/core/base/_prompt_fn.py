"""What the call factory reads from a prompt function: its template, original and arguments.

Kept apart from `prompt.py` (which defines `BasePrompt` and renders messages), so decorating a
function imports no message or template machinery.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from typing import Any, cast

_DOCSTRING_TEMPLATE_ENV = "MIRASCOPE_DOCSTRING_PROMPT_TEMPLATE"


def get_fn_args(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> dict[str, Any]:
    """Bind a call's arguments to `fn`'s parameters, defaults applied (`self` included).

    Raises:
        TypeError: when the arguments do not fit the signature.

    Example:
        ```python
        def recommend_book(genre: str, n: int = 1) -> None: ...

        get_fn_args(recommend_book, ("fantasy",), {})  # {"genre": "fantasy", "n": 1}
        ```
    """
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def get_prompt_template(fn: object) -> str | None:
    """The template of a decorated function or prompt class, or None for shorthand prompts.

    Without `@prompt_template`, the docstring is the template only when the environment variable
    `MIRASCOPE_DOCSTRING_PROMPT_TEMPLATE` is `ENABLED` (as in v1).

    Example:
        ```python
        @prompt_template("Recommend a {genre} book.")
        def recommend_book(genre: str) -> None: ...

        get_prompt_template(recommend_book)  # "Recommend a {genre} book."
        ```
    """
    if hasattr(fn, "_prompt_template"):
        return cast("str | None", getattr(fn, "_prompt_template"))  # noqa: B009 - typed access
    doc = getattr(fn, "__doc__", None)
    if os.environ.get(_DOCSTRING_TEMPLATE_ENV) == "ENABLED" and isinstance(doc, str) and doc:
        from ._template import clean_template

        return clean_template(doc)
    return None


def get_original_fn(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The undecorated prompt function behind a `prompt_template` wrapper (else `fn` itself).

    Example:
        ```python
        get_original_fn(recommend_book)(genre="fantasy")  # None: the body of the original
        ```
    """
    return cast("Callable[..., Any]", getattr(fn, "_original_fn", fn))


__all__ = ["get_fn_args", "get_original_fn", "get_prompt_template"]
