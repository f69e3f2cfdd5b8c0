"""Test support: the Bot API emulator served over HTTP (:mod:`tests.support.botapi_server`)."""
