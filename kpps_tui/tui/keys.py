"""Key bindings whose descriptions follow the language chosen at start-up.

Bindings are declared at class-definition time, before `set_language()` has run, so their
descriptions are only marked with `N_()` there. Every screen, widget and the app mix in
`TranslatedBindings`, which copies the bindings of each new instance with the descriptions
translated; the Footer, the help screen and the command palette then show the active language.
Every binding has an id (``kpps.<place>.<action>``) so `App.set_keymap` can remap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from kpps_tui.i18n import _

ID_PREFIX = "kpps."


def bind(
    key: str,
    action: str,
    description: str,
    *,
    id: str,
    show: bool = True,
    key_display: str | None = None,
    priority: bool = False,
) -> Binding:
    """A Binding with an id under ``kpps.``; `description` is an English N_() source string."""
    return Binding(
        key,
        action,
        description,
        show=show,
        key_display=key_display,
        priority=priority,
        id=ID_PREFIX + id,
    )


def translate_bindings(node: DOMNode) -> None:
    """Give `node` its own copy of its bindings, with descriptions in the active language."""
    # Textual copies the class bindings into each instance's `_bindings`; the Footer, the
    # keymap and the binding chain all read that map, so translating it here is enough.
    node._bindings = BindingsMap.from_keys(
        {
            key: [
                replace(binding, description=_(binding.description)) if binding.description else binding
                for binding in bindings
            ]
            for key, bindings in node._bindings.key_to_bindings.items()
        }
    )


class TranslatedBindings:
    """Mixin for Textual nodes: translate the instance's binding descriptions on creation."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]  # a mixin: self is the DOMNode it is mixed into


def is_ours(binding: Binding) -> bool:
    return bool(binding.id and binding.id.startswith(ID_PREFIX))


@dataclass
class ScreenAction:
    """One thing the user can do on a screen, with every key that does it."""

    node: DOMNode  # where the first of its bindings is defined
    binding: Binding
    keys: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)  # several when keys differ in argument

    @property
    def description(self) -> str:
        return self.binding.description

    @property
    def key_text(self) -> str:
        return " ".join(self.keys)


def screen_actions(screen) -> list[ScreenAction]:
    """Our bindings that act on `screen`: the focused widget's, the screen's, then the app's.

    Unlike `Screen.active_bindings` this keeps letter keys that a focused Input would swallow,
    so the help screen and the command palette list every action of the screen. The app's
    keymap is applied, so remapped keys show as the user set them. Bindings with the same
    description are one entry with several keys ("Enter a  Assign", "1 2 3 ... Choose that seat").
    """
    app = screen.app
    nodes: list[DOMNode] = []
    focused = screen.focused
    if focused is not None:
        nodes.extend(n for n in focused.ancestors_with_self if n is not screen and n is not app)
    nodes.extend([screen, app])
    found: dict[str, ScreenAction] = {}
    taken_keys: set[str] = set()
    for node in nodes:
        bindings = node._bindings.copy()
        if app._keymap:
            bindings.apply_keymap(app._keymap)
        for key, binding in bindings:
            if not is_ours(binding) or key in taken_keys:
                continue
            entry = found.setdefault(binding.description, ScreenAction(node, binding))
            display = app.get_key_display(binding)
            if display not in entry.keys:
                entry.keys.append(display)
            if binding.action not in entry.actions:
                entry.actions.append(binding.action)
        taken_keys.update(key for key, _b in bindings)
    return list(found.values())
