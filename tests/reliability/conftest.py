"""Fixtures for the reliability suite (issue 4): faults, errors, retries, leaks, load, secrets.

The `flavor` fixture is the end-to-end suite's (tests/e2e): each test body runs once with a sync
function and `groq.Groq`, once with an `async def` and `groq.AsyncGroq`, against the emulator.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))

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
