"""Errors raised by the KPI scoring engine.

The engine is pure Python and cannot call Odoo's translation function, so every
message is written in English with named ``%(name)s`` placeholders and wrapped
in :func:`_lt` where it is raised.  Odoo's extractor collects those literals into
the ``.pot`` file; the ORM layer translates ``error.message`` and fills in
``error.params`` when it turns the error into a ``UserError``.
"""


def _lt(message):
    """Mark a message for translation extraction; return it unchanged.

    Odoo's extractor picks up ``_lt(...)`` calls.

    >>> _lt("The target must not be zero for an achievement ratio.")
    'The target must not be zero for an achievement ratio.'
    """
    return message


class KpiEngineError(ValueError):
    """A scoring input or parameter the engine refuses.

    ``message`` is the untranslated English text (already wrapped in ``_lt`` at
    the raise site) and ``params`` the values of its named placeholders.

    >>> error = KpiEngineError(_lt("The count %(count)s is negative."), count=-1)
    >>> str(error)
    'The count -1 is negative.'
    >>> error.params
    {'count': -1}
    """

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message % params if params else message)
