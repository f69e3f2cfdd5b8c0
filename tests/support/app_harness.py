"""The real ``Application`` and handlers, with the Bot API answered in-process by
``LocalBotAPI``: for tests that need Telegram's side (updates, callback answers, staff
groups, the error handler) without HTTP. The console and ``ask`` do not use it; they call
``bot.engine.handle_event`` directly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.app import Services, build_application, build_services, ticket_sender
from bot.config import Settings
from bot.store import Store
from tests.support.local_api import LocalBotAPI
from tests.support.local_request import LocalRequest


@dataclass
class AppHarness:
    """An Application wired to an in-process Bot API, with updates processed one by one."""

    services: Services
    api: LocalBotAPI
    app: Any

    @classmethod
    async def start(cls, settings: Settings, store: Store | None = None) -> AppHarness:
        services = build_services(settings, store)
        api = LocalBotAPI(first_update_id=services.store.last_handled_update() + 1)
        app = build_application(services, request=LocalRequest(api), rate_limit=False)
        await app.initialize()
        services.sender = ticket_sender(app.bot, services)
        await services.sender.flush()  # what an earlier run left undelivered
        return cls(services, api, app)

    async def stop(self) -> None:
        await self.app.shutdown()
        self.services.store.close()

    async def feed(self, action: Any) -> None:
        await self.app.process_update(Update.de_json(action.update, self.app.bot))
