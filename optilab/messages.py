"""Messages as data: every user-facing core message is a code plus parameters.

A module declares each of its messages once, next to the code that raises it::

    BAD_HPARAM = messages.declare(
        "optim.bad_hparam", "{optimizer}: {key} must be {allowed}, got {value}")
    ...
    raise BAD_HPARAM.error(optimizer="adam", key="lr", allowed=..., value="-1")

The English template is the message's source text (the gettext ``msgid``,
with the code as its ``msgctxt``); translations live in the catalogs the UI
loads, looked up by code — never by matching English text.  `str()` of a
message or of its exception is the English sentence, so the CLI, logs and
tests read as before.

A parameter may itself be a `Message` (e.g. what a value "must be"): it is
rendered in the same language.  Other parameters are formatted as given.

`of(exc)` turns *any* exception into a `Message` (one place for that rule):
an `OptilabError` gives its own, an ``OSError`` names its file and reason,
anything else its text under the code ``"text"``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar, overload

__all__ = [
    "Message",
    "MessageSpec",
    "OptilabError",
    "Translate",
    "declare",
    "of",
    "registry",
    "render",
]

#: A translation lookup: ``(code, english_template) -> template in the current language``.
Translate = Callable[[str, str], str]

_REGISTRY: dict[str, MessageSpec] = {}
_E = TypeVar("_E", bound="OptilabError")


@dataclass(frozen=True)
class MessageSpec:
    """One declared message: its stable ``code`` and English ``template``."""

    code: str
    template: str

    def __call__(self, **params: Any) -> Message:
        """The message with these parameters (every template field must be given)."""
        missing = _fields(self.template) - set(params)
        if missing:
            raise TypeError(f"message {self.code!r} lacks parameter(s) {', '.join(sorted(missing))}")
        return Message(self.code, MappingProxyType(dict(params)))

    @overload
    def error(self, cls: None = None, **params: Any) -> OptilabError: ...
    @overload
    def error(self, cls: type[_E], **params: Any) -> _E: ...

    def error(self, cls: type[OptilabError] | None = None, **params: Any) -> OptilabError:
        """An exception carrying this message (``cls``: an `OptilabError` subclass)."""
        return (cls or OptilabError)(self(**params))


@dataclass(frozen=True)
class Message:
    """A message to show: a declared ``code`` and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def template(self) -> str:
        """The English template of this code."""
        return _REGISTRY[self.code].template

    def render(self, translate: Translate | None = None) -> str:
        """The sentence, in the language of ``translate`` (English without one)."""
        return render(self, translate)

    def __str__(self) -> str:
        return render(self)

    def __reduce__(self) -> tuple[Any, ...]:
        # A MappingProxyType does not pickle; messages cross the training process's pipe.
        # The template travels too: the receiving process may not have imported the declaring module.
        return (_message, (self.code, dict(self.params), self.template))


def _message(code: str, params: dict[str, Any], template: str) -> Message:
    if code not in _REGISTRY:
        declare(code, template)
    return Message(code, MappingProxyType(params))


def _rebuild_error(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class OptilabError(ValueError):
    """An error whose text is a `Message` (a ValueError, so callers' ``except ValueError`` still hold)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its Message and attributes whatever a subclass's __init__ takes.
        return (_rebuild_error, (type(self), self.args, dict(self.__dict__)))

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.message.params


def declare(code: str, template: str) -> MessageSpec:
    """Declare the message ``code`` once; declaring it again with another text is an error."""
    old = _REGISTRY.get(code)
    if old is not None and old.template != template:
        raise ValueError(f"message code {code!r} declared twice with different texts")
    spec = old or MessageSpec(code, template)
    _REGISTRY[code] = spec
    return spec


def registry() -> Mapping[str, MessageSpec]:
    """Every declared message, by code (for catalogs and their completeness checks)."""
    return MappingProxyType(_REGISTRY)


def render(message: Message, translate: Translate | None = None) -> str:
    """Fill the (translated) template with the parameters; nested messages rendered alike."""
    spec = _REGISTRY[message.code]
    template = translate(spec.code, spec.template) if translate else spec.template
    params = {
        key: render(value, translate) if isinstance(value, Message) else value
        for key, value in message.params.items()
    }
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a broken translation: fall back to English
        return spec.template.format(**params)


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


TEXT = declare("text", "{text}")
OS_ERROR = declare("os_error", "{filename}: {reason}")
OS_ERROR_NO_FILE = declare("os_error.no_file", "{reason}")


def of(exc: BaseException) -> Message:
    """The message of any exception: its own, an OS error's file and reason, else its text."""
    own = getattr(exc, "message", None)
    if isinstance(own, Message):
        return own
    if isinstance(exc, OSError) and exc.strerror:
        if exc.filename:
            return OS_ERROR(filename=exc.filename, reason=exc.strerror)
        return OS_ERROR_NO_FILE(reason=exc.strerror)
    return TEXT(text=str(exc) or type(exc).__name__)
