"""The emulator rejects what Groq rejects: retired model ids answer 400 `model_decommissioned`
(GROQ_WIRE.md §4.2 row 7, §5.3) unless the emulator is made with `accept_retired_models=True`.
Through the real SDK and `groq.call`, sync and async.
"""

from __future__ import annotations

import groq as groq_sdk
import pytest
from groq_e2e_helpers import ask

from mirascope.core import groq
from mirascope.core.groq.testing import RETIRED_MODEL_IDS, GroqEmulator

RETIRED = "llama-3.1-8b-instant"
MESSAGE = (
    f"The model `{RETIRED}` has been decommissioned and is no longer supported. Please refer to "
    "https://console.groq.com/docs/deprecations for a recommendation on which model to use "
    "instead."
)


def test_v1_era_ids_are_retired_and_live_ids_are_not():
    assert {RETIRED, "llama-3.3-70b-versatile", "qwen/qwen3-32b", "mixtral-8x7b-32768"} <= (
        RETIRED_MODEL_IDS
    )
    live = {"openai/gpt-oss-20b", "openai/gpt-oss-120b", "qwen/qwen3.6-27b", "groq/compound"}
    assert not live & RETIRED_MODEL_IDS


@pytest.mark.parametrize("stream", [False, True])
async def test_retired_id_gets_model_decommissioned_by_default(flavor, emu, stream):
    fn = flavor.call(ask, RETIRED, stream=stream)
    with pytest.raises(groq_sdk.BadRequestError) as info:
        result = await flavor.invoke(fn, "hi")
        await flavor.drain(result)
    assert info.value.status_code == 400
    error = {"message": MESSAGE, "type": "invalid_request_error", "code": "model_decommissioned"}
    assert info.value.body == {"error": error}
    assert len(emu.requests) == 1  # the SDK does not retry a 400


@pytest.mark.parametrize("is_async", [False, True])
async def test_accept_retired_models_keeps_v1_era_ids_running(groq_emulator_factory, is_async):
    emu: GroqEmulator = groq_emulator_factory(accept_retired_models=True)
    emu.enqueue("text", text="Still here")
    if is_async:
        async with emu.async_client() as client:

            @groq.call(RETIRED, stream=True, client=client)
            async def say_async() -> str:
                return "hi"

            stream = await say_async()
            content = "".join([c.content async for c, _ in stream])
    else:
        with emu.client() as client:

            @groq.call(RETIRED, stream=True, client=client)
            def say() -> str:
                return "hi"

            content = "".join(c.content for c, _ in say())
    assert content == "Still here"
    assert emu.requests[0].body["model"] == RETIRED
