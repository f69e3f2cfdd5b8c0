"""End-to-end tests: the bot on a local Bot API stand-in, through PTB's real HTTP stack."""
