"""Settings: the known channels and the schema mapping, from TOML, no code.

The default mapping is the reference schema (``schema.sql``). An embedder
maps the same roles onto their own tables in ``segdsl.toml``::

    channels = ["whatsapp", "sms", "line"]

    [schema.customers]
    table = "contacts"
    phone = "phone_number"

>>> s = Settings.from_toml_text('[schema.customers]\\ntable = "contacts"\\nphone = "phone_number"')
>>> s.schema.customers.table, s.schema.customers.phone, s.schema.tags.table
('contacts', 'phone_number', 'customer_tags')
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from segdsl.families.spec import Role

DEFAULT_CHANNELS = ("whatsapp", "messenger", "instagram", "telegram", "webchat", "sms")
CONFIG_NAME = "segdsl.toml"


class SettingsError(Exception):
    """A settings file that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class TableMapping:
    """Where one role lives: its table, database schema and column names.

    ``role`` is the declared :class:`~segdsl.families.spec.Role` (types, keys,
    record shape); ``columns`` maps its column roles to the mapped column names.
    Column roles read as attributes too: ``mapping.phone``.
    """

    role: Role
    table: str
    db_schema: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> str:
        columns = self.__dict__.get("columns") or {}
        if name in columns:
            return columns[name]  # type: ignore[no-any-return]
        raise AttributeError(f"role `{self.__dict__.get('role').name}` has no column role `{name}`")  # type: ignore[union-attr]

    def column(self, column_role: str) -> str:
        """The mapped name of ``column_role`` (KeyError with the known ones)."""
        try:
            return self.columns[column_role]
        except KeyError:
            known = ", ".join(self.columns)
            raise KeyError(f"role `{self.role.name}` has no column role `{column_role}` (known: {known})") from None

    @classmethod
    def default(cls, role: Role) -> TableMapping:
        return cls(role, role.table, None, {c: spec.name for c, spec in role.columns.items()})


class Schema(Mapping[str, TableMapping]):
    """The schema mapping: role name -> :class:`TableMapping`, built from the registered families' roles.

    Roles read as attributes too: ``schema.customers.table``.
    """

    __slots__ = ("_tables",)

    def __init__(self, tables: Mapping[str, TableMapping] | None = None) -> None:
        if tables is None:
            from segdsl.families.registry import registry

            tables = {name: TableMapping.default(role) for name, role in registry().roles.items()}
        self._tables = dict(tables)

    @classmethod
    def from_roles(cls, roles: Mapping[str, Role]) -> Schema:
        """The reference mapping of ``roles`` (each role on its declared table and columns)."""
        return cls({name: TableMapping.default(role) for name, role in roles.items()})

    def __getitem__(self, role: str) -> TableMapping:
        try:
            return self._tables[role]
        except KeyError:
            known = ", ".join(self._tables)
            raise KeyError(f"no registered family declares the role `{role}` (roles: {known})") from None

    def __getattr__(self, role: str) -> TableMapping:
        if role.startswith("_"):
            raise AttributeError(role)
        try:
            return self._tables[role]
        except KeyError:
            raise AttributeError(f"no registered family declares the role `{role}`") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self._tables == other._tables

    def __hash__(self) -> int:
        return hash(tuple(self._tables.items()))

    def __repr__(self) -> str:
        return f"Schema({', '.join(f'{k}={v.table!r}' for k, v in self._tables.items())})"

    def mapped(self, role: str, table: str | None = None, db_schema: str | None = None,
               **columns: str) -> Schema:
        """A copy with ``role`` mapped elsewhere (only what is given changes)."""
        have = self[role]
        tables = dict(self._tables)
        tables[role] = TableMapping(
            have.role, table or have.table, db_schema if db_schema is not None else have.db_schema,
            {**have.columns, **columns},
        )
        return Schema(tables)


@dataclass(frozen=True)
class Settings:
    """Everything a rule's meaning depends on besides its text."""

    channels: tuple[str, ...] = DEFAULT_CHANNELS
    schema: Schema = field(default_factory=Schema)
    origin: str = "built-in defaults"

    @classmethod
    def from_toml_text(cls, text: str, origin: str = "<text>") -> Settings:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{origin}: not valid TOML: {exc}") from None
        return cls.from_dict(data, origin)

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: str = "<dict>", schema: Schema | None = None) -> Settings:
        """Settings from a dict (parsed TOML); ``schema`` is the mapping to start from
        (default: the reference mapping of the process registry's roles)."""
        unknown = set(data) - {"channels", "schema"}
        if unknown:
            raise SettingsError(f"{origin}: unknown setting {sorted(unknown)[0]!r}; known: channels, schema")
        channels = data.get("channels", DEFAULT_CHANNELS)
        if not isinstance(channels, (list, tuple)) or not channels or not all(
            isinstance(c, str) and c.strip() for c in channels
        ):
            raise SettingsError(f"{origin}: `channels` must be a non-empty list of names")
        schema = schema if schema is not None else Schema()
        mappings = data.get("schema") or {}
        if not isinstance(mappings, dict):
            raise SettingsError(f"{origin}: `schema` must be a table of [schema.ROLE] tables")
        for role, mapping in mappings.items():
            if role not in schema:
                known = ", ".join(schema)
                raise SettingsError(f"{origin}: unknown schema role [schema.{role}]; roles are {known}")
            allowed = {"table", "db_schema", *schema[role].columns}
            if not isinstance(mapping, dict):
                raise SettingsError(f"{origin}: [schema.{role}] must be a table")
            for key, value in mapping.items():
                if key not in allowed:
                    raise SettingsError(
                        f"{origin}: [schema.{role}] has no column role {key!r}; known: {', '.join(sorted(allowed))}"
                    )
                if not isinstance(value, str) or not value:
                    raise SettingsError(f"{origin}: [schema.{role}].{key} must be a non-empty string")
                if any(ch < " " or ch == "\x7f" for ch in value):  # NUL ends C strings in every driver
                    raise SettingsError(f"{origin}: [schema.{role}].{key} holds a control character ({value!r})")
            schema = schema.mapped(role, **mapping)
        return cls(tuple(c.strip().lower() for c in channels), schema, origin)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Settings:
        """From ``path``, else ``./segdsl.toml`` if present, else the defaults."""
        if path is None:
            candidate = Path.cwd() / CONFIG_NAME
            if not candidate.is_file():
                return cls()
            path = candidate
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")  # TOML is UTF-8; a BOM some editors write is skipped
        except OSError as exc:
            raise SettingsError(f"cannot read settings file {p}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise SettingsError(f"{p}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8") from None
        return cls.from_toml_text(text, str(p))


@lru_cache(maxsize=1)
def default_settings() -> Settings:
    """The built-in defaults over the process registry's roles (built once, on first use)."""
    return Settings()
