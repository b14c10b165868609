"""The one place that builds the PluginManager and the family registry.

Built-in families are registered from ``segdsl.builtins`` (the ``plugins/``
folder of the source tree); third-party ones come from the ``segdsl``
entry-point group. Both implement :mod:`segdsl.families.hookspecs` the same way.

>>> registry().family_for("last interaction time")
'interaction'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pluggy

from segdsl.families import hookspecs

DEFAULT_PLUGINS = ("channel", "tag", "personal", "field", "interaction")

# Every family must implement all of these; a plugin missing one is rejected.
REQUIRED_HOOKS = (
    "segdsl_parse_condition",
    "segdsl_format_condition",
    "segdsl_sql_condition",
    "segdsl_python_condition",
)
# A family may implement these; segdsl has a default.
OPTIONAL_HOOKS = ("segdsl_sql_cost",)
#: hooks that are not a condition family's: a deliverer plugin implements them (segdsl.store)
DELIVERY_HOOKS = ("segdsl_deliver",)
#: the rank of a condition whose family has no segdsl_sql_cost hook
DEFAULT_SQL_COST = 50


class PluginError(Exception):
    """A plugin could not be loaded: a clash of subjects or a missing hook."""


@dataclass
class Registry:
    """Subjects -> family, and family -> the implementation of each hook."""

    pm: pluggy.PluginManager
    subjects: dict[str, str] = field(default_factory=dict)
    hooks: dict[str, dict[str, Callable[..., Any]]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    #: the most words in a claimed subject (set by build_registry, read once per condition)
    max_words: int = 0

    def family_for(self, subject: str) -> str | None:
        return self.subjects.get(subject)

    def impl(self, hook: str, family: str) -> Callable[..., Any]:
        return self.hooks[hook][family]

    def sql_cost(self, condition: Any) -> int:
        """The family's ``segdsl_sql_cost`` of ``condition``, or DEFAULT_SQL_COST."""
        cost = self.hooks["segdsl_sql_cost"].get(condition.family)
        return DEFAULT_SQL_COST if cost is None else int(cost(condition=condition))

    def longest_subject(self, words: list[str]) -> str | None:
        """The longest claimed subject that the leading ``words`` spell."""
        for n in range(min(len(words), self.max_words), 0, -1):
            phrase = " ".join(words[:n])
            if phrase in self.subjects:
                return phrase
        return None

    def describe(self) -> list[dict[str, Any]]:
        """One entry per family: name, origin and subjects (for `segdsl plugins`)."""
        out = []
        for family in sorted(set(self.subjects.values())):
            subjects = sorted(s for s, f in self.subjects.items() if f == family)
            out.append({"name": family, "origin": self.origins.get(family, "?"), "subjects": subjects})
        return out


def _origin(pm: pluggy.PluginManager, plugin: object) -> str:
    for plug, dist in pm.list_plugin_distinfo():
        if plug is plugin:
            return f"{dist.project_name} {dist.version}"
    return "built-in"


def build_registry(pm: pluggy.PluginManager) -> Registry:
    """Check every plugin and index its hook implementations by family name.

    A family is named after the plugin that provides it (the entry-point
    name for third-party plugins).
    """
    reg = Registry(pm)
    impls = {
        hook: {impl.plugin_name: impl.function for impl in getattr(pm.hook, hook).get_hookimpls()}
        for hook in ("segdsl_subjects", *REQUIRED_HOOKS, *OPTIONAL_HOOKS)
    }
    reg.hooks.update({hook: {} for hook in OPTIONAL_HOOKS})
    for family, claims in sorted(impls["segdsl_subjects"].items()):
        reg.origins[family] = _origin(pm, pm.get_plugin(family))
        for subject in claims():
            subject = " ".join(subject.lower().split())
            if subject in reg.subjects:
                other = reg.subjects[subject]
                raise PluginError(
                    f"plugins `{other}` and `{family}` both claim the subject `{subject}`; uninstall one of them"
                )
            reg.subjects[subject] = family
        for hook in REQUIRED_HOOKS:
            if family not in impls[hook]:
                raise PluginError(
                    f"plugin `{family}` ({reg.origins[family]}) claims subjects but has no `{hook}` hook; "
                    "a condition family needs all of: " + ", ".join(REQUIRED_HOOKS)
                )
            reg.hooks.setdefault(hook, {})[family] = impls[hook][family]
        for hook in OPTIONAL_HOOKS:
            if family in impls[hook]:
                reg.hooks[hook][family] = impls[hook][family]
    reg.max_words = max((len(s.split()) for s in reg.subjects), default=0)
    return reg


def make_manager(load_entrypoints: bool = True) -> pluggy.PluginManager:
    """A PluginManager with the built-ins and (optionally) installed plugins."""
    pm = pluggy.PluginManager("segdsl")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(f"segdsl.builtins.{name}"), name=name)
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
    return registry().pm.get_plugin(name)


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The process-wide registry (built once)."""
    return build_registry(make_manager())
