"""The translation layer: every user-visible string goes through `tr`, `bind` or `tr_message`.

`tr(text)` looks ``text`` (the English original, the gettext msgid) up in the catalog of the
current language.  A widget text that must follow a live language switch is set with `bind`
instead of ``setText(tr(...))``::

    bind(label, "setText", "step {k} / {n}", k=3, n=30)

`bind` calls the setter at once and again after every `set_language`.  The registry holds weak
references, so a deleted widget simply drops out (a Python wrapper whose C++ object is gone raises
RuntimeError: dropped too).  Widgets that compose their texts themselves (combo boxes, the numbers
panel, captions) register a callback with `on_language_changed`.

Catalogs are gettext files, ``optilab/locale/<lang>/LC_MESSAGES/optilab.mo`` compiled from the
``.po`` a translator edits (``tools/catalogs.py`` extracts, updates, compiles and checks them);
they are read with the standard library's `gettext`.  A language is offered when its folder has a
catalog: adding a language is adding its ``.po`` (and its ``.mo``), no code.  Its name in the
Language menu is its catalog's translation of ``English`` in the context ``language.name``.

Core messages are `optilab.messages.Message` values: `tr_message` looks their template up by
their code (msgctxt = code, msgid = English template) and fills it, nested messages alike —
never by matching English.  Plain text (a system or library reason such as ``strerror``) is
looked up whole among the catalog's ``external`` entries.
"""

from __future__ import annotations

import gettext
import struct
import warnings
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from optilab import messages
from optilab.messages import Message

DOMAIN = "optilab"
#: The catalogs' folder (package data: ``optilab/locale``).
LOCALE = resources.files("optilab") / "locale"
#: msgctxt of a language's own name (its translation of "English").
NAME_CONTEXT = "language.name"
#: msgctxt of the system's and libraries' English that reaches a message as its ``reason``.
EXTERNAL = "external"


def _load(code: str) -> gettext.NullTranslations:
    mo = LOCALE / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo.open("rb") as f:
        return gettext.GNUTranslations(f)


def _languages() -> dict[str, gettext.NullTranslations]:
    """English and every language whose compiled catalog reads (a damaged one: left out, one warning)."""
    found: dict[str, gettext.NullTranslations] = {"en": gettext.NullTranslations()}
    if LOCALE.is_dir():
        for folder in sorted(LOCALE.iterdir(), key=lambda p: p.name):
            if (folder / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file():
                try:
                    found[folder.name] = _load(folder.name)
                except (OSError, ValueError, struct.error) as exc:  # UnicodeDecodeError is a ValueError
                    warnings.warn(f"{folder / 'LC_MESSAGES' / (DOMAIN + '.mo')}: not a readable catalog ({exc}); "
                                  f"language {folder.name!r} left out: run 'python tools/catalogs.py compile'",
                                  RuntimeWarning, stacklevel=2)
    return found


#: Language code → its catalog (English: none), in menu order (English, then by code).
_CATALOGS: dict[str, gettext.NullTranslations] = _languages()
#: The language codes offered, in menu order.
LANGUAGES: tuple[str, ...] = tuple(_CATALOGS)

_state = {"language": "en"}
_current: list[gettext.NullTranslations] = [_CATALOGS["en"]]


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
    return _current[0].gettext(text)


def _entries(context: str | None = None) -> dict[str, str]:
    """msgid → translation of the current catalog's entries in ``context`` (None: without one)."""
    catalog = getattr(_current[0], "_catalog", {})
    out = {}
    for key, value in catalog.items():
        if not isinstance(key, str) or not key:
            continue
        ctx, sep, msgid = key.rpartition("\x04")
        if (ctx if sep else None) == context:
            out[msgid] = value
    return out


def _translate_template(code: str, template: str) -> str:
    """The current language's template for message ``code`` (English ``template`` when none)."""
    return _current[0].pgettext(code, template)


def tr_message(text: Message | str) -> str:
    """A message of the core in the current language.

    A `Message` is translated by its code (``pgettext(code, template)``, then
    `messages.render`, nested messages alike) — never by matching its English.  Plain text
    (a ``TEXT`` message: an exception without a declared message; a system or library reason
    such as ``strerror``) is looked up whole: as a UI text, then among the ``external`` texts;
    else it stays as it is.
    """
    if isinstance(text, Message):
        if text.code == messages.TEXT.code:  # an exception without a declared message
            return tr_message(str(text.params["text"]))
        if any(isinstance(value, str) for value in text.params.values()):
            text = Message(text.code, {key: _plain_param(key, value) for key, value in text.params.items()})
        return messages.render(text, _translate_template if language() != "en" else None)
    if language() == "en":
        return text
    translated = _current[0].gettext(text)
    if translated != text:
        return translated
    return _current[0].pgettext(EXTERNAL, text)


def _plain_param(key: str, value: Any) -> Any:
    """A message's plain-text parameter in the current language: a ``reason`` (the English of the
    system or a library: ``strerror``, `json`'s message) as an ``external`` text; any other text
    only when it is a whole catalog entry (numbers, paths and the rest as given)."""
    if not isinstance(value, str):
        return value
    if key == "reason":
        return tr_message(value)
    return tr(value)


def untranslate(text: str) -> str:
    """The English original of ``text`` if it is a UI text's translation in the current catalog, else ``text``."""
    for source, translated in _entries().items():
        if translated == text:
            return source
    return text


def catalog(code: str) -> dict[str, str]:
    """English → translation of the UI texts (no context) of language ``code`` (for tests and tools)."""
    saved = _current[0]
    _current[0] = _CATALOGS[code]
    try:
        return _entries()
    finally:
        _current[0] = saved


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
    """The current language code (one of `LANGUAGES`)."""
    return _state["language"]


def set_language(code: str) -> None:
    """Switch the language and refresh every bound text and registered widget.

    ValueError for a code not in `LANGUAGES`.
    """
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; choose one of: {', '.join(LANGUAGES)}")
    _state["language"] = code
    _current[0] = _CATALOGS[code]
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
    """The name of a language in that language (for the menu): its catalog's ``language.name``."""
    return _CATALOGS[code].pgettext(NAME_CONTEXT, "English")


def binding_count() -> int:
    """How many bound texts are registered (diagnostics and tests)."""
    return len(_bindings)
