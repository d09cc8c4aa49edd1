"""Groq's 2025-2026 features end to end (issue 10), sync and async, through the real SDK and the
emulator: compound streams (per-chunk ids, executed tools twice per index, tagged reasoning,
usage_breakdown, cost), gpt-oss built-in tools, citations, rate limits and request metadata."""

from __future__ import annotations

import pytest
from groq_e2e_helpers import TOOL_MODEL, ask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirascope.core.costs._groq_prices import GROQ_PRICES
from mirascope.core.groq import GroqStream
from mirascope.core.groq.errors import GroqCapacityExceededError
from mirascope.core.groq.service_tiers import FlexPolicy
from mirascope.core.groq.testing._compound import compound_chunks

COMPOUND = "groq/compound"


@pytest.fixture
def compound_emu(emu):
    if COMPOUND not in {m.id for m in emu.models}:
        emu.add_model(COMPOUND)
    return emu


async def test_compound_stream_merges_executed_tools_and_prices_breakdown(flavor, compound_emu):
    compound_emu.enqueue("compound", answer="Sunny in Paris.")
    stream, pairs = await flavor.stream(ask, "weather?", model=COMPOUND)
    assert isinstance(stream, GroqStream)
    assert stream.content == "Sunny in Paris."
    ids = {c.chunk.id for c, _ in pairs}
    assert len(ids) == len(pairs) > 5  # a new id on every chunk
    assert stream.id == pairs[0][0].chunk.id
    assert "<tool>search(" in stream.reasoning and "<output>" in stream.reasoning
    assert stream.content not in stream.reasoning
    (tool,) = stream.executed_tools
    assert (tool.index, tool.type, tool.done) == (0, "search", True)
    assert tool.search_results and tool.search_results["results"][0]["url"]
    assert tool.raw["arguments"] == tool.arguments
    seen = [t for c, _ in pairs for t in c.executed_tools]
    assert [t.done for t in seen] == [False, True]  # the call, then the result
    breakdown = stream.usage_breakdown
    assert breakdown is not None and len(breakdown) == 2
    price = {m: GROQ_PRICES[m] for m in ("llama-3.3-70b-versatile",
             "meta-llama/llama-4-scout-17b-16e-instruct")}  # fmt: skip
    expected = sum(50 * p.input + 10 * p.output for p in price.values()) + 0.005
    assert stream.cost == pytest.approx(expected)  # breakdown + one search; top level not added
    response = stream.construct_call_response()
    assert response.executed_tools == stream.executed_tools
    assert response.cost == pytest.approx(expected)
    assert "executed_tools" not in response.message_param
    assert "executed_tools" not in stream.message_param


@pytest.mark.parametrize("kind", ["code_interpreter", "browser_search"])
async def test_gpt_oss_builtin_tools(flavor, emu, kind):
    emu.enqueue("builtin_tools", kind=kind)
    stream, _ = await flavor.stream(ask, "x", model=TOOL_MODEL)
    tool = stream.executed_tools[0]
    if kind == "code_interpreter":
        assert (tool.type, tool.name) == ("function", "python")
        assert tool.code_results == [{"text": "4\n"}]
        fees = 0.0
    else:
        assert [t.type for t in stream.executed_tools] == ["browser.search", "browser.open"]
        assert tool.search_results and tool.output
        fees = 0.005 + 0.001  # one search, one page visit
    base = GROQ_PRICES[TOOL_MODEL]
    assert stream.cost == pytest.approx(40 * base.input + 12 * base.output + fees)


async def test_citations_collected(flavor, emu):
    emu.enqueue("citations")
    docs = [{"source": {"type": "text", "text": "Paris is the capital of France."}, "id": "doc-1"}]
    stream, _ = await flavor.stream(
        ask, "x", model=TOOL_MODEL, call_params={"documents": docs, "citation_options": "enabled"}
    )
    kinds = [a["type"] for a in stream.annotations]
    assert kinds == ["document_citation", "function_citation"]
    assert stream.annotations[0]["document_citation"]["document_id"] == "doc-1"
    body = emu.requests[0].body
    assert body["documents"] == docs and body["citation_options"] == "enabled"
    assert stream.construct_call_response().annotations == stream.annotations


async def test_rate_limits_and_request_metadata_on_stream_and_response(flavor, emu):
    emu.enqueue("text", text="Hi")
    stream = await flavor.invoke(flavor.call(ask, stream=True), "x")
    assert stream.rate_limits is None  # no headers before the first next()
    await flavor.drain(stream)
    limits = stream.rate_limits
    assert limits is not None and limits.limit_requests and limits.reset_tokens == 7.66
    assert stream.request_id and stream.groq_region
    response = stream.construct_call_response()
    assert response.response.created > 0  # was 0 before issue 10
    assert response.response.system_fingerprint
    assert response.x_groq_id is not None and response.x_groq_id.startswith("req_")
    assert response.request_id == stream.request_id
    assert response.rate_limits == limits
    emu.enqueue("text", text="Hi")
    plain = await flavor.invoke(flavor.call(ask, call_params={"service_tier": "on_demand"}), "x")
    assert plain.rate_limits is not None and plain.rate_limits.remaining_requests is not None
    assert plain.request_id and plain.groq_region
    assert emu.requests[-1].body["service_tier"] == "on_demand"
    assert plain.service_tier == "on_demand"  # echoed back, as Groq does


@pytest.mark.parametrize("stream", [False, True])
async def test_flex_498_is_a_typed_error(flavor, emu, stream):
    emu.enqueue_error(498, code="capacity_exceeded", message="flex tier capacity exceeded")
    fn = flavor.call(ask, stream=stream, call_params={"service_tier": "flex"})
    with pytest.raises(GroqCapacityExceededError) as info:
        result = await flavor.invoke(fn, "x")
        if stream:
            await flavor.drain(result)
    assert info.value.status_code == 498
    assert len(emu.requests) == 1  # not retried without a policy


@pytest.mark.parametrize("stream", [False, True])
async def test_flex_policy_retries_then_falls_back_to_on_demand(flavor, emu, stream):
    for _ in range(2):
        emu.enqueue_error(498, code="capacity_exceeded", message="flex tier capacity exceeded")
    emu.enqueue("text", text="On demand")
    policy = FlexPolicy(retries=1, base_delay=0.0)
    fn = flavor.call(
        ask, stream=stream, call_params={"service_tier": "flex", "flex_policy": policy}
    )
    result = await flavor.invoke(fn, "x")
    if stream:
        await flavor.drain(result)
    assert result.content == "On demand"
    tiers = [r.body.get("service_tier") for r in emu.requests]
    assert tiers == ["flex", "flex", "on_demand"]
    assert all("flex_policy" not in r.body for r in emu.requests)
    assert result.service_tier == "on_demand"  # the tier that answered, not the one asked
    assert result.call_kwargs["service_tier"] == "on_demand"  # what the answering request sent


@pytest.mark.parametrize("tier", ["flex", "performance"])
async def test_stream_service_tier_is_the_requested_one(flavor, emu, tier):
    """Groq's chunks carry no `service_tier` (only non-stream bodies echo it, GROQ_WIRE.md
    §1.6), so a stream reports the tier its request sent."""
    emu.enqueue("text", text="Hi")
    stream, _ = await flavor.stream(ask, "x", call_params={"service_tier": tier})
    assert stream.service_tier == tier
    assert stream.construct_call_response().service_tier == tier
    assert emu.requests[0].body["service_tier"] == tier


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=6))
def test_any_chunking_of_a_compound_stream_gives_the_same_state(sizes):
    """Re-chunking the text fields of a compound stream leaves executed tools, text and cost."""
    from groq.types.chat import ChatCompletionChunk

    from mirascope.core.groq import GroqCallResponseChunk

    def run(chunk_chars: int) -> tuple:
        stream = GroqStream(
            stream=iter(()), metadata={}, tool_types=None, call_response_type=object,  # type: ignore[arg-type]
            model=COMPOUND, prompt_template=None, fn_args={}, dynamic_config=None,  # type: ignore[arg-type]
            messages=[], call_params={}, call_kwargs={},  # type: ignore[arg-type]
        )  # fmt: skip
        for raw in compound_chunks(chunk_chars=chunk_chars):
            env = {"object": "chat.completion.chunk", "created": 1, "model": COMPOUND, **raw}
            stream._update_properties(GroqCallResponseChunk(chunk=ChatCompletionChunk(**env)))
        return stream.executed_tools, stream.content, stream.reasoning, stream.cost

    reference = run(1000)
    for size in sizes:
        assert run(size) == reference


async def test_builtin_tools_are_sent_after_user_tools(flavor, emu):
    from groq_e2e_helpers import GetWeather

    from mirascope.core.groq import builtin_tools as groq

    emu.enqueue("builtin_tools", kind="browser_search")
    stream, _ = await flavor.stream(
        ask, "x", model=TOOL_MODEL, tools=[GetWeather, groq.BrowserSearch(), groq.CodeInterpreter()]
    )
    tools = emu.requests[0].body["tools"]
    assert tools[0]["function"]["name"] == "GetWeather"
    assert tools[1:] == [{"type": "browser_search"}, {"type": "code_interpreter"}]
    assert stream.executed_tools[0].type == "browser.search"


@pytest.mark.parametrize(
    ("model", "match"),
    [(COMPOUND, "does not accept tools="), ("llama-3.1-8b-instant", "only on openai/gpt-oss")],
)
async def test_refused_tool_combinations_raise_before_any_request(flavor, emu, model, match):
    from groq_e2e_helpers import GetWeather

    from mirascope.core.groq import builtin_tools as groq

    tools = [GetWeather] if model == COMPOUND else [groq.BrowserSearch()]
    with pytest.raises(ValueError, match=match):
        await flavor.invoke(flavor.call(ask, model, tools=tools, stream=True), "x")
    assert emu.requests == []


# -- Non-stream compound and built-in tools: `message.executed_tools` (recordings pai-043/044/061)


async def test_compound_non_stream_response_carries_executed_tools(flavor, compound_emu):
    compound_emu.enqueue("compound", answer="Sunny in Paris.")
    response = await flavor.invoke(flavor.call(ask, COMPOUND), "weather?")
    assert response.content == "Sunny in Paris."
    assert "<tool>search(" in response.reasoning and "<output>" in response.reasoning
    (tool,) = response.executed_tools  # the call and its result, folded as Groq does
    assert (tool.index, tool.type, tool.done) == (0, "search", True)
    assert tool.output and tool.search_results and tool.search_results["results"][0]["url"]
    breakdown = response.usage_breakdown
    assert breakdown is not None and [m.model for m in breakdown] == [
        "llama-3.3-70b-versatile", "meta-llama/llama-4-scout-17b-16e-instruct"]  # fmt: skip
    assert (response.input_tokens, response.output_tokens) == (100, 20)  # the total
    price = [GROQ_PRICES[m.model] for m in breakdown]
    expected = sum(50 * p.input + 10 * p.output for p in price) + 0.005
    assert response.cost == pytest.approx(expected)  # breakdown + one search, not the total
    assert response.x_groq_id is not None and response.x_groq_id.startswith("req_")
    assert "executed_tools" not in response.message_param


@pytest.mark.parametrize("kind", ["code_interpreter", "browser_search"])
async def test_gpt_oss_builtin_tools_non_stream(flavor, emu, kind):
    emu.enqueue("builtin_tools", kind=kind)
    response = await flavor.invoke(flavor.call(ask, TOOL_MODEL), "x")
    tools = response.executed_tools
    assert all(t.done for t in tools)
    if kind == "code_interpreter":
        assert [(t.type, t.name, t.code_results) for t in tools] == [
            ("function", "python", [{"text": "4\n"}])]  # fmt: skip
    else:
        assert [t.type for t in tools] == ["browser.search", "browser.open"]
        assert tools[0].search_results and tools[1].output
    base = GROQ_PRICES[TOOL_MODEL]
    fees = 0.0 if kind == "code_interpreter" else 0.006
    assert response.cost == pytest.approx(40 * base.input + 12 * base.output + fees)


# -- What Groq refuses: refused by us before any request, and by the emulator on the wire


async def test_tools_on_compound_are_refused_when_the_decorator_runs(flavor, emu):
    from groq_e2e_helpers import GetWeather

    from mirascope.core import groq

    with pytest.raises(ValueError, match="does not accept tools="):
        flavor.call(ask, COMPOUND, tools=[GetWeather])  # no call made at all
    with pytest.raises(ValueError, match="only on openai/gpt-oss"):
        flavor.call(ask, "qwen/qwen3.6-27b", tools=[groq.BrowserSearch()])
    assert emu.requests == []


async def test_tools_from_dynamic_config_on_compound_are_refused_before_any_request(
    flavor, compound_emu
):
    from groq_e2e_helpers import GetWeather

    def body(question: str):
        return {"messages": [{"role": "user", "content": question}], "tools": [GetWeather]}

    with pytest.raises(ValueError, match="does not accept tools="):
        await flavor.invoke(flavor.call(body, COMPOUND, stream=True), "x")
    assert compound_emu.requests == []


FUNCTION_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}}}}  # fmt: skip


@pytest.mark.parametrize(
    ("model", "tools"),
    [
        (COMPOUND, [FUNCTION_TOOL]),
        (COMPOUND, [{"type": "browser_search"}]),
        ("qwen/qwen3.6-27b", [{"type": "code_interpreter"}]),
    ],
    ids=["user-tool-on-compound", "builtin-on-compound", "builtin-on-qwen"],
)
@pytest.mark.parametrize("stream", [False, True])
async def test_emulator_refuses_tools_groq_refuses(flavor, compound_emu, model, tools, stream):
    """Raw SDK: what Groq refuses (GROQ_2026.md §1.0/§1.1), the emulator answers with a 400."""
    import groq as groq_sdk

    client = flavor.client(max_retries=0)
    compound_emu.enqueue("text", text="never sent")
    with pytest.raises(groq_sdk.BadRequestError) as info:
        result = await flavor.invoke(
            client.chat.completions.create, model=model, stream=stream, tools=tools,
            messages=[{"role": "user", "content": "x"}],
        )  # fmt: skip
        if stream:
            await flavor.drain(result)
    error = info.value.body["error"]  # type: ignore[index]
    assert (error["type"], error["param"]) == ("invalid_request_error", "tools")
    assert model in error["message"]


@pytest.mark.parametrize("stream", [False, True])
async def test_rate_limits_fall_as_requests_are_made(flavor, emu, stream):
    """Realistic `x-ratelimit-*` values (Groq's duration strings) that fall call after call."""
    fn = flavor.call(ask, stream=stream)
    seen = []
    for _ in range(3):
        emu.enqueue("text", text="Hi")
        result = await flavor.invoke(fn, "x")
        if stream:
            await flavor.drain(result)
        limits = result.rate_limits
        assert limits.limit_requests > limits.remaining_requests  # per day
        assert limits.reset_requests is not None and limits.reset_tokens is not None  # seconds
        seen.append(limits.remaining_requests)
    assert seen[0] > seen[1] > seen[2]


@pytest.mark.parametrize("stream", [False, True])
async def test_compound_settings_and_model_version_header_are_sent(flavor, compound_emu, stream):
    """`compound_custom`, `search_settings` and the `Groq-Model-Version` header (GROQ_2026.md
    §1.1: `latest` adds visit website, browser automation and Wolfram Alpha) reach Groq."""
    custom = {"tools": {"enabled_tools": ["web_search", "visit_website"]}}
    settings = {"include_domains": ["*.edu"], "country": "france"}
    compound_emu.enqueue("compound")
    fn = flavor.call(ask, COMPOUND, stream=stream, call_params={
        "compound_custom": custom, "search_settings": settings,
        "extra_headers": {"Groq-Model-Version": "latest"}})  # fmt: skip
    result = await flavor.invoke(fn, "x")
    if stream:
        await flavor.drain(result)
    assert result.executed_tools[0].done
    (request,) = compound_emu.requests
    assert request.body["compound_custom"] == custom
    assert request.body["search_settings"] == settings
    assert request.headers["groq-model-version"] == "latest"


async def test_citations_on_a_non_stream_response(flavor, emu):
    emu.enqueue("citations", document_id="doc-7")
    docs = [{"source": {"type": "text", "text": "Paris is the capital of France."}, "id": "doc-7"}]
    params = {"documents": docs, "citation_options": "enabled"}
    fn = flavor.call(ask, TOOL_MODEL, call_params=params)
    response = await flavor.invoke(fn, "x")
    assert [a["type"] for a in response.annotations] == ["document_citation", "function_citation"]
    cite = response.annotations[0]["document_citation"]
    assert (cite["document_id"], cite["start_index"], cite["end_index"]) == ("doc-7", 0, 5)


@pytest.mark.parametrize("stream", [False, True])
async def test_reasoning_and_cached_tokens_are_exposed_and_priced(flavor, emu, stream):
    """`completion_tokens_details.reasoning_tokens` is exposed; cached input is billed at the
    model's cached rate, or at 50% of input where Groq lists none (gpt-oss-safeguard-20b)."""
    model = "openai/gpt-oss-safeguard-20b"
    emu.enqueue("reasoning", reasoning="Think.", text="Done.", prompt_tokens=1000,
                completion_tokens=100, cached_tokens=400, reasoning_tokens=60)  # fmt: skip
    result = await flavor.invoke(flavor.call(ask, model, stream=stream), "x")
    if stream:
        await flavor.drain(result)
        assert (result.reasoning_tokens, result.cached_tokens) == (60, 400)
        result = result.construct_call_response()
    assert (result.reasoning_tokens, result.cached_tokens) == (60, 400)
    price = GROQ_PRICES[model]
    assert price.cached is None
    expected = 600 * price.input + 400 * price.input * 0.5 + 100 * price.output
    assert result.cost == pytest.approx(expected)


async def test_construct_call_response_keeps_the_envelope_groq_sent(flavor, emu):
    """`x_groq.id`, the seed (first chunk, GROQ_WIRE.md §1.3), `system_fingerprint`, `created`."""
    emu.enqueue("text", text="Hi", seed=1234, request_id="req_01abc", created=1_758_144_046,
                system_fingerprint="fp_0123456789")  # fmt: skip
    stream, _ = await flavor.stream(ask, "x")
    completion = stream.construct_call_response().response
    assert completion.x_groq is not None
    assert (completion.x_groq.id, completion.x_groq.seed) == ("req_01abc", 1234)
    assert (completion.created, completion.system_fingerprint) == (1_758_144_046, "fp_0123456789")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chunk_chars=st.integers(1, 60), answer=st.text(min_size=1, max_size=40))
def test_any_chunking_of_a_compound_stream_over_http_gives_the_same_state(chunk_chars, answer):
    """Through the real SDK and HTTP: the emulator re-chunks reasoning and content of a compound
    stream; executed tools, content, reasoning and cost come out the same (stream and not)."""
    from mirascope.core import groq
    from mirascope.core.groq.testing import GroqEmulator

    with GroqEmulator() as emu, emu.client() as client:
        call = groq.call(COMPOUND, stream=True, client=client)(ask)
        emu.enqueue("compound", answer=answer, chunk_chars=chunk_chars)
        stream = call("x")
        for _ in stream:
            pass
        emu.enqueue("compound", answer=answer, chunk_chars=1000)
        whole = groq.call(COMPOUND, client=client)(ask)("x")
    assert stream.content == whole.content == answer
    assert stream.reasoning == whole.reasoning
    assert [t.raw for t in stream.executed_tools] == [t.raw for t in whole.executed_tools]
    assert stream.cost == pytest.approx(whole.cost)
