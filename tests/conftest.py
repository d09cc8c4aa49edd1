"""Fixtures shared by the end-to-end and reliability suites; the helpers live in `groq_e2e_helpers`.

`flavor` runs each test body twice: with a sync function and `groq.Groq`, and with an `async def`
and `groq.AsyncGroq`, both against the Groq emulator (`groq_emulator`, from the package's plugin).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from groq_e2e_helpers import Flavor

from mirascope.core.groq.testing import GroqEmulator


@pytest.fixture(params=["sync", "async"])
async def flavor(request: pytest.FixtureRequest, groq_emulator: GroqEmulator) -> AsyncIterator:
    f = Flavor(groq_emulator, is_async=request.param == "async")
    try:
        yield f
    finally:
        await f.aclose()


@pytest.fixture
def emu(groq_emulator: GroqEmulator) -> GroqEmulator:
    return groq_emulator
