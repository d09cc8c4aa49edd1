"""The chat example (examples/web) in a real headless Chromium, driven by Playwright.

Uses the system Chromium (Debian's `chromium`, via `executable_path`; Playwright's own browser
download is not used) and the app's `DEMO_BACKEND=emulator` backend, whose records say whether
each Groq stream ended early and whether its TCP connection closed. scripts/ci-web.sh installs
both and runs this module; elsewhere it skips with the reason.

DOM states are recorded by a MutationObserver inside the page (every change, no sampling), so
"incremental" is counted, not timed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the `web-example` extra (fastapi) is not installed")
pytest.importorskip("uvicorn", reason="the `web-example` extra (uvicorn) is not installed")
pytest.importorskip("playwright.sync_api", reason="the `playwright` extra is not installed")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "no system Chromium (apt-get install chromium, or set CHROMIUM_PATH)",
        allow_module_level=True,
    )

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR", ROOT / "artifacts"))
ABORTED_LOADS = 100

# Records every distinct text of the assistant answer and every tool box, in order.
OBSERVE = """() => {
  window.__states = [];
  const log = document.getElementById("log");
  new MutationObserver(() => {
    const answer = log.querySelector(".assistant .text");
    const text = answer ? answer.textContent : "";
    const last = window.__states[window.__states.length - 1];
    if (text && text !== last) window.__states.push(text);
  }).observe(log, { childList: true, subtree: true, characterData: true });
}"""


def _load_app_module() -> Any:
    spec = importlib.util.spec_from_file_location("web_example_app", ROOT / "examples/web/app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the request model's annotations here
    spec.loader.exec_module(module)
    return module


class Served:
    """The example app on 127.0.0.1 in a thread; `emu` is its backend's emulator."""

    def __init__(self, delay: float, scripted: bool = False) -> None:
        app = _load_app_module().create_app(emulator_delay=delay, scripted=scripted)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, args=([self.sock],), daemon=True)
        self.thread.start()
        deadline = 200  # x 50 ms
        while not self.server.started and deadline and self.thread.is_alive():
            threading.Event().wait(0.05)
            deadline -= 1
        assert self.server.started, "the example app did not start"
        self.emu: Any = app.state.backend.emulator
        self.emu_port = int(self.emu.base_url.rsplit(":", 1)[1])

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def _established(port: int) -> int:
    """TCP sockets of this host in ESTABLISHED state with `port` at either end."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                local, remote, state = fields[1], fields[2], fields[3]
                ports = {int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)}
                count += state == "01" and port in ports
    return count


@pytest.fixture(scope="module")
def backend_env() -> Iterator[None]:
    saved = {k: os.environ.pop(k, None) for k in ("GROQ_API_KEY", "DEMO_BACKEND")}
    os.environ["DEMO_BACKEND"] = "emulator"
    yield
    for key, value in saved.items():
        os.environ.pop(key, None)
        if value is not None:
            os.environ[key] = value


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def fast(backend_env: None) -> Iterator[Served]:
    served = Served(delay=0.1)  # 0.1 s per event: each delta its own read, even under load
    yield served
    served.stop()


@pytest.fixture(scope="module")
def slow(backend_env: None) -> Iterator[Served]:
    """Paced at 1 s per event, so a page closed after the first part is closed mid-stream."""
    served = Served(delay=1.0)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def scripted(backend_env: None) -> Iterator[Served]:
    """The emulator answers from its queue: each test scripts the turns it needs."""
    served = Served(delay=0.05, scripted=True)
    yield served
    served.stop()


def _ask(page: Page, url: str, prompt: str) -> None:
    page.goto(url)
    page.evaluate(OBSERVE)
    page.fill("#prompt", prompt)
    page.press("#prompt", "Enter")


def test_chat_streams_tool_call_and_usage(browser: Browser, fast: Served) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 640})
    _ask(page, fast.url, "What's the weather in Paris?")
    page.wait_for_selector(".assistant[data-done=true]", timeout=30_000)
    states: list[str] = page.evaluate("window.__states")
    final = page.inner_text(".assistant .text")
    assert final == "Here is what I found: It is sunny and 21 °C in example."
    before_end = [s for s in states if s != final]
    assert len(before_end) >= 3, states  # text arrived incrementally
    assert all(final.startswith(s) for s in states)
    assert page.inner_text(".tool .tool-name") == "GetWeather"
    assert page.inner_text(".tool .tool-input") == '{"city":"example"}'
    assert page.inner_text(".tool .tool-output") == '→ "It is sunny and 21 °C in example."'
    usage = page.inner_text(".usage")
    assert "prompt +" in usage and "completion tokens" in usage and "cost $" in usage, usage
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-chat.png"), full_page=True)
    page.close()
    # Both turns' Groq streams ran to the end; the pool keeps at most one connection.
    assert fast.emu.wait_for(
        lambda: [s.completed for s in fast.emu.streams[-2:]] == [True, True], timeout=5
    )
    assert fast.emu.wait_for(lambda: fast.emu.open_connections <= 1, timeout=5)


def test_an_invalid_tool_call_is_shown_answered_and_retried(
    browser: Browser, scripted: Served
) -> None:
    emu = scripted.emu
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"town":"Paris"}')], delay=0.05)
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Paris"}')], delay=0.05)
    emu.enqueue("text", text="It is sunny in Paris.", delay=0.05)
    page = browser.new_page(viewport={"width": 900, "height": 640})
    _ask(page, scripted.url, "What's the weather in Paris?")
    page.wait_for_selector(".assistant[data-done=true]", timeout=30_000)
    assert page.inner_text(".assistant .text") == "It is sunny in Paris."
    boxes = page.locator(".tool")
    assert boxes.count() == 2
    bad, good = boxes.nth(0), boxes.nth(1)
    assert bad.locator(".tool-input").inner_text() == '{"town":"Paris"}'  # the raw arguments
    error = bad.locator(".tool-error").inner_text()
    assert error.startswith("✗ ") and "city" in error and "Field required" in error, error
    assert bad.locator(".tool-output").count() == 0
    assert good.locator(".tool-output").inner_text() == '→ "It is sunny and 21 °C in Paris."'
    assert page.locator(".assistant > .error").count() == 0  # not the body's error
    page.close()
    # The model was told: the second request answers the bad call with its error.
    assert emu.wait_for(lambda: len(emu.requests) == 3, timeout=5)
    answer = emu.requests[1].json["messages"][-1]
    assert answer["role"] == "tool" and "Field required" in answer["content"]


def test_closing_the_page_mid_stream_releases_groq(browser: Browser, slow: Served) -> None:
    emu = slow.emu
    before = len(emu.streams)
    page = browser.new_page()
    _ask(page, slow.url, "What's the weather in Paris?")
    page.wait_for_selector(".tool-output", timeout=30_000)  # turn 1 done, turn 2 streaming
    assert emu.wait_for(lambda: len(emu.streams) == before + 2, timeout=10)
    assert not emu.streams[-1].completed
    page.close()
    assert emu.wait_for(lambda: emu.streams[-1].client_closed_early, timeout=10)
    assert emu.wait_for(lambda: emu.streams[-1].connection_closed, timeout=10)
    assert emu.wait_for(lambda: emu.open_connections == 0, timeout=10)
    assert _established(slow.emu_port) == 0


def test_aborted_page_loads_leak_no_connection(browser: Browser, slow: Served) -> None:
    emu = slow.emu
    before = len(emu.streams)
    page = browser.new_page()
    for i in range(ABORTED_LOADS):  # bounded; each reload aborts the previous load's stream
        _ask(page, slow.url, f"What's the weather in city {i}?")
        assert emu.wait_for(lambda i=i: len(emu.streams) >= before + i + 1, timeout=10)
    page.close()
    streams = emu.streams[before:]
    assert len(streams) == ABORTED_LOADS
    assert emu.wait_for(
        lambda: all(s.client_closed_early and s.connection_closed for s in emu.streams[before:]),
        timeout=20,
    )
    assert emu.wait_for(lambda: emu.open_connections == 0, timeout=10)
    assert _established(slow.emu_port) == 0
