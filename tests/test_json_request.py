"""The bot's HTTP request (bot.delivery.JsonRequest) against a small raw HTTP server:
calls go as JSON, no more go at once than the pool has connections, and a connection
the server closed while idle is noticed before it is used again."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import pytest
from telegram import Bot

from bot.delivery import JsonRequest, SocketKeepingTransport


@dataclass
class RawServer:
    """One Bot API method answered: every request's headers and body are kept; each
    answer waits ``delay``; ``close_after_answer`` hangs up once the answer is sent."""

    delay: float = 0.0
    close_after_answer: bool = False
    seen: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    connections: int = 0
    url: str = ""

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                await asyncio.sleep(self.delay)
                self.in_flight -= 1
                self.seen.append((headers, body))
                payload = json.dumps({"ok": True, "result": {"message_id": len(self.seen)}})
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\n\r\n".encode()
                    + payload.encode()
                )
                await writer.drain()
                if self.close_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[RawServer]:
    raw = RawServer()
    listening = await asyncio.start_server(raw.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    raw.url = f"http://127.0.0.1:{port}/bot"
    async with listening:
        yield raw


async def bot_for(server: RawServer, request: JsonRequest) -> Bot:
    bot = Bot("123:ABC", base_url=server.url, request=request)
    await request.initialize()
    return bot


async def test_a_call_goes_as_one_json_body(server: RawServer) -> None:
    request = JsonRequest(connection_pool_size=2)
    bot = await bot_for(server, request)
    try:
        text = "東莞的工廠 <b>可以</b> & more"
        result = await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": 7, "text": text, "parse_mode": "HTML"}
        )
    finally:
        await request.shutdown()
    assert result == {"message_id": 1}
    [(headers, body)] = server.seen
    assert headers["content-type"] == "application/json"
    assert "東莞".encode() in body, "the CJK text travels as UTF-8, not percent-encoded"
    assert json.loads(body) == {"chat_id": 7, "text": text, "parse_mode": "HTML"}


async def test_no_more_calls_go_at_once_than_the_pool_has_connections(
    server: RawServer,
) -> None:
    """The others wait in our queue, not in httpcore's: with a pool timeout far shorter
    than the wait, none of them times out."""
    server.delay = 0.1
    request = JsonRequest(connection_pool_size=2, pool_timeout=0.05)
    bot = await bot_for(server, request)
    try:
        results = await asyncio.gather(
            *(
                bot.do_api_request("sendMessage", api_kwargs={"chat_id": n, "text": "hi"})
                for n in range(6)
            )
        )
    finally:
        await request.shutdown()
    assert len(results) == 6
    assert server.most_in_flight == 2
    assert server.connections <= 2


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    server: RawServer,
) -> None:
    server.close_after_answer = True
    request = JsonRequest(connection_pool_size=1)
    bot = await bot_for(server, request)
    try:
        first = await bot.do_api_request("sendMessage", api_kwargs={"chat_id": 1, "text": "a"})
        await asyncio.sleep(0.05)  # the server's hang-up reaches the idle connection
        second = await bot.do_api_request("sendMessage", api_kwargs={"chat_id": 1, "text": "b"})
    finally:
        await request.shutdown()
    assert (first, second) == ({"message_id": 1}, {"message_id": 2})
    assert server.connections == 2


def test_the_transport_keeps_sockets_with_this_httpx() -> None:
    """If an httpx upgrade moves the pool, the transport falls back to httpx's own; this
    says so here rather than as a slower bot."""
    transport = SocketKeepingTransport(limits=httpx.Limits(max_connections=4))
    assert transport.keeps_sockets


async def test_a_request_is_written_whole(server: RawServer) -> None:
    """The head waits for its body: one write (one system call) a request, not two; a
    body-less head goes at once; the server reads the same requests either way."""
    from bot.delivery import _SocketKeepingStream

    inner_writes: list[bytes] = []

    class Inner:
        def get_extra_info(self, info: str) -> None:
            return None

        async def write(self, buffer: bytes, timeout: float | None = None) -> None:
            inner_writes.append(buffer)

    stream = _SocketKeepingStream(Inner())  # type: ignore[arg-type]
    await stream.write(b"POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n")
    assert inner_writes == []
    await stream.write(b"{}")
    assert inner_writes == [b"POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"]
    await stream.write(b"GET /y HTTP/1.1\r\nHost: x\r\n\r\n")
    await stream.write(b"POST /z HTTP/1.1\r\ncontent-length: 0\r\n\r\n")
    assert len(inner_writes) == 3

    request = JsonRequest(connection_pool_size=1)
    bot = await bot_for(server, request)
    try:
        for n in range(3):
            await bot.do_api_request("sendMessage", api_kwargs={"chat_id": n, "text": "早晨"})
    finally:
        await request.shutdown()
    assert [json.loads(body)["chat_id"] for _, body in server.seen[-3:]] == [0, 1, 2]
