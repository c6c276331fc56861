"""The translation layer: every user-visible string goes through `tr` or `bind`.

`tr(text)` looks ``text`` (the English original) up in the catalog of the
current language.  A widget text that must follow a live language switch is
set with `bind` instead of ``setText(tr(...))``::

    bind(label, "setText", "step {k} / {n}", k=3, n=30)

`bind` calls the setter at once and again after every `set_language`.  The
registry holds weak references, so a deleted widget simply drops out (a
Python wrapper whose C++ object is gone raises RuntimeError: dropped too).
Widgets that compose their texts themselves (combo boxes, the numbers
panel, captions) register a callback with `on_language_changed`.

Catalogs live in `optilab.ui.translations` as plain dicts English → text.

Messages composed by the core (a formula error, a bad hyperparameter, the
data source) are English f-strings.  `tr_message` translates them through
catalog *templates*: an entry such as ``"unknown name '{name}'; {help}"``
matches the core's text, and its fields are put into the translated
template (each field itself translated when the catalog knows it).
"""

from __future__ import annotations

import re
import string
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from optilab import messages
from optilab.messages import Message
from optilab.ui.translations import CATALOGS, LANGUAGE_NAMES

#: The language codes offered, in menu order.
LANGUAGES: tuple[str, ...] = tuple(LANGUAGE_NAMES)

_state = {"language": "en"}
_CATALOG: dict[str, str] = {}
#: (regex, translated template) for the catalog's templates; built on first use per language.
_patterns: list[tuple[re.Pattern[str], str]] = []


@dataclass
class _Binding:
    ref: Callable[[], Any]
    setter: str
    text: str
    args: tuple
    kwargs: dict

    def apply(self) -> bool:
        """Set the text again; False when the object is gone."""
        obj = self.ref()
        if obj is None:
            return False
        try:
            getattr(obj, self.setter)(_format(self.text, self.args, self.kwargs))
        except RuntimeError:  # the C++ object was deleted
            return False
        return True


_bindings: list[_Binding] = []
_callbacks: list[tuple[Callable[[], Any], Callable[..., Any] | None]] = []


def _format(text: str, args: tuple, kwargs: dict) -> str:
    translated = tr(text)
    return translated.format(*args, **kwargs) if (args or kwargs) else translated


def _weak(obj: Any) -> Callable[[], Any]:
    try:
        return weakref.ref(obj)
    except TypeError:  # not weak-referenceable: keep it (rare: plain builtins)
        return lambda: obj


def tr(text: str) -> str:
    """The translation of ``text`` in the current language (English: itself)."""
    return _CATALOG.get(text, text)


def _translate_template(code: str, template: str) -> str:
    """The current language's template for message ``code`` (English ``template`` when none)."""
    return _CATALOG.get(template, template)


def tr_message(text: "Message | str") -> str:
    """A message of the core (a `Message`, or for messages not yet declared, English text) in the
    current language.

    A `Message` is translated by its code (nested messages alike), never by its English wording.
    For plain text (a fallback while the core still has undeclared messages): the exact catalog
    entry when there is one; else the first catalog
    template ("… '{name}' …", plain ``{field}`` placeholders only) whose
    English form matches the whole text, filled with the matched fields
    (translated in turn); else the text unchanged.
    """
    if isinstance(text, Message):
        if text.code == messages.TEXT.code:  # an exception without a declared message
            return tr_message(str(text.params["text"]))
        if "reason" in text.params and text.code in (messages.OS_ERROR.code, messages.OS_ERROR_NO_FILE.code):
            text = Message(text.code, {**text.params, "reason": tr(str(text.params["reason"]))})
        return messages.render(text, _translate_template if _CATALOG else None)
    if not _CATALOG:
        return text
    if text in _CATALOG:
        return _CATALOG[text]
    if not _patterns:
        _patterns.extend(_compile_templates(_CATALOG))
    for pattern, translated in _patterns:
        match = pattern.fullmatch(text)
        if match:
            fields = {key: tr_message(value) for key, value in match.groupdict().items()}
            return translated.format(**fields)
    return text


def _compile_templates(catalog: dict[str, str]) -> list[tuple[re.Pattern[str], str]]:
    """Regexes for the catalog's keys with ``{name}`` fields (no format specs), longest first."""
    out = []
    for key, translated in catalog.items():
        parts = list(string.Formatter().parse(key))
        fields = [(name, spec, conv) for _, name, spec, conv in parts if name is not None]
        if not fields or any(spec or conv or not name.isidentifier() for name, spec, conv in fields):
            continue
        seen: set[str] = set()
        regex = ""
        for literal, name, _, _ in parts:
            regex += re.escape(literal)
            if name:
                # A field used twice ("write {name}(...)") must match the same text.
                regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                seen.add(name)
        out.append((len(key), re.compile(regex, re.DOTALL), translated))
    out.sort(key=lambda item: -item[0])
    return [(pattern, translated) for _, pattern, translated in out]


def untranslate(text: str) -> str:
    """The English original of ``text`` if it is a translation in the current catalog, else ``text``."""
    for source, translated in _CATALOG.items():
        if translated == text:
            return source
    return text


def bind(obj: Any, setter: str, text: str, *args: Any, **kwargs: Any) -> None:
    """Call ``obj.<setter>(tr(text).format(*args, **kwargs))`` now and after every language switch.

    A later `bind` of the same object and setter replaces the earlier one, so a
    label can be re-bound with new arguments (e.g. a changing step number).
    """
    for b in list(_bindings):
        if b.setter == setter and b.ref() is obj:
            _bindings.remove(b)
    binding = _Binding(_weak(obj), setter, text, args, kwargs)
    if binding.apply():
        _bindings.append(binding)


def unbind(obj: Any, setter: str | None = None) -> None:
    """Forget the bindings of ``obj`` (only ``setter``'s when given)."""
    _bindings[:] = [b for b in _bindings if not (b.ref() is obj and (setter is None or b.setter == setter))]


def on_language_changed(callback: Callable[[], Any]) -> None:
    """Call ``callback()`` after every language switch.

    A bound method is held weakly (its object may be deleted at any time);
    a plain function is held as long as the program runs.
    """
    if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
        ref = weakref.WeakMethod(callback)
        _callbacks.append((ref, None))
    else:
        _callbacks.append((lambda: callback, None))


def language() -> str:
    """The current language code ("en" or "ko")."""
    return _state["language"]


def set_language(code: str) -> None:
    """Switch the language and refresh every bound text and registered widget.

    ValueError for a code not in `LANGUAGES`.
    """
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of: {', '.join(LANGUAGES)}")
    _state["language"] = code
    _CATALOG.clear()
    _CATALOG.update(CATALOGS.get(code, {}))
    _patterns.clear()
    _bindings[:] = [b for b in _bindings if b.apply()]
    alive = []
    for ref, _ in _callbacks:
        fn = ref()
        if fn is None:
            continue
        try:
            fn()
        except RuntimeError:  # a widget of a deleted window
            continue
        alive.append((ref, None))
    _callbacks[:] = alive


def system_language() -> str:
    """The language of the system locale if we have it, else English."""
    from PySide6.QtCore import QLocale

    code = QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else "en"


def language_name(code: str) -> str:
    """The name of a language in that language (for the menu)."""
    return LANGUAGE_NAMES[code]


def binding_count() -> int:
    """How many bound texts are registered (diagnostics and tests)."""
    return len(_bindings)
