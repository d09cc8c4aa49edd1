"""`@prompt_template`: declare a prompt on a function or a prompt class.

On a function, the decorator returns a `functools.wraps` wrapper that, called directly, returns the
rendered `list[BaseMessageParam]` (an awaitable of it for an `async def`). The wrapper carries:

- `_prompt_template`: the cleaned template string, or `None` for the shorthand form;
- `_original_fn`: the undecorated function, which the call factory calls itself.

On a class, it only sets `cls._prompt_template`. Rendering lives in `_template.py`;
`get_prompt_template`, `get_original_fn` and `get_fn_args` are what the call factory reads.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Protocol, TypeVar, cast, overload

from typing_extensions import ParamSpec

from mirascope.core.base._template import clean_template, resolve_messages
from mirascope.core.base.message_param import BaseMessageParam

_P = ParamSpec("_P")
_T = TypeVar("_T")

_DOCSTRING_TEMPLATE_ENV = "MIRASCOPE_DOCSTRING_PROMPT_TEMPLATE"


class PromptDecorator(Protocol):
    """What `prompt_template(...)` returns: a decorator for classes and (async) functions.

    Example:
        ```python
        decorator: PromptDecorator = prompt_template("Recommend a {genre} book.")
        ```
    """

    # Classes are callable too; the first matching overload wins, which is the point.
    @overload
    def __call__(self, target: type[_T]) -> type[_T]: ...  # pyright: ignore[reportOverlappingOverload]
    @overload
    def __call__(
        self, target: Callable[_P, Coroutine[Any, Any, Any]]
    ) -> Callable[_P, Coroutine[Any, Any, list[BaseMessageParam]]]: ...
    @overload
    def __call__(self, target: Callable[_P, Any]) -> Callable[_P, list[BaseMessageParam]]: ...


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


def _wrap_function(fn: Callable[..., Any], template: str | None) -> Callable[..., Any]:
    def messages(returned: object, fn_args: Mapping[str, Any]) -> list[BaseMessageParam]:
        resolved, _ = resolve_messages(template, returned, fn_args)
        # Groq dicts spliced in through MESSAGES: stay dicts; v1 types this list the same way.
        return cast("list[BaseMessageParam]", resolved)

    wrapper: Callable[..., Any]
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> list[BaseMessageParam]:
            fn_args = get_fn_args(fn, args, kwargs)
            return messages(await fn(*args, **kwargs), fn_args)

        wrapper = async_wrapper
    else:

        @functools.wraps(fn)
        def sync_wrapper(*args: Any, **kwargs: Any) -> list[BaseMessageParam]:
            fn_args = get_fn_args(fn, args, kwargs)
            return messages(fn(*args, **kwargs), fn_args)

        wrapper = sync_wrapper
    setattr(wrapper, "_prompt_template", template)  # noqa: B010 - read by the call factory
    setattr(wrapper, "_original_fn", fn)  # noqa: B010 - read by the call factory
    return wrapper


def prompt_template(template: str | None = None) -> PromptDecorator:
    """Declare a prompt template (or, with no argument, a shorthand prompt).

    The template is dedented and stripped. `SYSTEM:`, `USER:` and `ASSISTANT:` start messages,
    `MESSAGES: {history}` splices a list of messages in, and `{var}`, `{obj.attr}`,
    `{price:.2f}`, `{items:list}`, `{url:image}` and the other content-part specs are filled from
    the function's arguments and its dynamic config's `computed_fields`.

    A decorated function, called directly, returns its messages. With no template the function
    builds them itself: it returns a str, a list of parts, or messages.

    Example:
        ```python
        @prompt_template(
            '''
            SYSTEM: You are a librarian.
            USER: Recommend a {genre} book.
            '''
        )
        def recommend_book_prompt(genre: str) -> None: ...

        recommend_book_prompt("fantasy")
        # [BaseMessageParam(role="system", content="You are a librarian."),
        #  BaseMessageParam(role="user", content="Recommend a fantasy book.")]
        ```
    """
    cleaned = None if template is None else clean_template(template)

    def decorator(target: Any) -> Any:
        if isinstance(target, type):
            if cleaned is None:
                raise TypeError("prompt_template() on a class needs a template string")
            setattr(target, "_prompt_template", cleaned)  # noqa: B010 - read by BasePrompt
            return target
        return _wrap_function(cast("Callable[..., Any]", target), cleaned)

    return cast("PromptDecorator", decorator)


__all__ = [
    "PromptDecorator",
    "get_fn_args",
    "get_original_fn",
    "get_prompt_template",
    "prompt_template",
]
