"""pytest fixtures for the Groq emulator, registered through the `pytest11` entry point.

* `groq_emulator`: a running `GroqEmulator`, clean for each test. One server is shared by the
  whole session for speed; before each test its queue, recordings, counters and model catalog are
  reset and its open connections closed, so nothing leaks between tests.
* `groq_emulator_factory`: call it to get extra, independent emulators (distinct base URLs);
  they are stopped when the test ends.

The emulator module is imported only when a fixture is used, so merely loading the plugin is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._server import GroqEmulator

__all__ = ["groq_emulator", "groq_emulator_factory"]


@pytest.fixture(scope="session")
def _groq_emulator_session() -> Iterator[GroqEmulator]:
    from ._server import GroqEmulator

    with GroqEmulator() as emu:
        yield emu


@pytest.fixture
def groq_emulator(_groq_emulator_session: GroqEmulator) -> Iterator[GroqEmulator]:
    """A running emulator with an empty script and empty recordings.

    Example:
        ```python
        def test_hello(groq_emulator):
            groq_emulator.enqueue("text", text="Hi")
            with groq_emulator.client() as client:
                ...
        ```
    """
    emu = _groq_emulator_session
    emu.reset(close_connections=True)
    yield emu
    emu.reset(close_connections=True)


@pytest.fixture
def groq_emulator_factory() -> Iterator[Callable[..., GroqEmulator]]:
    """A factory of extra running emulators, each stopped at the end of the test.

    Example:
        ```python
        def test_two_servers(groq_emulator_factory):
            a, b = groq_emulator_factory(), groq_emulator_factory()
            assert a.base_url != b.base_url
        ```
    """
    from ._server import GroqEmulator

    started: list[GroqEmulator] = []

    def make(**kwargs: Any) -> GroqEmulator:
        emu = GroqEmulator(**kwargs).start()
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()
