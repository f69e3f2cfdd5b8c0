"""Words a ``Reply`` for one locale, as plain text (console, ``ask``) or Telegram HTML.

Every piece of text passes through here: translated message ids, typed values formatted
by Babel for the locale, and user text escaped for HTML.
"""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from bot.core.localefmt import format_date, format_money, format_number
from bot.core.reply import (
    Button,
    Day,
    Joined,
    Lines,
    Local,
    Money,
    Msg,
    Reply,
    Share,
    SourceEntries,
    T,
    Verbatim,
    Year,
)
from bot.core.rules import KnowledgeError
from bot.core.sources import load_sources
from bot.i18n import gettext

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


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
    if isinstance(value, Year):
        return _escape(gettext(locale, "{year}").replace("{year}", str(value.value)), as_html)
    if isinstance(value, Share):
        return _escape(share_text(value.value, locale), as_html)
    if isinstance(value, date):
        return _escape(format_date(value, locale), as_html)
    if isinstance(value, Local):
        return _escape(value.texts.get(locale) or value.texts.get("en", ""), as_html)
    if isinstance(value, Verbatim):
        return _escape(value.text, as_html)
    if isinstance(value, Lines):
        return "\n".join(value_text(part, locale, as_html) for part in value.parts)
    if isinstance(value, SourceEntries):
        return "\n\n".join(
            sources_list(list(value.citations), locale, as_html, with_ids=value.with_ids)
        )
    if isinstance(value, Joined):
        return join_list([value_text(part, locale, as_html) for part in value.parts], locale)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return _escape(format_number(value, locale), as_html)
    return _escape(str(value), as_html)


_SHARES = {
    Fraction(1): T("all of the cost"),
    Fraction(1, 2): T("half the cost"),
    Fraction(1, 3): T("a third of the cost"),
    Fraction(2, 3): T("two thirds of the cost"),
    Fraction(1, 4): T("a quarter of the cost"),
    Fraction(3, 4): T("three quarters of the cost"),
}


def share_text(value: Any, locale: str) -> str:
    """A share of the cost in words: "half the cost", "三分之一費用"; else a percentage."""
    fraction = Fraction(value)
    known = _SHARES.get(fraction)
    if known is not None:
        return message_text(known, locale)
    percent = format_number(
        (Decimal(fraction.numerator) * 100 / fraction.denominator)
        .quantize(Decimal("0.1"))
        .normalize(),
        locale,
    )
    return message_text(T("{percent}% of the cost", percent=Verbatim(percent)), locale)


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

    text = _PLACEHOLDER.sub(fill, template) if msg.values else template
    if as_html and msg.style == "title":
        return f"<b>{text}</b>"
    if as_html and msg.style == "note":
        return f"<i>{text}</i>"
    return text


_REF = re.compile(r"^(paras?|footnote)\s+(.+)$")


def _paragraph_order(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group(0)) if digits else 0, number)


def _refs_text(refs: list[str], locale: str) -> str:
    """Paragraph references in words: para 12(b), para 17 -> "paras 12(b) and 17"."""
    paras = [m.group(2) for r in refs if (m := _REF.match(r)) and m.group(1).startswith("para")]
    paras.sort(key=_paragraph_order)
    notes = [m.group(2) for r in refs if (m := _REF.match(r)) and m.group(1) == "footnote"]
    other = [r for r in refs if not _REF.match(r)]
    parts = []
    if paras:
        key = "para {number}" if len(paras) == 1 else "paras {numbers}"
        numbers = join_list(paras, locale)
        parts.append(
            gettext(locale, key).replace("{number}", numbers).replace("{numbers}", numbers)
        )
    for number in notes:
        parts.append(gettext(locale, "footnote {number}").replace("{number}", number))
    for ref in other:
        parts.append(gettext(locale, ref) if ref == "annex" else ref)
    return ", ".join(parts) if locale == "en" else "、".join(parts)


def _grouped(citations: list[str]) -> list[tuple[Any, list[str]]]:
    book = load_sources()
    groups: dict[str, tuple[Any, list[str]]] = {}
    for citation in citations:
        try:
            source, ref = book.source_of(citation)
        except KnowledgeError:
            continue  # never fail a reply for a citation; tests check every one resolves
        entry = groups.setdefault(source.id, (source, []))
        if ref and ref not in entry[1]:
            entry[1].append(ref)
    return list(groups.values())


def source_name(source: Any, locale: str) -> str:
    name = source.short[locale]
    if not source.id.startswith("W"):
        return name
    return name + (" (" + source.id + ")" if locale == "en" else "（" + source.id + "）")


def citations_line(citations: list[str], locale: str, as_html: bool = False) -> str:
    """One short line naming each source once: "Source: LegCo paper 2012, paras 12(b)
    and 17; GovHK programme page (W4)."""
    parts = []
    for source, refs in _grouped(citations):
        name = source_name(source, locale)
        joiner = ", " if locale == "en" else ""
        parts.append(name + joiner + _refs_text(refs, locale) if refs else name)
    if not parts:
        return ""
    separator = "; " if locale == "en" else "；"
    line = Msg("Source: {sources}.", {"sources": Verbatim(separator.join(parts))}, "note")
    return message_text(line, locale, as_html)


def sources_list(
    citations: list[str], locale: str, as_html: bool = False, with_ids: bool = False
) -> list[str]:
    """The full entries behind the Sources button, one per source; ``with_ids`` leads
    each with the id the answers cite it by."""
    lines = []
    for source, refs in _grouped(citations):
        text = source.full[locale]
        if with_ids:
            text = f"{source.id}: {text}"
        if refs:
            text += " — " + _refs_text(refs, locale)
        if source.address:
            text += " (" + source.address + ")"
        lines.append(_escape("• " + text, as_html))
    return lines


# Message ids built above, for extraction.
_SOURCES = (
    T("Source: {sources}."),
    T("para {number}"),
    T("paras {numbers}"),
    T("footnote {number}"),
    T("annex"),
    T("{year}"),
)


def render_text(reply: Reply, locale: str, as_html: bool = False, limit: int | None = None) -> str:
    """The reply as text. With ``limit``, parts stop once that many characters are
    there (the rest would be cut anyway): a chat's history keeps only a reply's start."""
    blocks: list[str] = []
    length = 0
    for part in reply.parts:
        text = value_text(part, locale, as_html)
        if text:
            length += len(text) + (2 if blocks else 0)  # its "\n\n" before it
            blocks.append(text)
        if limit is not None and length >= limit:
            return "\n\n".join(blocks)
    if reply.citations:
        line = citations_line(reply.citations, locale, as_html)
        if line:
            blocks.append(line)
    return "\n\n".join(blocks)


def button_text(button: Button, locale: str) -> str:
    return value_text(button.label, locale)
