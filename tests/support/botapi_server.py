"""The LocalBotAPI behind a real HTTP server on 127.0.0.1, plus a driver for end-to-end tests.

Routes:

* ``POST|GET /bot<token>/<method>`` -- the Bot API. Bodies may be JSON, form-encoded (what PTB's
  HTTPXRequest sends: strings as-is, numbers/booleans/objects JSON-encoded per field) or
  multipart/form-data (uploads; file parts arrive as ``{"filename", "size"}``). Query-string
  parameters are merged in. A wrong token (when the server has one) gets 401 Unauthorized.
  Injected network faults: ``drop``/``drop_after`` abort the connection, ``bad_gateway`` answers
  502 with an HTML body.
* ``POST /control/<name>`` with a JSON object of keyword arguments (or ``GET`` with a query
  string, values parsed as JSON where they can be) calls ``LocalBotAPI.<name>`` for the names in
  :data:`CONTROL_METHODS`: the user side (``user_sends_text``, ``user_taps``, ...), inspection
  (``sent``, ``events``, ...), faults (``fail_next``, ``fail_network``, ``block_user``, ...) and
  waits (``wait_for_messages``, ...). Answers ``{"ok": true, "result": ...}``; a
  :class:`UserAction` result is ``{"update": ..., "message": ...}``; a wait that times out
  answers 408, a bad call 400 with ``{"ok": false, "error": ...}``.

In-thread (tests)::

    with BotAPIServer() as server:            # ephemeral port; server.api is the LocalBotAPI
        app = Application.builder().token("123:ABC").base_url(server.base_url).build()
        ...                                    # run the bot with app.updater.start_polling()
        replies = await Driver(server).say(42, "hello")

Separate process (benchmarks, kill/restart tests)::

    python -m tests.support.botapi_server --port 0 [--token 123:ABC] [--state telegram.json]
    # prints "READY http://127.0.0.1:PORT" once listening; SIGTERM/SIGINT stop it

    with ServerProcess(state_path=tmp / "tg.json") as proc:   # spawns the command above
        control = proc.control                # ControlClient: control.call("sent", chat_id=42)
        replies = await Driver(control).say(42, "hello")

The ``bot_api_server`` pytest fixture in this module gives a started :class:`BotAPIServer`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import email.parser
import email.policy
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h11
import pytest

from tests.support.local_api import JSON, InjectedNetworkFault, LocalBotAPI, UserAction

CONTROL_METHODS = frozenset(
    {
        "add_user",
        "add_chat",
        "user_sends_text",
        "user_taps",
        "user_taps_button",
        "user_presses_keyboard_button",
        "user_sends_location",
        "user_sends_contact",
        "user_sends_sticker",
        "user_sends_voice",
        "user_sends_photo",
        "user_sends_document",
        "user_edits_message",
        "inline_query",
        "channel_post",
        "sent",
        "messages",
        "message",
        "events",
        "event_count",
        "sent_count",
        "reply_keyboard",
        "callback_answer",
        "inline_answer",
        "commands",
        "pending_updates",
        "webhook",
        "snapshot",
        "fail_next",
        "fail_network",
        "clear_faults",
        "block_user",
        "unblock_user",
        "migrate_chat",
        "inject_update",
        "set_next_update_id",
        "wait_for_messages",
        "wait_for_events",
        "wait_for_callback_answer",
    }
)
_BAD_GATEWAY_HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
_MAX_BODY = 50 * 1024 * 1024


class _AbortConnection(Exception):
    """Close the client's connection without an answer (an injected network fault)."""


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json"


def _json_response(status: int, payload: Any) -> _Response:
    return _Response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


class BotAPIServer:
    """Serve ``api`` (a new :class:`LocalBotAPI` by default) over HTTP/1.1 on ``host:port``.

    ``start()``/``stop()`` (or ``with``) run it in a thread with its own event loop;
    ``await serve()`` runs it in the current loop instead (the process mode).
    """

    def __init__(
        self,
        api: LocalBotAPI | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
    ) -> None:
        self.api = api or LocalBotAPI()
        self.host = host
        self.port = port
        self.token = token
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._connections: set[asyncio.Task[None]] = set()
        self._startup_error: BaseException | None = None

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends the token."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}/control"

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> BotAPIServer:
        self._thread = threading.Thread(target=self._run_thread, name="botapi-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("Bot API server did not start within 10 s")
        if self._startup_error:
            raise RuntimeError("Bot API server failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        if self._loop and self._stopping and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread:
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> BotAPIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run_thread(self) -> None:
        try:
            asyncio.run(self.serve())
        except BaseException as error:  # reported to start(); the thread must not die silently
            self._startup_error = error
            self._ready.set()

    async def serve(self, on_ready: Any = None) -> None:
        """Listen until :meth:`stop` (or cancellation); ``on_ready(server)`` once bound."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(self._on_connection, self.host, self.port)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        if on_ready:
            on_ready(self)
        try:
            await self._stopping.wait()
        finally:
            server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            await server.wait_closed()

    # -- HTTP --------------------------------------------------------------------------------

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        connection = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_BODY)
        try:
            while True:
                request, body = await _read_request(connection, reader)
                if request is None:
                    break
                response = await self._route(request, body)
                await _write_response(connection, writer, response)
                if connection.our_state is h11.MUST_CLOSE:
                    break
                connection.start_next_cycle()
        except _AbortConnection:
            writer.transport.abort()
        except (ConnectionError, h11.ProtocolError, asyncio.CancelledError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()

    async def _route(self, request: h11.Request, body: bytes) -> _Response:
        target = request.target.decode("latin-1")
        path, _, query = target.partition("?")
        headers = {
            name.decode().lower(): value.decode("latin-1") for name, value in request.headers
        }
        if path.startswith("/control/"):
            return await self._control(path.removeprefix("/control/"), query, headers, body)
        if path.startswith("/bot"):
            token, _, method = path.removeprefix("/bot").partition("/")
            if self.token is not None and token != self.token:
                return _json_response(
                    401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                )
            if not method or "/" in method:
                return _json_response(
                    404, {"ok": False, "error_code": 404, "description": "Not Found"}
                )
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            params.update(_decode_body(headers.get("content-type", ""), body))
            return await self._bot_api(method, params)
        return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    async def _bot_api(self, method: str, params: dict[str, Any]) -> _Response:
        try:
            status, envelope = await self.api.request(method, params)
        except InjectedNetworkFault as fault:
            if fault.mode == "bad_gateway":
                return _Response(502, _BAD_GATEWAY_HTML, "text/html")
            raise _AbortConnection from fault
        return _json_response(status, envelope)

    async def _control(
        self, name: str, query: str, headers: dict[str, str], body: bytes
    ) -> _Response:
        if name not in CONTROL_METHODS:
            return _json_response(404, {"ok": False, "error": f"no control method {name!r}"})
        kwargs: dict[str, Any] = {k: _maybe_json(v) for k, v in urllib.parse.parse_qsl(query)}
        if body:
            try:
                kwargs.update(json.loads(body))
            except (json.JSONDecodeError, TypeError, ValueError):
                return _json_response(
                    400, {"ok": False, "error": "control bodies are JSON objects"}
                )
        try:
            result = getattr(self.api, name)(**kwargs)
            if asyncio.iscoroutine(result):
                result = await result
        except TimeoutError:
            return _json_response(408, {"ok": False, "error": f"{name} timed out"})
        except (LookupError, ValueError, TypeError) as error:
            return _json_response(400, {"ok": False, "error": f"{type(error).__name__}: {error}"})
        if isinstance(result, UserAction):
            result = {"update": result.update, "message": result.message}
        return _json_response(200, {"ok": True, "result": result})


async def _read_request(
    connection: h11.Connection, reader: asyncio.StreamReader
) -> tuple[h11.Request | None, bytes]:
    request: h11.Request | None = None
    chunks: list[bytes] = []
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            connection.receive_data(await reader.read(65536))
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            chunks.append(bytes(event.data))
        elif isinstance(event, h11.EndOfMessage):
            return request, b"".join(chunks)
        else:  # ConnectionClosed or PAUSED: the client is gone or done
            return None, b""


async def _write_response(
    connection: h11.Connection, writer: asyncio.StreamWriter, response: _Response
) -> None:
    headers = [
        ("content-type", response.content_type),
        ("content-length", str(len(response.body))),
        ("server", "local-bot-api"),
    ]
    data = connection.send(h11.Response(status_code=response.status, headers=headers))
    data += connection.send(h11.Data(data=response.body))
    data += connection.send(h11.EndOfMessage())
    writer.write(data)
    await writer.drain()


def _decode_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Parameters from a JSON, form-encoded or multipart body (values stay as sent)."""
    if not body:
        return {}
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        decoded = json.loads(body)
        return decoded if isinstance(decoded, dict) else {}
    if kind == "multipart/form-data":
        return _decode_multipart(content_type, body)
    return dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))


def _decode_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            params[str(name)] = {"filename": filename, "size": len(payload)}
        else:
            params[str(name)] = payload.decode(part.get_content_charset() or "utf-8")
    return params


def _maybe_json(value: str) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


# ---------------------------------------------------------------------------------------------
# Driving the server from outside the bot: control client and test driver
# ---------------------------------------------------------------------------------------------


class ControlError(RuntimeError):
    """A control call failed (bad arguments, unknown message or button)."""


class ControlClient:
    """Calls ``/control/<name>`` of a server (usually one in another process); blocking."""

    def __init__(self, control_url: str, *, timeout: float = 30.0) -> None:
        self.control_url = control_url.rstrip("/")
        self.timeout = timeout
        # No proxies: the server is on the loopback interface.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def call(self, name: str, **kwargs: Any) -> Any:
        data = json.dumps(kwargs).encode("utf-8")
        request = urllib.request.Request(
            f"{self.control_url}/{name}", data=data, headers={"Content-Type": "application/json"}
        )
        wait = float(kwargs.get("timeout", 0) or 0)
        try:
            with self._opener.open(request, timeout=self.timeout + wait) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            answer = json.loads(error.read() or b"{}")
            if error.code == 408:
                raise TimeoutError(answer.get("error", name)) from None
            raise ControlError(answer.get("error", str(error))) from None
        return answer["result"]

    async def acall(self, name: str, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self.call, name, **kwargs)


class AsyncControlClient:
    """Calls ``/control/<name>`` from many coroutines at once, over one pool of kept-alive
    HTTP connections (load generators: the benchmark and the soak)."""

    def __init__(self, control_url: str, connections: int, *, timeout: float = 120.0) -> None:
        import httpx

        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.client = httpx.AsyncClient(
            base_url=control_url.rstrip("/"), limits=limits, timeout=timeout, trust_env=False
        )

    async def call(self, name: str, **kwargs: Any) -> Any:
        response = await self.client.post(f"/{name}", json=kwargs)
        if response.status_code == 408:
            raise TimeoutError(name)
        answer = response.json()
        if not answer.get("ok"):
            raise ControlError(f"{name}: {answer.get('error')}")
        return answer["result"]

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class TapResult:
    """What a button press brought: the callback answer and the messages sent."""

    answer: JSON | None
    messages: list[JSON] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.messages]


class Driver:
    """Talk to the bot as a user would and collect what it answers.

    ``target`` is a :class:`BotAPIServer`, a :class:`LocalBotAPI` or a :class:`ControlClient`.
    A reply is complete when ``count`` messages arrived, or -- without ``count`` -- when at least
    one message arrived and nothing more happened for ``settle`` seconds.
    """

    def __init__(
        self,
        target: BotAPIServer | LocalBotAPI | ControlClient,
        *,
        timeout: float = 5.0,
        settle: float = 0.08,
    ) -> None:
        if isinstance(target, BotAPIServer):
            target = target.api
        self.target = target
        self.timeout = timeout
        self.settle = settle

    async def _call(self, name: str, **kwargs: Any) -> Any:
        if isinstance(self.target, ControlClient):
            result = await self.target.acall(name, **kwargs)
            return result
        result = getattr(self.target, name)(**kwargs)
        if asyncio.iscoroutine(result):
            result = await result
        if isinstance(result, UserAction):
            return {"update": result.update, "message": result.message}
        return result

    async def say(
        self,
        chat_id: int,
        text: str,
        *,
        user: int | JSON | None = None,
        count: int | None = None,
        timeout: float | None = None,
    ) -> list[JSON]:
        """Send ``text`` and return the bot's new messages."""
        since = await self._call("event_count", chat_id=chat_id)
        kwargs: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if user is not None:
            kwargs["user"] = user
            kwargs["chat_type"] = (
                "private" if chat_id == (user if isinstance(user, int) else user["id"]) else "group"
            )
        await self._call("user_sends_text", **kwargs)
        events = await self._collect(chat_id, since, count, timeout)
        return _messages_of(events)

    async def tap(
        self,
        chat_id: int,
        message: JSON | int,
        button: int | str,
        *,
        user: int | JSON | None = None,
        count: int | None = None,
        timeout: float | None = None,
    ) -> TapResult:
        """Press the inline button (0-based index or text) on a message the bot sent."""
        message_id = message if isinstance(message, int) else message["message_id"]
        since = await self._call("event_count", chat_id=chat_id)
        kwargs: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "which": button}
        if user is not None:
            kwargs["user"] = user
        action = await self._call("user_taps_button", **kwargs)
        events = await self._collect(chat_id, since, count, timeout, any_kind=True)
        answer = await self._call(
            "callback_answer", query_id=action["update"]["callback_query"]["id"]
        )
        return TapResult(answer, _messages_of(events))

    async def press(
        self,
        chat_id: int,
        button: int | str,
        *,
        count: int | None = None,
        timeout: float | None = None,
        **extra: Any,
    ) -> list[JSON]:
        """Press a reply-keyboard button (``phone_number=`` / ``latitude=``+``longitude=`` for
        contact and location buttons) and return the bot's new messages."""
        since = await self._call("event_count", chat_id=chat_id)
        await self._call("user_presses_keyboard_button", chat_id=chat_id, which=button, **extra)
        return _messages_of(await self._collect(chat_id, since, count, timeout))

    async def _collect(
        self,
        chat_id: int,
        since: int,
        count: int | None,
        timeout: float | None,
        *,
        any_kind: bool = False,
    ) -> list[JSON]:
        """Wait for the bot's events after index ``since`` until the reply looks complete."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (timeout or self.timeout)
        events: list[JSON] = await self._call("events", chat_id=chat_id, since=since)
        while True:
            if _complete(events, count, any_kind):
                if count is not None:
                    return events
                window = self.settle
            else:
                window = deadline - loop.time()
                if window <= 0:
                    raise TimeoutError(
                        f"the bot did not answer in chat {chat_id}; events so far: {events}"
                    )
            try:
                waited = min(window, max(deadline - loop.time(), 0.001))
                events = await self._call(
                    "wait_for_events",
                    chat_id=chat_id,
                    n=since + len(events) + 1,
                    timeout=waited,
                    since=since,
                )
            except TimeoutError:
                if _complete(events, count, any_kind):
                    return events


def _complete(events: list[JSON], count: int | None, any_kind: bool) -> bool:
    kinds = ("message", "callback_answer") if any_kind else ("message",)
    if count is not None:
        return sum(e["kind"] == "message" for e in events) >= count
    return any(e["kind"] in kinds for e in events)


def _messages_of(events: list[JSON]) -> list[JSON]:
    """Messages sent in ``events``, in order."""
    return [event["message"] for event in events if event["kind"] == "message"]


# ---------------------------------------------------------------------------------------------
# Process mode
# ---------------------------------------------------------------------------------------------


class ServerProcess:
    """Run ``python -m tests.support.botapi_server`` as a child process (context manager)."""

    def __init__(
        self,
        *,
        port: int = 0,
        token: str | None = None,
        state_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.args = [sys.executable, "-m", "tests.support.botapi_server", "--port", str(port)]
        if token:
            self.args += ["--token", token]
        if state_path:
            self.args += ["--state", str(state_path)]
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def control(self) -> ControlClient:
        return ControlClient(f"{self.url}/control")

    def start(self) -> ServerProcess:
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(self.args, cwd=root, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"Bot API server process did not start: {line!r}")
        self.url = line.removeprefix("READY ")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process and self.process.stdout:
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


@pytest.fixture
def bot_api_server() -> Iterator[BotAPIServer]:
    """A started in-thread :class:`BotAPIServer` with a fresh :class:`LocalBotAPI`."""
    with BotAPIServer() as server:
        yield server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a LocalBotAPI over HTTP on 127.0.0.1")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--token", default=None, help="only this bot token is accepted")
    parser.add_argument(
        "--state", default=None, help="JSON file that keeps Telegram's side across restarts"
    )
    args = parser.parse_args(argv)
    server = BotAPIServer(
        LocalBotAPI(state_path=args.state), host=args.host, port=args.port, token=args.token
    )

    def announce(ready: BotAPIServer) -> None:
        print(f"READY http://{ready.host}:{ready.port}", flush=True)

    async def run() -> None:
        loop = asyncio.get_running_loop()
        serving = asyncio.create_task(server.serve(on_ready=announce))
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, server.stop)
        await serving

    asyncio.run(run())


if __name__ == "__main__":
    main()
