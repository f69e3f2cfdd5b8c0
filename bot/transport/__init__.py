"""Transports that carry the bot's Bot API traffic.

- :mod:`bot.transport.local_api`: :class:`LocalBotAPI`, an in-memory stand-in of the Telegram
  Bot API (plain dicts in and out, no ``telegram`` import), with a user side for tests and the
  console, fault injection and optional JSON persistence.
- :mod:`bot.transport.local_request`: :class:`LocalRequest`, a python-telegram-bot request
  backend that answers every call from a :class:`LocalBotAPI` in the same process.

``bot.transport`` itself imports neither, so importing it stays cheap.
"""
