"""Incremental JSON parsing and partial-model building for structured streams.

`JsonStream.feed(text)` consumes the next fragment of a JSON object and updates a tree of nodes
in place; `PartialBuilder.build(root)` turns that tree into a partial model instance (every field
optional, see `_partial.py`), re-validating only what changed.

Invariants:
- Linear in the output length: every character is scanned once (strings in bulk, by regex), and
  a rebuild touches only the nodes changed since the last build: the open path from the root to
  the newest value, plus the items closed since. Closed array items are built once and reused.
- A node's `version` is the generation of the last `feed()` that changed it or anything below
  it. Everything changed in a generation has its whole ancestor chain marked in that
  generation, so `built_version == version` means the cached build is current.
- Visible values: objects and arrays from their opening bracket, strings as they grow, numbers
  and `true`/`false`/`null` once complete (a number cut mid-way could still change).
- Text before the first `{` is skipped, and everything after the root object closes is ignored,
  as JSON-mode extraction discards what surrounds the object.
"""

from __future__ import annotations

import contextlib
import json
import re
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

__all__ = ["JsonStream", "PartialBuilder"]

_STRING_STOP = re.compile(r'["\\]')
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_NUMBER_CHARS = frozenset("+-0123456789.eE")
_LITERALS = {"true": True, "false": False, "null": None}
_SIMPLE_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
_WHITESPACE = frozenset(" \t\r\n")

# Parser states.
_SEEK, _VALUE, _KEY_OR_END, _KEY, _COLON, _COMMA_OR_END, _STRING, _SCALAR, _DONE = range(9)


class _Node:
    """A JSON value in the tree; `built` caches its partial-model form for `built_version`."""

    __slots__ = ("built", "built_version", "version")

    def __init__(self, version: int) -> None:
        self.version = version
        self.built: Any = None
        self.built_version = -1


class _Str(_Node):
    __slots__ = ("closed", "text")

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.text = ""
        self.closed = False


class _Scalar(_Node):
    __slots__ = ("value",)

    def __init__(self, version: int, value: object) -> None:
        super().__init__(version)
        self.value = value


class _Obj(_Node):
    __slots__ = ("children", "closed", "key")

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.children: dict[str, _Node] = {}
        self.closed = False
        self.key: str | None = None
        """The key whose value is being parsed."""


class _Arr(_Node):
    __slots__ = ("closed", "items", "prefix", "seen")

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.items: list[_Node] = []
        self.closed = False
        self.prefix: list[Any] = []
        """Built forms of the closed items; they never change again."""
        self.seen = 0
        """How many closed items `prefix` accounts for."""


def _materialize(node: _Node) -> Any:
    """The plain Python value of a subtree (for fields validated as a whole)."""
    if isinstance(node, _Str):
        return node.text
    if isinstance(node, _Scalar):
        return node.value
    if isinstance(node, _Obj):
        return {key: _materialize(child) for key, child in node.children.items()}
    assert isinstance(node, _Arr)
    return [_materialize(item) for item in node.items]


class JsonStream:
    """An incremental parser for one JSON object arriving in fragments.

    Example:
        ```python
        parser = JsonStream()
        parser.feed('{"title": "Du')  # True: something visible changed
        parser.feed("ne")
        parser.root.children["title"].text  # "Dune"
        ```
    """

    def __init__(self) -> None:
        self.root: _Obj | None = None
        self.generation = 0
        self._stack: list[_Obj | _Arr] = []
        self._state = _SEEK
        self._key_parts: list[str] = []
        self._string: _Str | None = None  # the value string being read (None: a key)
        self._escape = ""  # an escape sequence cut by a fragment boundary
        self._high_surrogate = ""
        self._scalar = ""  # a number or literal cut by a fragment boundary
        self._changed = False

    @property
    def done(self) -> bool:
        """Whether the root object has closed."""
        return self._state == _DONE

    # -- tree updates -----------------------------------------------------------------------

    def _touch(self, node: _Node | None = None) -> None:
        generation = self.generation
        self._changed = True
        if node is not None:
            node.version = generation
        for frame in reversed(self._stack):
            if frame.version == generation:
                break  # its ancestors were marked in this generation too
            frame.version = generation

    def _attach(self, node: _Node) -> None:
        parent = self._stack[-1]
        if isinstance(parent, _Obj):
            assert parent.key is not None
            parent.children[parent.key] = node
        else:
            parent.items.append(node)
        self._touch(node)

    def _after_value(self) -> None:
        self._state = _COMMA_OR_END if self._stack else _DONE

    def _open(self, node: _Obj | _Arr) -> None:
        self._attach(node)
        self._stack.append(node)
        self._state = _KEY_OR_END if isinstance(node, _Obj) else _VALUE

    def _close(self) -> None:
        node = self._stack.pop()
        node.closed = True
        self._after_value()

    def _append_text(self, text: str) -> None:
        if self._high_surrogate:
            # A high surrogate not followed by a low one: pydantic cannot take it in a str.
            text = "\ufffd" + text
            self._high_surrogate = ""
        if self._string is None:
            self._key_parts.append(text)
        else:
            self._string.text += text
            self._touch(self._string)

    def _decode_escape(self, escape: str) -> None:
        # `escape` is complete: backslash plus one char, or backslash-u plus 4 hex digits.
        if escape[1] != "u":
            char = _SIMPLE_ESCAPES.get(escape[1])
            if char is None:
                raise ValueError(f"Invalid escape {escape!r} in JSON string")
            self._append_text(char)
            return
        code = int(escape[2:], 16)
        if 0xD800 <= code < 0xDC00:
            if self._high_surrogate:
                self._append_text("")  # flushes the previous, unpaired one
            self._high_surrogate = chr(code)
            return
        if 0xDC00 <= code < 0xE000 and self._high_surrogate:
            high = ord(self._high_surrogate)
            self._high_surrogate = ""
            self._append_text(chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)))
            return
        self._append_text(chr(code))

    def _end_string(self) -> None:
        if self._high_surrogate:
            self._append_text("")
        string = self._string
        if string is None:
            parent = self._stack[-1]
            assert isinstance(parent, _Obj)
            parent.key = "".join(self._key_parts)
            self._key_parts.clear()
            self._state = _COLON
            return
        string.closed = True
        self._string = None
        self._after_value()

    def _end_scalar(self) -> None:
        token = self._scalar
        self._scalar = ""
        if token in _LITERALS:
            value: object = _LITERALS[token]
        elif _NUMBER.fullmatch(token):
            value = json.loads(token)
        else:
            raise ValueError(f"Invalid JSON value {token!r}")
        self._attach(_Scalar(self.generation, value))
        self._after_value()

    # -- scanning ---------------------------------------------------------------------------

    def feed(self, text: str) -> bool:
        """Consume the next fragment; return whether any visible value changed.

        Raises:
            ValueError: The text is not valid JSON (so far).
        """
        self.generation += 1
        self._changed = False
        i, n = 0, len(text)
        while i < n:
            state = self._state
            if state == _STRING:
                if self._escape:
                    # Escapes are short: finish one a character at a time.
                    escape = self._escape + text[i]
                    i += 1
                    if len(escape) == 6 or (len(escape) == 2 and escape[1] != "u"):
                        self._escape = ""
                        self._decode_escape(escape)
                    else:
                        self._escape = escape
                    continue
                match = _STRING_STOP.search(text, i)
                stop = match.start() if match is not None else n
                if stop > i:
                    self._append_text(text[i:stop])
                if match is None:
                    break
                if text[stop] == '"':
                    i = stop + 1
                    self._end_string()
                else:
                    self._escape = "\\"
                    i = stop + 1
                continue
            if state == _SCALAR:
                j = i
                while j < n and (text[j] in _NUMBER_CHARS or text[j].isalpha()):
                    j += 1
                self._scalar += text[i:j]
                i = j
                if j < n:
                    self._end_scalar()
                continue
            char = text[i]
            i += 1
            if char in _WHITESPACE:
                continue
            if state == _SEEK:
                if char == "{":
                    root = _Obj(self.generation)
                    self.root = root
                    self._touch(root)
                    self._stack.append(root)
                    self._state = _KEY_OR_END
            elif state == _DONE:
                break
            elif state == _VALUE:
                self._start_value(char)
            elif state in (_KEY_OR_END, _KEY):
                if char == '"':
                    self._string = None
                    self._state = _STRING
                elif char == "}" and state == _KEY_OR_END:
                    self._close()
                else:
                    raise ValueError(f"Expected a key in JSON, got {char!r}")
            elif state == _COLON:
                if char != ":":
                    raise ValueError(f"Expected ':' in JSON, got {char!r}")
                self._state = _VALUE
            else:  # _COMMA_OR_END
                top = self._stack[-1]
                closer = "}" if isinstance(top, _Obj) else "]"
                if char == closer:
                    self._close()
                elif char == ",":
                    self._state = _KEY if isinstance(top, _Obj) else _VALUE
                else:
                    raise ValueError(f"Expected ',' or {closer!r} in JSON, got {char!r}")
        return self._changed

    def _start_value(self, char: str) -> None:
        if char == "{":
            self._open(_Obj(self.generation))
        elif char == "[":
            self._open(_Arr(self.generation))
        elif char == '"':
            string = _Str(self.generation)
            self._attach(string)
            self._string = string
            self._state = _STRING
        elif char == "]" and isinstance(self._stack[-1], _Arr) and not self._stack[-1].items:
            self._close()
        elif char in _NUMBER_CHARS or char.isalpha():
            self._scalar = char
            self._state = _SCALAR
        else:
            raise ValueError(f"Unexpected {char!r} in JSON")


class _Invalid(Exception):
    """A value does not (yet) fit its field; the field is left out of this partial."""


class _Builder:
    def build(self, node: _Node) -> Any:
        if node.built_version != node.version:
            node.built = self._build(node)
            node.built_version = node.version
        return node.built

    def _build(self, node: _Node) -> Any:
        raise NotImplementedError


class _ValueBuilder(_Builder):
    """Validates the whole subtree against the field's (partial) type."""

    def __init__(self, annotation: Any) -> None:
        self.adapter: TypeAdapter[Any] = TypeAdapter(annotation)

    def _build(self, node: _Node) -> Any:
        try:
            return self.adapter.validate_python(_materialize(node))
        except ValidationError as exc:
            raise _Invalid() from exc


class _ListBuilder(_Builder):
    """A list built item by item; closed items are built once and kept."""

    def __init__(self, item: _Builder) -> None:
        self.item = item

    def _build(self, node: _Node) -> Any:
        if not isinstance(node, _Arr):
            raise _Invalid()
        items, prefix = node.items, node.prefix
        closed = len(items) if node.closed else len(items) - 1
        # Only the last item can still change; the others are built once, when first seen closed.
        while node.seen < closed:
            with contextlib.suppress(_Invalid):  # an item that never fits is left out
                prefix.append(self.item.build(items[node.seen]))
            node.seen += 1
        if node.seen < len(items):
            try:
                return [*prefix, self.item.build(items[-1])]
            except _Invalid:
                pass
        return list(prefix)


class _ModelBuilder(_Builder):
    """A partial model assembled from its fields' built values, without re-validating them."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self.fields: dict[str, tuple[str, _Builder]] | None = None  # built lazily (recursion)

    def _fields(self) -> dict[str, tuple[str, _Builder]]:
        if self.fields is None:
            fields: dict[str, tuple[str, _Builder]] = {}
            self.fields = fields
            for name, info in self.model.model_fields.items():
                key = info.validation_alias if isinstance(info.validation_alias, str) else None
                fields[key or info.alias or name] = (name, _builder_for(info.annotation))
        return self.fields

    def _build(self, node: _Node) -> Any:
        if not isinstance(node, _Obj):
            raise _Invalid()
        fields = self._fields()
        values: dict[str, Any] = {}
        for key, child in node.children.items():
            entry = fields.get(key)
            if entry is None:
                continue
            try:
                values[entry[0]] = entry[1].build(child)
            except _Invalid:
                continue
        return self.model.model_construct(**values)


_builders: dict[Any, _Builder] = {}


def _builder_for(annotation: Any) -> _Builder:
    try:
        cached = _builders.get(annotation)
    except TypeError:  # an unhashable annotation: build without caching
        cached = None
    if cached is not None:
        return cached
    inner = annotation
    origin = get_origin(inner)
    if origin is Union or origin is types.UnionType:
        args = [arg for arg in get_args(inner) if arg is not type(None)]
        if len(args) == 1:
            inner = args[0]
            origin = get_origin(inner)
    builder: _Builder
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        builder = _ModelBuilder(inner)
    elif origin is list and len(get_args(inner)) == 1:
        builder = _ListBuilder(_builder_for(get_args(inner)[0]))
    else:
        builder = _ValueBuilder(annotation)
    with contextlib.suppress(TypeError):
        _builders[annotation] = builder
    return builder


class PartialBuilder:
    """Builds partial instances of a (partial) model from a `JsonStream` tree.

    Example:
        ```python
        parser, builder = JsonStream(), PartialBuilder(partial(Book))
        if parser.feed('{"title": "Du'):
            builder.build(parser.root)  # PartialBook(title='Du', author=None)
        ```
    """

    def __init__(self, model: type[BaseModel]) -> None:
        self._root = _builder_for(model)

    def build(self, root: object) -> BaseModel | None:
        """The partial instance for the current tree, or None when it does not fit the model."""
        if not isinstance(root, _Node):
            return None
        try:
            return self._root.build(root)
        except _Invalid:
            return None
