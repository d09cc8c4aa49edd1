"""`@prompt_template` and `BasePrompt`: declare a prompt on a function or a prompt class.

On a function, the decorator returns a `functools.wraps` wrapper that, called directly, returns the
rendered `list[BaseMessageParam]` (an awaitable of it for an `async def`). The wrapper carries:

- `_prompt_template`: the cleaned template string, or `None` for the shorthand form;
- `_original_fn`: the undecorated function, which the call factory calls itself.

On a class, it only sets `cls._prompt_template`. Rendering lives in `_template.py`;
`get_prompt_template`, `get_original_fn` and `get_fn_args` (`_prompt_fn.py`) are what the call
factory reads.

`BasePrompt` is a pydantic model whose fields (and properties) fill its class template;
`run(call_decorator)` turns it into a prompt function whose parameters are the fields and calls
it, so it returns exactly what that decorator returns.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from typing import Any, Protocol, TypeVar, cast, overload

from pydantic import BaseModel
from typing_extensions import ParamSpec

from mirascope.core.base._template import (
    clean_template,
    format_template,
    render_messages,
    resolve_messages,
    template_variables,
)
from mirascope.core.base.dynamic_config import BaseDynamicConfig
from mirascope.core.base.message_param import BaseMessageParam
from mirascope.core.base.metadata import get_metadata, metadata

from ._prompt_fn import get_fn_args, get_original_fn, get_prompt_template

_P = ParamSpec("_P")
_T = TypeVar("_T")


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


class _PromptAttrs(Mapping[str, Any]):
    """A prompt's template values: fields, properties, `self` and computed fields, read lazily."""

    def __init__(self, prompt: BasePrompt, computed: Mapping[str, Any]) -> None:
        self._prompt = prompt
        self._computed = computed

    def __getitem__(self, key: str) -> Any:
        if key in self._computed:
            return self._computed[key]
        if key == "self":
            return self._prompt
        if key.startswith("_"):
            raise KeyError(key)
        try:
            return getattr(self._prompt, key)
        except AttributeError as exc:
            raise KeyError(key) from exc

    def __iter__(self) -> Iterator[str]:
        return iter([*type(self._prompt).model_fields, *self._computed])

    def __len__(self) -> int:
        return len(type(self._prompt).model_fields) + len(self._computed)


class BasePrompt(BaseModel):
    """A prompt as a pydantic model: fields fill the class template, any decorator runs it.

    The template comes from `@prompt_template("...")` on the class; it sees the fields, the
    properties, `self` and the `computed_fields` of `dynamic_config()`.

    Example:
        ```python
        from mirascope.core import BasePrompt, groq, prompt_template

        @prompt_template("Recommend a {genre} book")
        class BookRecommendationPrompt(BasePrompt):
            genre: str

        prompt = BookRecommendationPrompt(genre="fantasy")
        print(prompt)  # Recommend a fantasy book
        response = prompt.run(groq.call("openai/gpt-oss-20b"))
        stream = prompt.run(groq.call("openai/gpt-oss-20b", stream=True))
        ```
    """

    def _template(self) -> str:
        template = get_prompt_template(type(self))
        if template is None:
            raise ValueError(
                f"{type(self).__name__} has no template: decorate the class with "
                '@prompt_template("...")'
            )
        return template

    def _attrs(self) -> _PromptAttrs:
        config = self.dynamic_config() or {}
        computed = cast("Mapping[str, Any]", config.get("computed_fields") or {})
        return _PromptAttrs(self, computed)

    def __str__(self) -> str:
        """The template formatted with the prompt's values (role markers kept as text)."""
        return format_template(self._template(), self._attrs())

    def message_params(self) -> list[BaseMessageParam]:
        """The template rendered into messages.

        Example:
            ```python
            BookRecommendationPrompt(genre="fantasy").message_params()
            # [BaseMessageParam(role="user", content="Recommend a fantasy book")]
            ```
        """
        return cast("list[BaseMessageParam]", render_messages(self._template(), self._attrs()))

    def dynamic_config(self) -> BaseDynamicConfig[Any, Any, Any]:
        """The dynamic configuration of each run (override it); `None` by default.

        Example:
            ```python
            @prompt_template("Recommend a {genre} book for a {reader} reader")
            class Prompt(BasePrompt):
                genre: str

                def dynamic_config(self) -> groq.GroqDynamicConfig:
                    return {"computed_fields": {"reader": "young"}}
            ```
        """
        return None

    def dump(self) -> dict[str, Any]:
        """The prompt's metadata, rendered text, template and inputs.

        Example:
            ```python
            BookRecommendationPrompt(genre="fantasy").dump()
            # {"metadata": {}, "prompt": "Recommend a fantasy book",
            #  "template": "Recommend a {genre} book", "inputs": {"genre": "fantasy"}}
            ```
        """
        return {
            "metadata": getattr(self, "_metadata", {}),
            "prompt": str(self),
            "template": self._template(),
            "inputs": self.model_dump(),
        }

    def _prompt_fn(self, is_async: bool) -> Callable[..., Any]:
        """A prompt function whose keyword parameters are the fields; it returns the config."""
        template = self._template()
        fields = list(type(self).model_fields)
        extra = [
            root
            for root in dict.fromkeys(
                v.split(".")[0].split("[")[0] for v in template_variables(template)
            )
            if root not in fields
        ]

        def config() -> dict[str, Any] | None:
            # Properties and `self` reach the template as computed fields.
            dynamic: dict[str, Any] = dict(self.dynamic_config() or {})
            attrs = self._attrs()
            computed = {name: attrs[name] for name in extra if name in attrs}
            if computed:
                dynamic["computed_fields"] = {**computed, **(dynamic.get("computed_fields") or {})}
            return dynamic or None

        fn: Callable[..., Any]
        if is_async:

            async def run_async(**kwargs: Any) -> dict[str, Any] | None:
                return config()

            fn = run_async
        else:

            def run(**kwargs: Any) -> dict[str, Any] | None:
                return config()

            fn = run
        fn.__name__ = fn.__qualname__ = type(self).__name__
        setattr(  # noqa: B010 - read by inspect.signature
            fn,
            "__signature__",
            inspect.Signature(
                [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY) for name in fields]
            ),
        )
        decorated: Any = prompt_template(template)(fn)
        setattr(decorated, "_metadata", get_metadata(self, self.dynamic_config()))  # noqa: B010
        return decorated

    def _apply(self, fn: Callable[..., Any], decorators: tuple[Callable[[Any], Any], ...]) -> Any:
        # As v1: the call decorator is outermost, the additional ones sit inside it.
        for decorator in (*decorators[1:], decorators[0]):
            fn = decorator(fn)
        return fn(**{name: getattr(self, name) for name in type(self).model_fields})

    def run(
        self, call_decorator: Callable[[Any], Callable[..., _T]], *additional_decorators: Any
    ) -> _T:
        """Run the prompt with a call decorator; returns what that decorator's call returns.

        Example:
            ```python
            prompt = BookRecommendationPrompt(genre="fantasy")
            response = prompt.run(groq.call("openai/gpt-oss-20b"))
            book = prompt.run(groq.call("openai/gpt-oss-20b", response_model=Book))
            ```
        """
        return self._apply(
            self._prompt_fn(is_async=False), (call_decorator, *additional_decorators)
        )

    def run_async(
        self,
        call_decorator: Callable[[Any], Callable[..., Awaitable[_T]]],
        *additional_decorators: Any,
    ) -> Awaitable[_T]:
        """The async twin of `run`: the prompt function is `async def`, so await the result.

        Example:
            ```python
            response = await prompt.run_async(groq.call("openai/gpt-oss-20b"))
            ```
        """
        return self._apply(self._prompt_fn(is_async=True), (call_decorator, *additional_decorators))


class MetadataDecorator(Protocol):
    """What `metadata(...)` returns: a decorator for a prompt function or `BasePrompt` class."""

    def __call__(self, prompt: _T) -> _T: ...


__all__ = [
    "BasePrompt",
    "MetadataDecorator",
    "PromptDecorator",
    "get_fn_args",
    "get_original_fn",
    "get_prompt_template",
    "metadata",
    "prompt_template",
]
