"""A pay amount with the formula that produced it (shared by the pay plan and the
commission rules; pure Python, no Odoo)."""

from dataclasses import dataclass


def fmt(value):
    """A number as the seeds write it: 1200, 85, 1020.5 (no useless decimals).

    >>> fmt(1020.0), fmt(1020.5), fmt(-0.0), fmt(1.005)
    ('1020', '1020.5', '0', '1')
    """
    text = format(round(value or 0.0, 2), ".2f").rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class PayLine:
    """One code's amount, its formula (``expression``, without the result) and
    notes: ``((English _lt template, params), ...)``; ``keys``: what the amount pays,
    for the caller to record (the months paid back)."""

    amount: float = 0.0
    expression: str = ""
    notes: tuple = ()
    keys: tuple = ()

    @property
    def explanation(self):
        """The formula with its result, e.g. ``"1200 × 85 % = 1020"``."""
        if self.expression:
            return f"{self.expression} = {fmt(self.amount)}"
        return fmt(self.amount)

    def __iter__(self):
        """``amount, explanation = line``."""
        return iter((self.amount, self.explanation))


def note(template, **params):
    """One note of a :class:`PayLine`: its English template and parameters."""
    return ((template, params),)
