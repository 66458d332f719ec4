"""Every value sent to a field of the addons is checked before the ORM converts it.

``hr.kpi.protected.mixin`` calls :func:`check_values` in create and write for the
fields that the addons declare or add to other models (contract, company, employee,
payslip). Unless the model's policy gives the field its own bounds
(``KpiPolicy.bounds``):

* money (Monetary) lies in [0, 1e9]; other numbers in [-1e9, 1e9];
* numbers are numbers: a string, a NaN or an infinity is refused;
* a selection value is one of the field's choices;
* a date or datetime is a real one, between 2000-01-01 and 2099-12-31;
* a link is an id (or a command list for the x2many fields), never a string.

Each refusal is a translated ValidationError naming the field, so no ValueError,
OverflowError or database error ("integer out of range") reaches the user.
"""

import datetime
import math

from odoo import fields
from odoo.exceptions import ValidationError

ADDONS = frozenset({"hr_kpi_service", "hr_kpi_service_reports"})
MONEY_BOUNDS = (0.0, 1e9)
NUMBER_BOUNDS = (-1e9, 1e9)
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2099, 12, 31)
NUMERIC = ("integer", "float", "monetary")
# A value shown in a message is cut to this many characters.
SHOWN = 40


def own_field(model, field, related=False):
    """Whether `field` is a stored field declared by the addons (on their models, or
    added by them to another module's model; `related`: related fields too); fields
    of other modules that the addons only redefine keep their own module's rules."""
    modules = set(field._modules or ())
    if not modules & ADDONS or not field.store or (field.related and not related):
        return False
    return model._original_module in ADDONS or modules <= ADDONS


def checked_fields(model, related=False):
    """{name: field} of `model` whose values are checked (cached per model class)."""
    cls = type(model)
    key = "_kpi_fields_with_related" if related else "_kpi_fields_checked"
    cached = cls.__dict__.get(key)
    if cached is None:
        cached = {
            name: field
            for name, field in model._fields.items()
            if not field.automatic and own_field(model, field, related)
        }
        setattr(cls, key, cached)
    return cached


def _shown(value):
    text = str(value)
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _fmt(value):
    return f"{value:.6f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _label(model, field):
    return field._description_string(model.env)


def _check_number(model, field, value, bounds):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(
            model.env._(
                "%(field)s must be a number (got %(value)s).",
                value=_shown(value),
                field=_label(model, field),
            )
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(
            model.env._(
                "%(field)s must be a finite number (got %(value)s).",
                value=value,
                field=_label(model, field),
            )
        )
    minimum, maximum = bounds
    if minimum is not None and value < minimum:
        raise ValidationError(
            model.env._(
                "%(field)s cannot be below %(limit)s (got %(value)s).",
                limit=_fmt(minimum),
                value=_shown(_fmt(value)),
                field=_label(model, field),
            )
        )
    if maximum is not None and value > maximum:
        raise ValidationError(
            model.env._(
                "%(field)s cannot be above %(limit)s (got %(value)s).",
                limit=_fmt(maximum),
                value=_shown(_fmt(value)),
                field=_label(model, field),
            )
        )


def _check_date(model, field, value):
    try:
        if field.type == "date":
            day = fields.Date.to_date(value)
        else:
            day = fields.Datetime.to_datetime(value)
            day = day and day.date()
    except (ValueError, TypeError):
        day = None
    if not day:
        raise ValidationError(
            model.env._(
                "%(field)s must be a real date (got %(value)s).",
                value=_shown(value),
                field=_label(model, field),
            )
        )
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationError(
            model.env._(
                "%(field)s must lie between %(first)s and %(last)s (got %(value)s).",
                first=DATE_MIN.isoformat(),
                last=DATE_MAX.isoformat(),
                value=_shown(value),
                field=_label(model, field),
            )
        )


def check_values(model, vals, bounds):
    """Refuse the first value of `vals` that its field cannot take (see module)."""
    own = checked_fields(model)
    for name, value in vals.items():
        field = own.get(name)
        if field is None or value is False or value is None:
            continue
        if field.type in NUMERIC:
            default = MONEY_BOUNDS if field.type == "monetary" else NUMBER_BOUNDS
            _check_number(model, field, value, bounds.get(name, default))
        elif field.type == "selection":
            if not isinstance(value, str) or value not in field.get_values(model.env):
                raise ValidationError(
                    model.env._(
                        "%(field)s: %(value)s is not one of its choices.",
                        value=_shown(value),
                        field=_label(model, field),
                    )
                )
        elif field.type in ("date", "datetime"):
            _check_date(model, field, value)
        elif field.type == "many2one":
            if isinstance(value, (str, float, bool)):
                raise ValidationError(
                    model.env._(
                        "%(field)s must be a record (got %(value)s).",
                        value=_shown(value),
                        field=_label(model, field),
                    )
                )
        elif field.type in ("one2many", "many2many"):
            if not isinstance(value, (list, tuple)) or any(
                not isinstance(command, (list, tuple, int)) for command in value
            ):
                raise ValidationError(
                    model.env._(
                        "%(field)s must be a list of records (got %(value)s).",
                        value=_shown(value),
                        field=_label(model, field),
                    )
                )
