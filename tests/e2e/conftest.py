"""Fixtures for the end-to-end tests; the helpers live in `groq_e2e_helpers`."""

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
