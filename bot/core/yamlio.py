"""YAML for knowledge files: libyaml's C loader where PyYAML has it (several times faster
on the guides at start-up), the pure-Python safe loader otherwise. Both are safe loaders."""

from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: Any) -> Any:
    """Like ``yaml.safe_load``: a string or an open file in, plain data out."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
