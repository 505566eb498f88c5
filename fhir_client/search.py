"""An immutable FHIR search builder.

Searches are values: every method returns a new ``Search`` and the original is never changed, so a base
query can be shared (``for_patient = Search("Observation").where(subject=ref)``) and refined in many
places without one caller's ``count()`` leaking into another's. A ``Search`` is frozen and hashable, so
it can key a cache.

Values follow FHIR search syntax (https://hl7.org/fhir/R4/search.html):

* a ``str`` is passed as written — ``code="http://loinc.org|4548-4"`` means system ``|`` code;
* ``token(system, code)`` and ``escape(text)`` escape the characters FHIR gives a meaning to
  (``\\``, ``,``, ``|``, ``$``) inside a literal value;
* a list or tuple of values means OR (joined by ``,``), repeating a parameter means AND;
* dates and datetimes render in ISO 8601; booleans as ``true``/``false``.

Keyword names map to FHIR names: ``service_type`` → ``service-type``, a double underscore is a modifier
(``code__text`` → ``code:text``) and a leading underscore is kept (``_id``, ``_lastUpdated``). Use
``param(name, value)`` for names keyword arguments cannot spell (``subject:Patient.name``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeAlias
from urllib.parse import parse_qsl, quote

_SPECIAL = re.compile(r"([\\,|$])")
_TYPE_RE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")


@dataclass(frozen=True)
class Token:
    """A ``system|code`` token value; each part is escaped, the separating ``|`` is not."""

    system: str | None
    code: str

    def render(self) -> str:
        if self.system is None:
            return escape(self.code)
        return f"{escape(self.system)}|{escape(self.code)}"


@dataclass(frozen=True)
class Escaped:
    """Literal text: commas, pipes, dollars and backslashes in it carry no search meaning."""

    text: str

    def render(self) -> str:
        return _SPECIAL.sub(r"\\\1", self.text)


Scalar: TypeAlias = str | int | float | bool | dt.date | dt.datetime | Token | Escaped
Value: TypeAlias = Scalar | Sequence[Scalar]


def escape(text: str) -> str:
    """Escape a literal value so that ``,``, ``|``, ``$`` and ``\\`` are not read as search syntax."""
    return Escaped(text).render()


def token(system: str | None, code: str) -> Token:
    """``token("http://loinc.org", "4548-4")`` renders ``http://loinc.org|4548-4``."""
    return Token(system, code)


def split_unescaped(value: str, separator: str) -> list[str]:
    """Split on ``separator`` where it is not escaped, and unescape the parts (inverse of ``escape``)."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            current.append(nxt)
        elif ch == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def encode_query(params: Iterable[tuple[str, str]]) -> str:
    """Percent-encode ``name=value`` pairs keeping their order (httpx would group repeated names)."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params)


def render_value(value: Value) -> str:
    """Render one parameter value; a list or tuple becomes an OR list."""
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        if not value:
            raise ValueError("an OR list of search values must not be empty")
        return ",".join(_render_scalar(v) for v in value)
    return _render_scalar(value)


def _render_scalar(value: Scalar) -> str:
    if isinstance(value, Token | Escaped):
        return value.render()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot use a {type(value).__name__} as a FHIR search value")


def _param_name(keyword: str) -> str:
    """Map a Python keyword to a FHIR parameter name (see the module docstring)."""
    lead = len(keyword) - len(keyword.lstrip("_"))
    body = keyword[lead:]
    parts = body.split("__")
    return "_" * lead + ":".join(p.replace("_", "-") for p in parts)


@dataclass(frozen=True)
class Search:
    """A search on one resource type (or the whole server when ``resource_type`` is ``None``)."""

    resource_type: str | None
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.resource_type is not None and not _TYPE_RE.match(self.resource_type):
            raise ValueError(f"{self.resource_type!r} is not a FHIR resource type name")

    # -- building ---------------------------------------------------------------------------------

    def param(self, name: str, value: Value) -> Search:
        """Add ``name=value`` (repeated names are kept: FHIR reads them as AND)."""
        if not name:
            raise ValueError("a search parameter needs a name")
        return replace(self, params=(*self.params, (name, render_value(value))))

    def where(self, **criteria: Value) -> Search:
        """Add several parameters; keyword names map to FHIR names as the module docstring says."""
        result = self
        for key, value in criteria.items():
            result = result.param(_param_name(key), value)
        return result

    def _set(self, name: str, value: str) -> Search:
        """Replace every ``name`` parameter by one value (for result controls such as ``_count``)."""
        kept = tuple((k, v) for k, v in self.params if k != name)
        return replace(self, params=(*kept, (name, value)))

    def _prefixed(self, param: str, prefix: str, value: str | dt.date | dt.datetime) -> Search:
        return self.param(param, f"{prefix}{_render_scalar(value)}")

    def date_ge(self, value: str | dt.date | dt.datetime, param: str = "date") -> Search:
        return self._prefixed(param, "ge", value)

    def date_gt(self, value: str | dt.date | dt.datetime, param: str = "date") -> Search:
        return self._prefixed(param, "gt", value)

    def date_le(self, value: str | dt.date | dt.datetime, param: str = "date") -> Search:
        return self._prefixed(param, "le", value)

    def date_lt(self, value: str | dt.date | dt.datetime, param: str = "date") -> Search:
        return self._prefixed(param, "lt", value)

    def sort(self, *fields: str) -> Search:
        """``sort("-date", "code")``: descending date, then code."""
        if not fields:
            raise ValueError("sort() needs at least one field")
        return self._set("_sort", ",".join(fields))

    def count(self, n: int) -> Search:
        """Page size the server is asked for (servers may cap it)."""
        if n < 0:
            raise ValueError("_count must not be negative")
        return self._set("_count", str(n))

    def offset(self, n: int) -> Search:
        if n < 0:
            raise ValueError("_offset must not be negative")
        return self._set("_offset", str(n))

    def include(self, *targets: str, iterate: bool = False) -> Search:
        """``include("Slot:schedule")`` adds the referenced resources to each page."""
        name = "_include:iterate" if iterate else "_include"
        result = self
        for target in targets:
            result = result.param(name, target)
        return result

    def revinclude(self, *targets: str, iterate: bool = False) -> Search:
        name = "_revinclude:iterate" if iterate else "_revinclude"
        result = self
        for target in targets:
            result = result.param(name, target)
        return result

    def elements(self, *names: str) -> Search:
        return self._set("_elements", ",".join(names))

    def summary(self, mode: str) -> Search:
        return self._set("_summary", mode)

    def total(self, mode: str) -> Search:
        """``none``, ``estimate`` or ``accurate``: how hard the server should count matches."""
        return self._set("_total", mode)

    # -- reading ----------------------------------------------------------------------------------

    def get(self, name: str) -> list[str]:
        """Every value given for ``name``, in order."""
        return [v for k, v in self.params if k == name]

    @property
    def page_size(self) -> int | None:
        values = self.get("_count")
        return int(values[-1]) if values and values[-1].isdigit() else None

    @property
    def start_offset(self) -> int:
        values = self.get("_offset")
        return int(values[-1]) if values and values[-1].isdigit() else 0

    def to_params(self) -> list[tuple[str, str]]:
        """Query parameters in order, repeated names kept; ready for ``httpx`` to percent-encode."""
        return list(self.params)

    def query_string(self) -> str:
        """The percent-encoded query, e.g. for ``If-None-Exist`` or a log line."""
        return encode_query(self.params)

    def __str__(self) -> str:
        query = self.query_string()
        path = self.resource_type or ""
        return f"{path}?{query}" if query else path

    @classmethod
    def parse(cls, text: str) -> Search:
        """Read ``Type?a=1&b=2`` (or ``?a=1`` / ``a=1`` for a system search) back into a ``Search``."""
        if "?" in text:
            path, _, query = text.partition("?")
        elif "=" in text:
            path, query = "", text
        else:
            path, query = text, ""
        rtype = path.strip("/") or None
        return cls(rtype, tuple(parse_qsl(query, keep_blank_values=True)))

    @classmethod
    def from_mapping(
        cls, resource_type: str | None, params: Mapping[str, Value] | Iterable[tuple[str, Value]]
    ) -> Search:
        """Build from a mapping or from ``(name, value)`` pairs, names taken literally."""
        items = params.items() if isinstance(params, Mapping) else params
        result = cls(resource_type)
        for name, value in items:
            result = result.param(name, value)
        return result
