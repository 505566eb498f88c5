"""Template placeholders that exporters leave in place of values: ``{entry.value}``, ``<INSERT NAME HERE>``.

A converter that fills a template and finds nothing to put in a slot often writes the slot itself. Read as
data, ``{entry.value}`` becomes a lab result and ``<INSERT MANUFACTURER NAME HERE>`` a manufacturer; the
loader reports every such string and the readers show it as "no value (a placeholder)", never as a value.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(
    r"""^\s*(?:
        \{\s*[A-Za-z_]\w*(?:\.\w+)+\s*\}          # {entry.value}  (a bare {Number} is a UCUM annotation)
      | \{\{\s*[A-Za-z_][\w.\[\]-]*\s*\}\}      # {{ name }}
      | \$\{[^}]*\}                             # ${value}
      | <\s*(?:insert|enter|add|your)\b[^>]*>   # <INSERT MANUFACTURER NAME HERE>
      | \[\s*(?:insert|enter|placeholder)\b[^\]]*\]
      | (?:placeholder|lorem\s+ipsum)\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_placeholder(text: object) -> bool:
    """True for a string that is a template slot rather than a value (see module docstring)."""
    return isinstance(text, str) and bool(_PLACEHOLDER.match(text))


__all__ = ["is_placeholder"]
