"""Prompt templates: parse, render, and turn a prompt function's result into messages.

The whole pipeline lives here (v1 spreads it over a dozen one-function files):

1. `clean_template` dedents and strips the template once, when it is declared.
2. `_split_sections` cuts it at the role markers `SYSTEM:`, `USER:`, `ASSISTANT:` and `MESSAGES:`.
3. Each section is cleaned again (its text starts after the marker, on the same line or the next),
   then rendered field by field into text and, for content-part specs such as `{url:image}`,
   parts. A section that renders to nothing is dropped.
4. `resolve_messages` picks between the template, a dynamic config's `messages` and a shorthand
   return value; it is what the call factory uses.

Invariants:
- Role markers are found in the template text *before* any value is substituted, so a value that
  contains `USER:` can never start a new message.
- Rendering never mutates the attributes it is given (computed fields do not leak into `fn_args`,
  v1 bug B21).
- A missing variable raises `MissingTemplateVariableError` naming it; `None` renders as `""`.
"""

from __future__ import annotations

import base64
import re
import string
import textwrap
import urllib.parse
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from mirascope.core.base.message_param import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    ContentPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    TextPart,
)
from mirascope.core.base.messages import (
    is_audio_segment,
    is_pil_image,
    to_content,
    to_content_part,
)

_ROLE_MARKER = re.compile(r"(SYSTEM|USER|ASSISTANT|MESSAGES):")
"""Upper-case markers, matched anywhere in the text (v1 does not require a line start)."""

_PART_SPEC = re.compile(
    r"(text|texts|image|images|audio|audios|document|documents|part|parts|cache_control)"
    r"(?:\((.*)\))?",
    re.DOTALL,
)
"""A format spec that turns a field into content parts, with optional `(key=value, ...)` options."""

_URL_PREFIXES = ("http://", "https://", "gs://")
"""Sources sent to the provider as URL parts instead of being loaded."""

_FORMATTER = string.Formatter()


class MissingTemplateVariableError(KeyError, ValueError):
    """A prompt template refers to a variable that was not provided, or to an attribute, key or
    index that does not exist on it.

    It is a `KeyError` (like a failed `str.format`) and a `ValueError` (like v1's template errors).

    Example:
        ```python
        try:
            render_messages("Recommend a {genre} book.", {})
        except MissingTemplateVariableError as exc:
            exc.variable  # "genre"
        ```
    """

    def __init__(self, variable: str, needed: Sequence[str], cause: BaseException | None = None):
        self.variable = variable
        """The field as written in the template, e.g. `"genre"` or `"book.title"`."""
        self.needed = list(needed)
        """Every top-level variable the template uses."""
        needs = ", ".join(self.needed) or "(none)"
        if cause is None:
            self.message = (
                f"prompt template variable {variable!r} was not provided; "
                f"the template needs: {needs}"
            )
        else:
            self.message = (
                f"prompt template field {variable!r} could not be resolved "
                f"({type(cause).__name__}: {cause}); the template needs: {needs}"
            )
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError would repr() the message, wrapping it in quotes.
        return self.message


def clean_template(template: str) -> str:
    """Dedent a template the way `inspect.cleandoc` does, but keep tabs, then strip it.

    The first line is left-stripped on its own; the common indentation of the other lines is
    removed; leading blank lines and trailing whitespace go.

    Example:
        ```python
        clean_template('''
            SYSTEM: You are a librarian.
            USER: Recommend a {genre} book.
        ''')  # "SYSTEM: You are a librarian.\\nUSER: Recommend a {genre} book."
        ```
    """
    first, _, rest = template.partition("\n")
    lines = [first.lstrip(), *textwrap.dedent(rest).split("\n")] if rest else [first.lstrip()]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def _field_root(field_name: str) -> str:
    return re.split(r"[.\[]", field_name, maxsplit=1)[0]


def template_variables(template: str) -> list[str]:
    """The top-level variable names a template uses, in order of first use.

    Example:
        ```python
        template_variables("USER: {book.title} by {author:list} {book.year}")  # ["book", "author"]
        ```
    """
    names: list[str] = []
    for _, field_name, spec, _ in _FORMATTER.parse(template):
        if field_name:
            root = _field_root(field_name)
            if root and root not in names:
                names.append(root)
        if spec and "{" in spec:
            names.extend(n for n in template_variables(spec) if n not in names)
    return names


def _split_sections(template: str) -> list[tuple[str, str]]:
    """(role, body) pairs; text before the first marker is ignored, as in v1."""
    markers = list(_ROLE_MARKER.finditer(template))
    if not markers:
        return [("user", template)]
    ends = [m.start() for m in markers[1:]] + [len(template)]
    pairs = zip(markers, ends, strict=True)
    return [(marker.group(1).lower(), template[marker.end() : end]) for marker, end in pairs]


def _lookup(field_name: str, attrs: Mapping[str, Any], needed: Sequence[str]) -> Any:
    if not field_name or field_name[0].isdigit() or field_name[0] in ".[":
        raise ValueError(
            f"prompt templates take named fields only, got {{{field_name}}}; "
            "write e.g. {genre} and pass genre as an argument"
        )
    if _field_root(field_name) not in attrs:
        raise MissingTemplateVariableError(field_name, needed)
    try:
        value, _ = _FORMATTER.get_field(field_name, (), attrs)
    except (AttributeError, KeyError, IndexError, TypeError) as exc:
        raise MissingTemplateVariableError(field_name, needed, exc) from exc
    return value


def _format_value(field_name: str, value: Any, spec: str) -> str:
    if value is None:
        return ""
    if spec == "list":
        if not isinstance(value, (list, tuple)):
            raise ValueError(
                f"template variable {field_name!r} uses the 'list' format spec but is a "
                f"{type(value).__name__}, not a list"
            )
        return "\n".join(str(item) for item in cast("Sequence[object]", value))
    if spec == "lists":
        groups = cast("Sequence[object]", value) if isinstance(value, (list, tuple)) else None
        if groups is None or not all(isinstance(group, (list, tuple)) for group in groups):
            raise ValueError(
                f"template variable {field_name!r} uses the 'lists' format spec but is not a "
                "list of lists"
            )
        return "\n\n".join(
            "\n".join(str(item) for item in cast("Sequence[object]", group)) for group in groups
        )
    try:
        return format(value, spec)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"template variable {field_name!r} ({type(value).__name__}) cannot be formatted "
            f"with spec {spec!r}: {exc}"
        ) from exc


def _parse_options(raw: str | None) -> dict[str, str]:
    options: dict[str, str] = {}
    for item in (raw or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"content-part option {item.strip()!r} must look like key=value")
        options[key.strip()] = value.strip().strip("'\"")
    return options


def _load_source(kind: str, field_name: str, source: object) -> bytes:
    """Bytes from bytes, a data URI or a file path (loaded now, not at send time)."""
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if not isinstance(source, str):
        raise ValueError(
            f"template variable {field_name!r} uses the {kind!r} spec but is a "
            f"{type(source).__name__}; expected a URL, a file path, a data URI or bytes"
        )
    try:
        if source.startswith("data:"):
            header, _, payload = source.partition(",")
            if header.endswith(";base64"):
                return base64.b64decode(payload, validate=True)
            return urllib.parse.unquote_to_bytes(payload)
        return Path(source).read_bytes()
    except (OSError, ValueError) as exc:
        shown = source if len(source) < 80 else source[:77] + "..."
        raise ValueError(
            f"could not load {kind} for template variable {field_name!r} from {shown!r}: {exc}"
        ) from exc


def sniff_image_type(data: bytes) -> str:
    """The image subtype from magic numbers: jpeg, png, gif, webp, heic or heif.

    Raises:
        ValueError: for anything else.

    Example:
        ```python
        sniff_image_type(b"\\x89PNG\\r\\n\\x1a\\n...")  # "png"
        ```
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix"):
            return "heic"
        if brand in (b"mif1", b"msf1", b"hevc", b"hevx"):
            return "heif"
    raise ValueError("unsupported image type: expected jpeg, png, gif, webp, heic or heif bytes")


def sniff_audio_type(data: bytes) -> str:
    """The audio subtype from magic numbers: wav, mp3, aiff, aac, ogg or flac.

    Raises:
        ValueError: for anything else.

    Example:
        ```python
        sniff_audio_type(b"fLaC...")  # "flac"
        ```
    """
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith((b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")):
        return "mp3"
    if data.startswith(b"FORM") and data[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if data.startswith((b"\xff\xf1", b"\xff\xf9")):
        return "aac"
    if data.startswith(b"OggS"):
        return "ogg"
    if data.startswith(b"fLaC"):
        return "flac"
    raise ValueError("unsupported audio type: expected wav, mp3, aiff, aac, ogg or flac bytes")


def sniff_document_type(data: bytes) -> str:
    """The document media type from magic numbers (PDF only, as v1).

    Raises:
        ValueError: for anything else.

    Example:
        ```python
        sniff_document_type(b"%PDF-1.7...")  # "application/pdf"
        ```
    """
    if data.startswith(b"%PDF"):
        return "application/pdf"
    raise ValueError("unsupported document type: expected PDF bytes")


def _text_part(field_name: str, value: object, options: Mapping[str, str]) -> ContentPart:
    if isinstance(value, TextPart):
        return value
    if not isinstance(value, str):
        raise ValueError(
            f"template variable {field_name!r} uses the 'text' spec but is a "
            f"{type(value).__name__}, not a str"
        )
    return TextPart(type="text", text=value)


def _image_part(field_name: str, value: object, options: Mapping[str, str]) -> ContentPart:
    detail = options.get("detail")
    if isinstance(value, (ImagePart, ImageURLPart)):
        return value
    if isinstance(value, str) and value.startswith(_URL_PREFIXES):
        return ImageURLPart(type="image_url", url=value, detail=detail)
    if is_pil_image(value):
        part = cast("ImagePart", to_content_part(value))
        return part.model_copy(update={"detail": detail})
    data = _load_source("image", field_name, value)
    try:
        media_type = f"image/{sniff_image_type(data)}"
    except ValueError as exc:
        raise ValueError(f"template variable {field_name!r}: {exc}") from exc
    return ImagePart(type="image", media_type=media_type, image=data, detail=detail)


def _audio_part(field_name: str, value: object, options: Mapping[str, str]) -> ContentPart:
    if isinstance(value, (AudioPart, AudioURLPart)):
        return value
    if isinstance(value, str) and value.startswith(_URL_PREFIXES):
        return AudioURLPart(type="audio_url", url=value)
    if is_audio_segment(value) or isinstance(value, wave.Wave_read):
        return to_content_part(value)
    data = _load_source("audio", field_name, value)
    try:
        media_type = f"audio/{sniff_audio_type(data)}"
    except ValueError as exc:
        raise ValueError(f"template variable {field_name!r}: {exc}") from exc
    return AudioPart(type="audio", media_type=media_type, audio=data)


def _document_part(field_name: str, value: object, options: Mapping[str, str]) -> ContentPart:
    if isinstance(value, (DocumentPart, DocumentURLPart)):
        return value
    if isinstance(value, str) and value.startswith(_URL_PREFIXES):
        return DocumentURLPart(type="document_url", url=value)
    data = _load_source("document", field_name, value)
    try:
        media_type = sniff_document_type(data)
    except ValueError as exc:
        raise ValueError(f"template variable {field_name!r}: {exc}") from exc
    return DocumentPart(type="document", media_type=media_type, document=data)


def _any_part(field_name: str, value: object, options: Mapping[str, str]) -> ContentPart:
    try:
        return to_content_part(value)
    except ValueError as exc:
        raise ValueError(f"template variable {field_name!r} uses the 'part' spec: {exc}") from exc


_PART_BUILDERS = {
    "text": _text_part,
    "image": _image_part,
    "audio": _audio_part,
    "document": _document_part,
    "part": _any_part,
}


def _build_parts(
    field_name: str, kind: str, value: object, options: Mapping[str, str]
) -> list[ContentPart]:
    if kind == "cache_control":
        return [CacheControlPart(type="cache_control", cache_type=options.get("type", "ephemeral"))]
    if value is None:
        return []
    singular = kind.removesuffix("s")
    if singular == kind:
        items: Sequence[object] = [value]
    elif isinstance(value, (list, tuple)):
        items = cast("Sequence[object]", value)
    else:
        raise ValueError(
            f"template variable {field_name!r} uses the {kind!r} spec but is a "
            f"{type(value).__name__}, not a list"
        )
    build = _PART_BUILDERS[singular]
    return [build(field_name, item, options) for item in items]


def _render_pieces(
    template: str, attrs: Mapping[str, Any], needed: Sequence[str]
) -> list[str | ContentPart]:
    """Render one section into text pieces and content parts, in template order."""
    pieces: list[str | ContentPart] = []
    for literal, field_name, spec, conversion in _FORMATTER.parse(template):
        if literal:
            pieces.append(literal)
        if field_name is None:
            continue
        spec = spec or ""
        part_spec = _PART_SPEC.fullmatch(spec)
        if part_spec is not None:
            kind = part_spec.group(1)
            bare_cache_control = kind == "cache_control" and not field_name
            value = None if bare_cache_control else _lookup(field_name, attrs, needed)
            options = _parse_options(part_spec.group(2))
            pieces.extend(_build_parts(field_name, kind, value, options))
            continue
        value = _lookup(field_name, attrs, needed)
        if conversion:
            value = _FORMATTER.convert_field(value, conversion)
        if "{" in spec:
            spec = _render_text(spec, attrs, needed)
        pieces.append(_format_value(field_name, value, spec))
    return pieces


def _render_text(template: str, attrs: Mapping[str, Any], needed: Sequence[str]) -> str:
    pieces = _render_pieces(template, attrs, needed)
    if not all(isinstance(piece, str) for piece in pieces):
        raise ValueError("content-part specs (e.g. :image) cannot be used in plain text here")
    return "".join(cast("list[str]", pieces))


def format_template(template: str, attrs: Mapping[str, Any]) -> str:
    """Render a text-only template (no role markers, no content parts).

    Supports every Python format spec plus `:list` and `:lists`, dotted attributes and indexing.

    Raises:
        MissingTemplateVariableError: when a variable is missing.
        ValueError: when a value does not fit its format spec.

    Example:
        ```python
        format_template("{book.title}: {price:.2f}", {"book": book, "price": 3.5})
        ```
    """
    cleaned = clean_template(template)
    return _render_text(cleaned, attrs, template_variables(cleaned))


def _section_message(
    role: str, body: str, attrs: Mapping[str, Any], needed: Sequence[str]
) -> BaseMessageParam | None:
    pieces = _render_pieces(clean_template(body), attrs, needed)
    if all(isinstance(piece, str) for piece in pieces):
        text = "".join(cast("list[str]", pieces))
        return BaseMessageParam(role=role, content=text) if text.strip() else None
    parts: list[ContentPart] = []
    text_run: list[str] = []
    for piece in [*pieces, None]:
        if isinstance(piece, str):
            text_run.append(piece)
            continue
        # Text around parts becomes its own TextPart; whitespace next to a part is not content.
        text = "".join(text_run).strip()
        text_run.clear()
        if text:
            parts.append(TextPart(type="text", text=text))
        if piece is not None:
            parts.append(piece)
    return BaseMessageParam(role=role, content=parts) if parts else None


def _as_message(value: object, where: str) -> BaseMessageParam | dict[str, Any]:
    if isinstance(value, BaseMessageParam):
        return value
    if isinstance(value, dict):
        return cast("dict[str, Any]", value)  # native Groq dicts pass through as the same object
    if isinstance(value, Mapping):
        return dict(cast("Mapping[str, Any]", value))
    raise ValueError(
        f"{where} must hold BaseMessageParam objects or Groq message dicts, "
        f"got a {type(value).__name__}"
    )


def _spliced_messages(
    body: str, attrs: Mapping[str, Any], needed: Sequence[str]
) -> list[BaseMessageParam | dict[str, Any]]:
    fields = list(_FORMATTER.parse(clean_template(body)))
    if len(fields) != 1 or fields[0][0].strip() or not fields[0][1] or fields[0][2]:
        raise ValueError(
            "MESSAGES: must be followed by exactly one variable, e.g. 'MESSAGES: {history}', "
            f"got {body.strip()!r}"
        )
    field_name = fields[0][1]
    value = _lookup(field_name, attrs, needed)
    if value is None:
        return []
    if isinstance(value, BaseMessageParam):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(
            f"MESSAGES: {{{field_name}}} must be a list of messages, got a {type(value).__name__}"
        )
    where = f"MESSAGES: {{{field_name}}}"
    return [_as_message(item, where) for item in cast("Sequence[object]", value)]


def render_messages(
    template: str, attrs: Mapping[str, Any]
) -> list[BaseMessageParam | dict[str, Any]]:
    """Render a prompt template into messages.

    Markers `SYSTEM:`, `USER:`, `ASSISTANT:` start messages, `MESSAGES: {var}` splices a list of
    messages in, and a template without markers is one user message. A section with content-part
    specs (`{url:image}`, `{docs:documents}`, `{:cache_control}`, ...) becomes a list of parts.

    Raises:
        MissingTemplateVariableError: when a variable is missing.
        ValueError: when a value does not fit its spec, or a source cannot be loaded.

    Example:
        ```python
        render_messages("SYSTEM: You are a librarian.\\nUSER: Recommend a {genre} book.",
                        {"genre": "fantasy"})
        # [BaseMessageParam(role="system", content="You are a librarian."),
        #  BaseMessageParam(role="user", content="Recommend a fantasy book.")]
        ```
    """
    cleaned = clean_template(template)
    needed = template_variables(cleaned)
    messages: list[BaseMessageParam | dict[str, Any]] = []
    for role, body in _split_sections(cleaned):
        if role == "messages":
            messages.extend(_spliced_messages(body, attrs, needed))
        elif (message := _section_message(role, body, attrs, needed)) is not None:
            messages.append(message)
    return messages


def _is_message(value: object) -> bool:
    return isinstance(value, (BaseMessageParam, Mapping))


def _shorthand_messages(returned: object) -> list[BaseMessageParam | dict[str, Any]]:
    if isinstance(returned, str):
        return [BaseMessageParam(role="user", content=returned)]
    if isinstance(returned, BaseMessageParam):
        return [returned]
    if isinstance(returned, (list, tuple)):
        items = cast("Sequence[object]", returned)
        if all(_is_message(item) for item in items):
            return [_as_message(item, "the returned list") for item in items]
        if not any(_is_message(item) for item in items):
            return [BaseMessageParam(role="user", content=to_content(items))]
        raise ValueError(
            "a prompt function returned a list mixing messages with message content; return "
            "either messages (e.g. Messages.User(...)) or the parts of one user message"
        )
    if returned is None or returned is Ellipsis:
        raise ValueError(
            "the prompt function has no prompt template and returned no messages; decorate it "
            "with @prompt_template('...') or return a str, parts or messages"
        )
    raise ValueError(
        f"a prompt function without a template returned a {type(returned).__name__}; expected "
        "a str, a list of parts, a BaseMessageParam, a list of messages or a dynamic config dict"
    )


def resolve_messages(
    template: str | None,
    returned: object,
    fn_args: Mapping[str, Any],
) -> tuple[list[BaseMessageParam | dict[str, Any]], dict[str, Any]]:
    """Turn a prompt function's return value into messages.

    Args:
        template: the string template of a `@prompt_template("...")`-decorated function, or None
            for shorthand.
        returned: what the original prompt function returned: None or `...`, a dynamic-config
            dict, or for shorthand a str, a list of str/parts, a `BaseMessageParam`, or a list of
            `BaseMessageParam`s / Groq dicts. A bare list is treated as `{"messages": list}`.
        fn_args: the function's bound arguments (including `self` for a method). Not mutated.

    Returns:
        `(messages, dynamic_config)`. `dynamic_config` is `returned` itself when it is a dict,
        else `{}`. A dynamic config's `messages` replace the template; otherwise the template is
        rendered with `{**fn_args, **computed_fields}`.

    Raises:
        MissingTemplateVariableError: when the template needs a variable that is not provided.
        ValueError: for an unusable return value or template value.

    Example:
        ```python
        resolve_messages("Recommend a {genre} book.", None, {"genre": "fantasy"})
        # ([BaseMessageParam(role="user", content="Recommend a fantasy book.")], {})
        ```
    """
    if isinstance(returned, (list, tuple)):
        return _shorthand_messages(cast("object", returned)), {}
    dynamic_config = cast("dict[str, Any]", returned) if isinstance(returned, dict) else {}
    if dynamic_config.get("messages") is not None:
        messages = cast("Sequence[object]", dynamic_config["messages"])
        where = "dynamic config 'messages'"
        return [_as_message(item, where) for item in messages], dynamic_config
    if template is not None:
        if not (returned is None or returned is Ellipsis or isinstance(returned, dict)):
            raise ValueError(
                f"a function with a prompt template returned a {type(returned).__name__}; "
                "it may return only None or a dynamic config dict"
            )
        computed = cast("Mapping[str, Any]", dynamic_config.get("computed_fields") or {})
        return render_messages(template, {**fn_args, **computed}), dynamic_config
    if isinstance(returned, dict):
        raise ValueError(
            "the prompt function has no prompt template and its dynamic config has no "
            "'messages'; decorate it with @prompt_template('...') or return messages"
        )
    return _shorthand_messages(returned), {}


__all__ = [
    "MissingTemplateVariableError",
    "clean_template",
    "format_template",
    "render_messages",
    "resolve_messages",
    "sniff_audio_type",
    "sniff_document_type",
    "sniff_image_type",
    "template_variables",
]
