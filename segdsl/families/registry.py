"""The one place that builds the PluginManager and the family registry.

Built-in families are registered by ``segdsl.builtins`` (the ``plugins/``
folder of the source tree); third-party ones come from the ``segdsl``
entry-point group. Both implement the one hook
:func:`segdsl.families.hookspecs.segdsl_families` the same way.

>>> registry().family_for("last interaction time")
'interaction_time'
"""

from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pluggy

from segdsl.families import hookspecs
from segdsl.families.spec import REQUIRED_METHODS, Family, Role, merge_roles

BUILTINS = "segdsl.builtins"
NAME = re.compile(r"[a-z][a-z0-9_]*")
#: hooks that are not a condition family's: a deliverer plugin implements them (segdsl.store)
DELIVERY_HOOKS = ("segdsl_deliver",)


class PluginError(Exception):
    """A plugin could not be loaded: a clash of subjects or roles, a bad name or a missing method."""


@dataclass
class Registry:
    """The registered families: subject -> family name, name -> :class:`Family`, and the merged roles."""

    pm: pluggy.PluginManager | None = None
    families: dict[str, Family] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    #: role name -> merged :class:`Role`, ``customers`` first, then in registration order
    roles: dict[str, Role] = field(default_factory=dict)
    #: the most words in a claimed subject (read once per condition)
    max_words: int = 0

    def family_for(self, subject: str) -> str | None:
        """The name of the family that claims ``subject``, or None."""
        return self.subjects.get(subject)

    def family(self, name: str) -> Family:
        """The family registered as ``name`` (KeyError if none)."""
        return self.families[name]

    def sql_cost(self, condition: Any) -> int:
        """The family's :meth:`Family.cost` of ``condition``."""
        return int(self.families[condition.family].cost(condition))

    def longest_subject(self, words: list[str]) -> str | None:
        """The longest claimed subject that the leading ``words`` spell."""
        for n in range(min(len(words), self.max_words), 0, -1):
            phrase = " ".join(words[:n])
            if phrase in self.subjects:
                return phrase
        return None

    def synonym(self, word: str) -> str | None:
        """The subject a family spells ``word`` (``phone`` -> ``number``), or None."""
        for family in self.families.values():
            subject = family.synonyms.get(word)
            if subject is not None and subject in self.subjects:
                return subject
        return None

    def hints(self, terms: Sequence[Any]) -> list[str]:
        """The families' hints for a condition no family claims (its raw terms)."""
        return [h for f in self.families.values() if (h := f.hint(terms))]

    def describe(self) -> list[dict[str, Any]]:
        """One entry per family: name, origin, subjects and roles (for `segdsl plugins`)."""
        out = []
        for name in sorted(self.families):
            family = self.families[name]
            subjects = sorted(s for s, f in self.subjects.items() if f == name)
            roles = sorted({r.name for r in family.roles})
            out.append({"name": name, "origin": self.origins.get(name, "?"), "subjects": subjects, "roles": roles})
        return out


def _origin(pm: pluggy.PluginManager, plugin: object) -> str:
    for plug, dist in pm.list_plugin_distinfo():
        if plug is plugin:
            return f"{dist.project_name} {dist.version}"
    return "built-in"


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Ask every plugin for its families, check them, and index them.

    Refused with :class:`PluginError`: a name that is not ``[a-z][a-z0-9_]*``
    or registered twice, an object that is not a :class:`Family`, a family
    without subjects or without one of the required methods, a subject two
    families claim, a role two families declare differently.
    """
    reg = Registry(pm)
    declared: list[tuple[str, Role]] = []
    for impl in pm.hook.segdsl_families.get_hookimpls():  # registration order
        origin = _origin(pm, impl.plugin)

        def register(name: str, family: Family, origin: str = origin, plugin: str = impl.plugin_name) -> None:
            if not isinstance(name, str) or not NAME.fullmatch(name):
                raise PluginError(f"plugin `{plugin}` registers a family named {name!r}; use [a-z][a-z0-9_]*")
            if name in reg.families:
                raise PluginError(
                    f"plugins `{reg.origins[name]}` and `{origin}` both register a family `{name}`; uninstall one"
                )
            if not isinstance(family, Family):
                raise PluginError(f"plugin `{plugin}` registers `{name}` as {type(family).__name__}, not a Family")
            missing = [m for m in REQUIRED_METHODS if getattr(type(family), m) is getattr(Family, m)]
            if missing:
                raise PluginError(
                    f"family `{name}` ({origin}) has no `{missing[0]}` method; a condition family needs all of: "
                    + ", ".join(REQUIRED_METHODS)
                )
            if not family.subjects:
                raise PluginError(f"family `{name}` ({origin}) claims no subjects")
            family = copy.copy(family)
            family.name = name
            for subject in family.subjects:
                subject = " ".join(subject.lower().split())
                if subject in reg.subjects:
                    other = reg.subjects[subject]
                    raise PluginError(
                        f"families `{other}` and `{name}` both claim the subject `{subject}`; uninstall one of them"
                    )
                reg.subjects[subject] = name
            reg.families[name] = family
            reg.origins[name] = origin
            declared.extend((name, role) for role in family.roles)

        impl.function(register=register)
    try:
        reg.roles = merge_roles(declared)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    reg.max_words = max((len(s.split()) for s in reg.subjects), default=0)
    return reg


def make_manager(load_entrypoints: bool = True) -> pluggy.PluginManager:
    """A PluginManager with the built-ins and (optionally) the installed plugins."""
    pm = pluggy.PluginManager("segdsl")
    pm.add_hookspecs(hookspecs)
    pm.register(importlib.import_module(BUILTINS), name="builtins")
    if load_entrypoints:
        try:
            pm.load_setuptools_entrypoints("segdsl")
        except Exception as exc:  # a broken third-party package must say so, not crash
            raise PluginError(f"a plugin in the `segdsl` entry-point group failed to load: {exc}") from exc
    return pm


def deliverer_hook(plugin: object, name: str) -> Any:
    """The ``segdsl_deliver`` hook of one deliverer plugin, on a manager of its own.

    A broadcast goes through the one deliverer chosen for it, never every installed one.
    Raises PluginError when ``plugin`` implements no ``segdsl_deliver``.
    """
    pm = pluggy.PluginManager("segdsl")
    pm.add_hookspecs(hookspecs)
    try:
        pm.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise PluginError(f"deliverer `{name}` cannot be registered: {exc}") from exc
    if not pm.hook.segdsl_deliver.get_hookimpls():
        raise PluginError(f"`{name}` is not a deliverer: it implements no `segdsl_deliver` hook")
    return pm.hook.segdsl_deliver


def installed_plugin(name: str) -> object | None:
    """The plugin registered as ``name`` from the ``segdsl`` entry-point group, if any."""
    pm = registry().pm
    return pm.get_plugin(name) if pm is not None else None


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The process-wide registry (built once)."""
    return build_registry(make_manager())
