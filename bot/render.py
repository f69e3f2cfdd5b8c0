"""Words a ``Reply`` for one locale, as plain text (console, ``ask``) or Telegram HTML.

Every piece of text passes through here: translated message ids, typed values formatted
by Babel for the locale, and user text escaped for HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.localefmt import format_date, format_money, format_number
from bot.core.reply import Button, Day, Joined, Local, Money, Msg, Reply, T, Verbatim
from bot.i18n import gettext

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CITATION = re.compile(r"^(para|footnote)\s+(.+)$")


def _escape(text: str, as_html: bool) -> str:
    return html.escape(text, quote=False) if as_html else text


def value_text(value: Any, locale: str, as_html: bool = False) -> str:
    """A value formatted for the locale (escaped for HTML when asked)."""
    if isinstance(value, Msg):
        return message_text(value, locale, as_html)
    if isinstance(value, Money):
        return _escape(format_money(value.amount, locale), as_html)
    if isinstance(value, Day):
        return _escape(format_date(value.value, locale), as_html)
    if isinstance(value, date):
        return _escape(format_date(value, locale), as_html)
    if isinstance(value, Local):
        return _escape(value.texts.get(locale) or value.texts.get("en", ""), as_html)
    if isinstance(value, Verbatim):
        return _escape(value.text, as_html)
    if isinstance(value, Joined):
        return join_list([value_text(part, locale, as_html) for part in value.parts], locale)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return _escape(format_number(value, locale), as_html)
    return _escape(str(value), as_html)


def join_list(items: list[str], locale: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if locale.startswith("zh"):
        return "、".join(items[:-1]) + gettext(locale, " and ") + items[-1]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def message_text(msg: Msg, locale: str, as_html: bool = False) -> str:
    template = _escape(gettext(locale, msg.msgid), as_html)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in msg.values:
            return match.group(0)
        return value_text(msg.values[name], locale, as_html)

    text = _PLACEHOLDER.sub(fill, template)
    if as_html and msg.style == "title":
        return f"<b>{text}</b>"
    if as_html and msg.style == "note":
        return f"<i>{text}</i>"
    return text


def citation_text(citation: str, locale: str) -> str:
    match = _CITATION.match(citation)
    if not match:
        return {
            "fact sheet": gettext(locale, "programme fact sheet"),
            "annex": gettext(locale, "annex"),
        }.get(citation, citation)
    kind, number = match.groups()
    if kind == "para":
        return gettext(locale, "para {number}").replace("{number}", number)
    return gettext(locale, "footnote {number}").replace("{number}", number)


def citations_line(citations: list[str], locale: str, as_html: bool = False) -> str:
    paper = [c for c in citations if c != "fact sheet"]
    listed = join_list([citation_text(c, locale) for c in paper], locale)
    if not paper:
        source = Msg("Source: programme fact sheet.", {}, "note")
    elif len(paper) < len(citations):
        source = Msg(
            "Source: LegCo paper of 26 November 2012, {citations}; programme fact sheet.",
            {"citations": Verbatim(listed)},
            "note",
        )
    else:
        source = Msg(
            "Source: LegCo paper of 26 November 2012, {citations}.",
            {"citations": Verbatim(listed)},
            "note",
        )
    return message_text(source, locale, as_html)


# Message ids built above, for extraction.
_SOURCES = (
    T("Source: programme fact sheet."),
    T("Source: LegCo paper of 26 November 2012, {citations}; programme fact sheet."),
    T("Source: LegCo paper of 26 November 2012, {citations}."),
)


def render_text(reply: Reply, locale: str, as_html: bool = False) -> str:
    blocks: list[str] = []
    for part in reply.parts:
        text = value_text(part, locale, as_html)
        if text:
            blocks.append(text)
    if reply.citations:
        blocks.append(citations_line(reply.citations, locale, as_html))
    return "\n\n".join(blocks)


def button_text(button: Button, locale: str) -> str:
    return value_text(button.label, locale)
