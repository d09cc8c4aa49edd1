"""`calculate_cost` and the Groq price table (API.md §2.8, B24)."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.base.types import CostMetadata, ImageMetadata, Provider
from mirascope.core.costs import _groq_prices, calculate_cost
from mirascope.core.costs._groq_prices import (
    GROQ_PRICES,
    PRICES_AS_OF,
    UnknownModelPriceWarning,
    breakdown_cost,
    tool_fees,
)
from mirascope.core.groq.executed_tools import ExecutedTool

# API.md §2.8, copied by hand: (model, input, output, cached input) in USD per 1M tokens.
TABLE: list[tuple[str, float, float, float | None]] = [
    ("openai/gpt-oss-120b", 0.15, 0.60, 0.075),
    ("openai/gpt-oss-20b", 0.075, 0.30, 0.0375),
    ("openai/gpt-oss-safeguard-20b", 0.075, 0.30, None),
    ("qwen/qwen3.6-27b", 0.60, 3.00, 0.30),
    ("qwen/qwen3.8-27b", 0.80, 4.00, 0.40),
    ("meta-llama/llama-4-scout-17b-16e-instruct", 0.11, 0.34, None),
    ("qwen/qwen3-32b", 0.29, 0.59, None),
    ("meta-llama/llama-4-maverick-17b-128e-instruct", 0.20, 0.60, None),
    ("moonshotai/kimi-k2-instruct-0905", 1.00, 3.00, 0.50),
    ("meta-llama/llama-guard-4-12b", 0.20, 0.20, None),
    ("llama-3.3-70b-versatile", 0.59, 0.79, None),
    ("llama-3.1-70b-versatile", 0.59, 0.79, None),
    ("llama-3.1-8b-instant", 0.05, 0.08, None),
    ("llama-3.3-70b-specdec", 0.59, 0.99, None),
    ("llama3-groq-70b-8192-tool-use-preview", 0.89, 0.89, None),
    ("llama3-groq-8b-8192-tool-use-preview", 0.19, 0.19, None),
    ("llama-guard-3-8b", 0.20, 0.20, None),
    ("llama3-70b-8192", 0.59, 0.79, None),
    ("llama3-8b-8192", 0.05, 0.08, None),
    ("mixtral-8x7b-32768", 0.24, 0.24, None),
    ("gemma-7b-it", 0.07, 0.07, None),
    ("gemma2-9b-it", 0.20, 0.20, None),
    ("mistral-saba-24b", 0.79, 0.79, None),
    ("qwen-2.5-32b", 0.79, 0.79, None),
    ("qwen-2.5-coder-32b", 0.79, 0.79, None),
    ("deepseek-r1-distill-qwen-32b", 0.69, 0.69, None),
    ("deepseek-r1-distill-llama-70b", 0.75, 0.99, None),
    ("deepseek-r1-distill-llama-70b-specdec", 0.75, 0.99, None),
    ("llama-3.2-1b-preview", 0.04, 0.04, None),
    ("llama-3.2-3b-preview", 0.06, 0.06, None),
    ("llama-3.2-11b-vision-preview", 0.18, 0.18, None),
    ("llama-3.2-90b-vision-preview", 0.90, 0.90, None),
]

VISION_MODELS = {"llama-3.2-11b-vision-preview", "llama-3.2-90b-vision-preview"}


def test_table_has_exactly_the_spec_rows() -> None:
    assert sorted(GROQ_PRICES) == sorted(row[0] for row in TABLE)


@pytest.mark.parametrize(("model", "input_", "output", "cached"), TABLE)
def test_every_row(model: str, input_: float, output: float, cached: float | None) -> None:
    metadata = CostMetadata(input_tokens=1_000_000, output_tokens=1_000_000)
    assert calculate_cost("groq", model, metadata) == pytest.approx(input_ + output)
    assert calculate_cost(
        "groq", model, CostMetadata(input_tokens=2_000, output_tokens=500)
    ) == pytest.approx((2_000 * input_ + 500 * output) / 1e6)


@pytest.mark.parametrize(("model", "input_", "output", "cached"), TABLE)
def test_cached_tokens_at_cached_rate_or_half_input(
    model: str, input_: float, output: float, cached: float | None
) -> None:
    metadata = CostMetadata(input_tokens=1_000, cached_tokens=400, output_tokens=100)
    cost = calculate_cost("groq", model, metadata)
    # Issue 10: no listed cached price means Groq's 50% caching discount.
    rate = cached if cached is not None else input_ * 0.5
    expected = 600 * input_ + 400 * rate + 100 * output
    assert cost == pytest.approx(expected / 1e6)


@pytest.mark.parametrize(
    ("model", "metadata", "expected"),
    [
        ("llama-3.1-8b-instant", CostMetadata(input_tokens=13, output_tokens=8), 1.29e-06),
        ("llama3-70b-8192", CostMetadata(input_tokens=1, output_tokens=1), 1.38e-06),
        (
            "openai/gpt-oss-120b",
            CostMetadata(input_tokens=1_000, cached_tokens=400, output_tokens=100),
            1.8e-04,
        ),
    ],
)
def test_worked_checks(model: str, metadata: CostMetadata, expected: float) -> None:
    assert calculate_cost("groq", model, metadata) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("model", sorted(VISION_MODELS))
def test_vision_image_surcharge(model: str) -> None:
    price = GROQ_PRICES[model]
    images = [ImageMetadata(width=0, height=0), ImageMetadata(width=0, height=0)]
    base = CostMetadata(input_tokens=100, output_tokens=10)
    with_images = CostMetadata(input_tokens=100, output_tokens=10, images=images)
    assert calculate_cost("groq", model, with_images) == pytest.approx(
        calculate_cost("groq", model, base) + 2 * 6_400 * price.input  # type: ignore[operator]
    )


def test_no_image_surcharge_for_other_models() -> None:
    images = [ImageMetadata(width=0, height=0)]
    with_images = CostMetadata(input_tokens=100, output_tokens=10, images=images)
    without = CostMetadata(input_tokens=100, output_tokens=10)
    model = "openai/gpt-oss-120b"
    assert calculate_cost("groq", model, with_images) == calculate_cost("groq", model, without)


@pytest.mark.parametrize(
    "model",
    [
        "groq/compound",
        "groq/compound-mini",
        "moonshotai/kimi-k2-instruct",
        "qwen-qwq-32b",
        "not-a-model",
    ],
)
def test_unknown_models_cost_none_and_warn_once(model: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(_groq_prices, "_warned", set())
    metadata = CostMetadata(input_tokens=1, output_tokens=1)
    with pytest.warns(UnknownModelPriceWarning, match=model) as record:
        assert calculate_cost("groq", model, metadata) is None
        assert calculate_cost("groq", model, metadata) is None
    assert len(record) == 1


def test_prices_as_of_and_every_wire_model_priced() -> None:
    assert PRICES_AS_OF.year == 2026
    # GROQ_WIRE.md §5.2/§5.3 ids with a published price, plus v1's retired ids.
    for model in (
        "openai/gpt-oss-120b", "openai/gpt-oss-20b", "openai/gpt-oss-safeguard-20b",
        "qwen/qwen3.6-27b", "qwen/qwen3.8-27b", "llama-3.1-8b-instant",
        "llama-3.3-70b-versatile", "meta-llama/llama-4-scout-17b-16e-instruct",
        "qwen/qwen3-32b", "meta-llama/llama-4-maverick-17b-128e-instruct",
        "moonshotai/kimi-k2-instruct-0905", "meta-llama/llama-guard-4-12b", "gemma2-9b-it",
        "deepseek-r1-distill-llama-70b", "mistral-saba-24b", "llama3-70b-8192",
        "llama3-8b-8192", "llama-3.1-70b-versatile",
    ):  # fmt: skip
        assert model in GROQ_PRICES


def test_breakdown_cost_sums_models_and_tool_fees_add() -> None:
    u = {"prompt_tokens": 1_000_000, "completion_tokens": 1_000_000}
    models = [{"model": "llama-3.3-70b-versatile", "usage": u},
              {"model": "llama-3.1-8b-instant", "usage": u}]  # fmt: skip
    assert breakdown_cost(models) == pytest.approx(0.59 + 0.79 + 0.05 + 0.08)
    assert breakdown_cost([{"model": "nope-unpriced", "usage": u}, *models]) is None
    tools = [ExecutedTool.of({"index": 0, "type": "search"}),
             ExecutedTool.of({"index": 1, "type": "visit"}),
             ExecutedTool.of({"index": 2, "type": "function", "name": "browser.search"}),
             ExecutedTool.of({"index": 3, "type": "python"})]  # fmt: skip
    assert tool_fees(tools) == pytest.approx(0.005 + 0.001 + 0.005)


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        CostMetadata(),
        CostMetadata(input_tokens=10),
        CostMetadata(output_tokens=10),
    ],
)
def test_missing_tokens_cost_none(metadata: CostMetadata | None) -> None:
    assert calculate_cost("groq", "llama-3.1-8b-instant", metadata) is None


def test_metadata_is_not_mutated() -> None:
    metadata = CostMetadata(input_tokens=10, output_tokens=10)
    before = metadata.model_dump()
    calculate_cost("groq", "openai/gpt-oss-120b", metadata)
    assert metadata.model_dump() == before
    assert metadata.cached_tokens is None


@pytest.mark.parametrize("provider", [p for p in get_args(Provider) if p != "groq"])
def test_other_v1_providers_are_refused(provider: Any) -> None:
    with pytest.raises(ValueError, match="prices Groq only"):
        calculate_cost(provider, "gpt-4o", CostMetadata(input_tokens=1, output_tokens=1))


def test_unknown_provider_raises() -> None:
    with pytest.raises(ValueError, match="Unknown provider: 'nope'"):
        calculate_cost("nope", "x")  # pyright: ignore[reportArgumentType]


@given(
    model=st.sampled_from([row[0] for row in TABLE]),
    input_tokens=st.integers(0, 10**7),
    cached=st.integers(0, 10**7),
    output_tokens=st.integers(0, 10**7),
)
def test_caching_never_costs_more(
    model: str, input_tokens: int, cached: int, output_tokens: int
) -> None:
    cached = min(cached, input_tokens)
    uncached = calculate_cost(
        "groq", model, CostMetadata(input_tokens=input_tokens, output_tokens=output_tokens)
    )
    with_cache = calculate_cost(
        "groq",
        model,
        CostMetadata(input_tokens=input_tokens, cached_tokens=cached, output_tokens=output_tokens),
    )
    assert uncached is not None and with_cache is not None
    assert 0 <= with_cache <= uncached * (1 + 1e-12)
