"""Month labels as the reader's language writes them: 2026年7月 in Chinese, July 2026
in English (babel's "yMMMM" skeleton), where Odoo's read_group writes "MMMM yyyy"
(七月 2026)."""

import babel.dates

from odoo import fields
from odoo.tools.misc import get_lang


def month_label(env, day):
    """The month of `day` (a date) in the environment's language."""
    return babel.dates.format_skeleton("yMMMM", day, locale=get_lang(env).code)


def relabel_months(model, rows, groupby):
    """Give read_group rows grouped by a date field's month the reader's month label.

    The rows keep their order (by date) and their range; only the label changes."""
    for group in groupby:
        fname, _sep, granularity = group.partition(":")
        field = model._fields.get(fname)
        if not field or field.type != "date" or (granularity or "month") != "month":
            continue
        for row in rows:
            bounds = (row.get("__range") or {}).get(group)
            if bounds:
                row[group] = month_label(model.env, fields.Date.to_date(bounds["from"]))
