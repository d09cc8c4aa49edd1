"""The emulator's model catalog: which ids exist and what each one supports.

Known ids are every model of GROQ_WIRE.md §5 and of the API.md §2.8 price table. Retired ids
(§5.3, v1-era ids such as `llama-3.1-8b-instant`) answer 400 `model_decommissioned` as on Groq,
unless the emulator is made with `accept_retired_models=True` (v1-era code kept running
offline). Capabilities drive the §4.2 validation rows 8-12.
A field left as `None` means "not known", and the matching check is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_MODELS", "RETIRED_MODEL_IDS", "ModelInfo"]


@dataclass(frozen=True)
class ModelInfo:
    """What the emulator knows about one model id.

    Example:
        ```python
        emu.add_model(ModelInfo("my-org/tiny", context_window=64, max_completion_tokens=16))
        ```
    """

    id: str
    """The model id, as sent in the request's `model` field (may contain `/`)."""
    owned_by: str = "Groq"
    """The `owned_by` value of `GET /openai/v1/models`."""
    created: int = 1_754_408_224
    """The `created` value of `GET /openai/v1/models` (illustrative)."""
    context_window: int | None = 131_072
    """Prompts estimated above this many tokens get 400 `context_length_exceeded`."""
    max_completion_tokens: int | None = None
    """`max_completion_tokens` / `max_tokens` above this get 400."""
    json_schema: bool = True
    """Whether `response_format: json_schema` is accepted (`json_object` always is)."""
    strict_json_schema: bool = False
    """Whether `json_schema.strict: true` is accepted (gpt-oss only at Groq)."""
    reasoning_efforts: tuple[str, ...] | None = None
    """Accepted `reasoning_effort` values; `None` skips the check."""
    extra: dict[str, object] = field(default_factory=dict[str, object])
    """Extra keys merged into this model's `/models` object."""

    def as_json(self) -> dict[str, object]:
        """The object returned by `GET /openai/v1/models/{id}`.

        Example:
            ```python
            assert ModelInfo("x").as_json()["object"] == "model"
            ```
        """
        return {
            "id": self.id,
            "object": "model",
            "created": self.created,
            "owned_by": self.owned_by,
            "active": True,
            "context_window": self.context_window,
            "public_apps": None,
            "max_completion_tokens": self.max_completion_tokens,
            **self.extra,
        }


_GPT_OSS = ("low", "medium", "high")
_QWEN3 = ("none", "default")
_QWEN38 = ("none", "default", "low", "medium", "high")


def _m(model_id: str, owned_by: str, **kw: object) -> ModelInfo:
    return ModelInfo(model_id, owned_by, **kw)  # pyright: ignore[reportArgumentType]


_ACTIVE_MODELS: tuple[ModelInfo, ...] = (
    # §5.2 active models
    _m(
        "openai/gpt-oss-120b",
        "OpenAI",
        max_completion_tokens=65_536,
        strict_json_schema=True,
        reasoning_efforts=_GPT_OSS,
    ),
    _m(
        "openai/gpt-oss-20b",
        "OpenAI",
        max_completion_tokens=65_536,
        strict_json_schema=True,
        reasoning_efforts=_GPT_OSS,
    ),
    _m(
        "openai/gpt-oss-safeguard-20b",
        "OpenAI",
        max_completion_tokens=65_536,
        reasoning_efforts=_GPT_OSS,
    ),
    _m("qwen/qwen3.6-27b", "Alibaba Cloud", max_completion_tokens=16_384, reasoning_efforts=_QWEN3),
    _m(
        "qwen/qwen3.8-27b",
        "Alibaba Cloud",
        context_window=131_042,
        max_completion_tokens=16_384,
        reasoning_efforts=_QWEN38,
    ),
    _m("groq/compound", "Groq", max_completion_tokens=8_192),
    _m("groq/compound-mini", "Groq", max_completion_tokens=8_192),
    _m("whisper-large-v3", "OpenAI", context_window=448),
    _m("whisper-large-v3-turbo", "OpenAI", context_window=448),
)

_RETIRED_MODELS: tuple[ModelInfo, ...] = (
    # §5.3 recently shut down: 400 `model_decommissioned` unless accept_retired_models=True
    _m("llama-3.1-8b-instant", "Meta", max_completion_tokens=131_072, json_schema=False),
    _m("llama-3.3-70b-versatile", "Meta", max_completion_tokens=32_768, json_schema=False),
    _m("meta-llama/llama-4-scout-17b-16e-instruct", "Meta", max_completion_tokens=8_192),
    _m("qwen/qwen3-32b", "Alibaba Cloud", max_completion_tokens=40_960, reasoning_efforts=_QWEN3),
    _m("meta-llama/llama-4-maverick-17b-128e-instruct", "Meta"),
    _m(
        "moonshotai/kimi-k2-instruct-0905",
        "Moonshot AI",
        context_window=262_144,
        max_completion_tokens=16_384,
    ),
    _m("moonshotai/kimi-k2-instruct", "Moonshot AI"),
    _m("meta-llama/llama-guard-4-12b", "Meta"),
    _m("gemma2-9b-it", "Google", context_window=8_192),
    _m("deepseek-r1-distill-llama-70b", "DeepSeek / Meta"),
    _m("mistral-saba-24b", "Mistral AI"),
    _m("qwen-qwq-32b", "Alibaba Cloud"),
    _m("llama3-70b-8192", "Meta", context_window=8_192),
    _m("llama3-8b-8192", "Meta", context_window=8_192),
    # v1 cost-table ids (API.md §2.8) and v1 doc ids
    _m("llama-3.1-70b-versatile", "Meta"),
    _m("llama-3.3-70b-specdec", "Meta", context_window=8_192),
    _m("llama3-groq-70b-8192-tool-use-preview", "Groq", context_window=8_192),
    _m("llama3-groq-8b-8192-tool-use-preview", "Groq", context_window=8_192),
    _m("llama-guard-3-8b", "Meta", context_window=8_192),
    _m("mixtral-8x7b-32768", "Mistral AI", context_window=32_768),
    _m("gemma-7b-it", "Google", context_window=8_192),
    _m("qwen-2.5-32b", "Alibaba Cloud"),
    _m("qwen-2.5-coder-32b", "Alibaba Cloud"),
    _m("deepseek-r1-distill-qwen-32b", "DeepSeek / Alibaba Cloud"),
    _m("deepseek-r1-distill-llama-70b-specdec", "DeepSeek / Meta", context_window=8_192),
    _m("llama-3.2-1b-preview", "Meta"),
    _m("llama-3.2-3b-preview", "Meta"),
    _m("llama-3.2-11b-vision-preview", "Meta", context_window=8_192),
    _m("llama-3.2-90b-vision-preview", "Meta", context_window=8_192),
)

DEFAULT_MODELS: tuple[ModelInfo, ...] = _ACTIVE_MODELS + _RETIRED_MODELS
"""Every model id the emulator knows out of the box.

Example:
    ```python
    assert "llama-3.1-8b-instant" in {m.id for m in DEFAULT_MODELS}
    ```
"""

RETIRED_MODEL_IDS: frozenset[str] = frozenset(m.id for m in _RETIRED_MODELS)
"""Ids Groq no longer serves (GROQ_WIRE.md §5.3 and v1-era ids): by default the emulator answers
them with 400 `model_decommissioned`, as Groq does; `GroqEmulator(accept_retired_models=True)`
serves them like live models.

Example:
    ```python
    assert "llama-3.1-8b-instant" in RETIRED_MODEL_IDS
    assert "openai/gpt-oss-20b" not in RETIRED_MODEL_IDS
    ```
"""
