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
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEFAULT_CHANNELS = ("whatsapp", "messenger", "instagram", "telegram", "webchat", "sms")
CONFIG_NAME = "segdsl.toml"


class SettingsError(Exception):
    """A settings file that cannot be used; the message names the problem."""


@dataclass(frozen=True)
class CustomersTable:
    table: str = "customers"
    db_schema: str | None = None
    id: str = "id"
    name: str = "name"
    email: str = "email"
    phone: str = "phone"
    gender: str = "gender"
    created_at: str = "created_at"


@dataclass(frozen=True)
class ChannelsTable:
    table: str = "customer_channels"
    db_schema: str | None = None
    customer_id: str = "customer_id"
    channel: str = "channel"


@dataclass(frozen=True)
class TagsTable:
    table: str = "customer_tags"
    db_schema: str | None = None
    customer_id: str = "customer_id"
    tag: str = "tag"


@dataclass(frozen=True)
class FieldsTable:
    table: str = "customer_fields"
    db_schema: str | None = None
    customer_id: str = "customer_id"
    key: str = "field_key"
    value: str = "field_value"


@dataclass(frozen=True)
class InteractionsTable:
    table: str = "interactions"
    db_schema: str | None = None
    id: str = "id"
    customer_id: str = "customer_id"
    channel: str = "channel"
    occurred_at: str = "occurred_at"
    talked_with_agent: str = "talked_with_agent"
    completed_product_flow: str = "completed_product_flow"
    completed_collection_flow: str = "completed_collection_flow"
    completed_bot_flow: str = "completed_bot_flow"
    bot_flow: str = "bot_flow"


@dataclass(frozen=True)
class CartsTable:
    table: str = "carts"
    db_schema: str | None = None
    id: str = "id"
    customer_id: str = "customer_id"
    channel: str = "channel"
    item_count: str = "item_count"
    paid: str = "paid"
    updated_at: str = "updated_at"


@dataclass(frozen=True)
class Schema:
    """Where each role lives: one table mapping per role."""

    customers: CustomersTable = field(default_factory=CustomersTable)
    channels: ChannelsTable = field(default_factory=ChannelsTable)
    tags: TagsTable = field(default_factory=TagsTable)
    fields: FieldsTable = field(default_factory=FieldsTable)
    interactions: InteractionsTable = field(default_factory=InteractionsTable)
    carts: CartsTable = field(default_factory=CartsTable)


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
    def from_dict(cls, data: dict[str, Any], origin: str = "<dict>") -> Settings:
        unknown = set(data) - {"channels", "schema"}
        if unknown:
            raise SettingsError(f"{origin}: unknown setting {sorted(unknown)[0]!r}; known: channels, schema")
        channels = data.get("channels", DEFAULT_CHANNELS)
        if not isinstance(channels, (list, tuple)) or not channels or not all(
            isinstance(c, str) and c.strip() for c in channels
        ):
            raise SettingsError(f"{origin}: `channels` must be a non-empty list of names")
        schema = Schema()
        mappings = data.get("schema") or {}
        if not isinstance(mappings, dict):
            raise SettingsError(f"{origin}: `schema` must be a table of [schema.ROLE] tables")
        for role, mapping in mappings.items():
            if role not in {f.name for f in fields(Schema)}:
                known = ", ".join(f.name for f in fields(Schema))
                raise SettingsError(f"{origin}: unknown schema role [schema.{role}]; roles are {known}")
            current = getattr(schema, role)
            allowed = {f.name for f in fields(current)}
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
            schema = replace(schema, **{role: replace(current, **mapping)})
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


_DEFAULT = Settings()


def default_settings() -> Settings:
    return _DEFAULT
