"""The error of a formula that cannot be accepted: a reason (a `Message`) and a column.

Its message is data (`optilab.messages`): ``formula.at_column`` with the
column counted from 1 and the reason, a ``formula.*`` message of its own, so
the UI translates both by code.
"""

from __future__ import annotations

from optilab import messages
from optilab.messages import Message, OptilabError

__all__ = ["AT_COLUMN", "FormulaError"]

AT_COLUMN = messages.declare("formula.at_column", "col {col}: {reason}")


class FormulaError(OptilabError):
    """A formula that cannot be accepted (an `OptilabError`, so a ValueError).

    Attributes:
        reason_message: what is wrong, as a `Message` (``formula.*``).
        reason: the same in English words.
        position: 0-based column (character index) in the text, or None.

    ``str(error)`` is ``"col N: reason"`` with N = position + 1 (columns are
    counted from 1 for people, like editors do), or just the reason; its
    ``message`` is ``formula.at_column(col=N, reason=...)`` or the reason.
    """

    def __init__(self, reason: Message | str, position: int | None = None) -> None:
        if not isinstance(reason, Message):
            reason = messages.TEXT(text=str(reason))
        self.reason_message = reason
        self.position = position
        super().__init__(reason if position is None else AT_COLUMN(col=position + 1, reason=reason))

    @property
    def reason(self) -> str:
        """What is wrong, in English words."""
        return str(self.reason_message)
