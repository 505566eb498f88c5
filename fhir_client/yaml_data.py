"""Reading the packaged YAML tables (lexicons, rule tables, catalogs) with libyaml's parser when PyYAML
has it.

The pure-Python parser was a quarter of the understanding stage's start-up (16 of 71 s, profiled on a
loaded two-core machine, where a UI test's first reply then timed out); libyaml's parser feeds the same
safe resolver and constructor, so the data read is the same, in a fraction of the time.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when available (errors are the same ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader: CSafeLoader or SafeLoader
