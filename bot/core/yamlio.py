"""YAML for knowledge files: libyaml's C loader where PyYAML has it (several times faster
on the guides at start-up), the pure-Python safe loader otherwise. Both are safe loaders."""

from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: Any) -> Any:
    """Like ``yaml.safe_load``: a string or an open file in, plain data out."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


class KnowledgeError(ValueError):
    """A knowledge file is malformed; the message names the file and, where known, the key
    (also kept as ``file``, ``key`` and ``problem``).

    >>> str(KnowledgeError.at("faq.yaml", "fees", "needs en"))
    'faq.yaml: fees: needs en'
    """

    def __init__(
        self, message: str, file: Any = None, key: str = "", problem: str | None = None
    ) -> None:
        super().__init__(message)
        self.file = str(file) if file is not None else None
        self.key = key
        self.problem = problem if problem is not None else message

    @classmethod
    def at(cls, file: Any, key: str, problem: str) -> KnowledgeError:
        where = f"{file}: {key}" if key else str(file)
        return cls(f"{where}: {problem}", file, key, problem)
