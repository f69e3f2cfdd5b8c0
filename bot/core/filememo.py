"""What was read from files, kept for the process while the files stay as they were.

Parsing the knowledge (guides, FAQ, synonyms, the search index's units) takes about a
fifth of a second, and a process that starts the bot more than once (the test corpus,
the console restarted in a test) would pay it every time. ``by_files`` keeps one result
per argument and per content of the files it was read from (a digest of each file's
bytes, a few milliseconds for all of them), so an edited file is read again and an
unchanged one never is, however quickly the edits follow each other.
Results must not be changed by their users: they are shared.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "a.yaml").write_text("x: 1")
4
>>> reads = []
>>> @by_files(lambda folder: sorted(folder.glob("*.yaml")))
... def load(folder):
...     reads.append(folder)
...     return len(list(folder.glob("*.yaml")))
>>> load(folder), load(folder), len(reads)
(1, 1, 1)
>>> (folder / "b.yaml").write_text("y: 2")
4
>>> load(folder), len(reads)
(2, 2)
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

Result = TypeVar("Result")
KEEP = 8  # states kept per function: a test run switches between a few folders at most


def signature(paths: Iterable[Path | str]) -> tuple[tuple[str, bytes], ...]:
    """Each file's path and a digest of its bytes; a missing file's digest is empty."""
    found = []
    for path in paths:
        try:
            digest = hashlib.blake2b(Path(path).read_bytes(), digest_size=16).digest()
        except OSError:
            digest = b""
        found.append((str(path), digest))
    return tuple(found)


def by_files(
    files: Callable[..., Iterable[Path | str]],
) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Keep ``function(*args)`` while the files ``files(*args)`` names are unchanged."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        kept: dict[Any, Result] = {}
        lock = threading.Lock()

        @functools.wraps(function)
        def wrapper(*args: Any) -> Result:
            key = (args, signature(files(*args)))
            with lock:
                if key in kept:
                    return kept[key]
            result = function(*args)
            with lock:
                if len(kept) >= KEEP:
                    kept.pop(next(iter(kept)))
                kept[key] = result
            return result

        wrapper.cache_clear = kept.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
