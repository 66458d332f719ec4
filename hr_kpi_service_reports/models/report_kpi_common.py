"""Helpers shared by the report models of the KPI sheets (no model here)."""

from odoo.addons.hr_kpi_service.models.kpi_local_time import local_time


def report_lang(employee):
    """The language a sheet of `employee` prints in: his user's, else his work
    contact's, else the printing user's."""
    env = employee.env
    installed = {code for code, _name in env["res.lang"].get_installed()}
    for lang in (employee.user_id.lang, employee.work_contact_id.lang):
        if lang and lang in installed:
            return lang
    return env.lang or "en_US"


def selection_labels(env, model, field):
    """{value: label} of a selection field, in the language of `env`."""
    return dict(env[model]._fields[field]._description_selection(env))


def value_digits(value, digits):
    """Decimals a printed indicator value shows: the indicator's own (0 for counts:
    1050 calls, not 1,050.00), or 2 when a count is not a whole number."""
    if digits == 0 and value is not None and float(value) != round(float(value)):
        return 2
    return digits


def printed_time(env, value, company, lang):
    """A date and time (naive UTC) as a sheet prints it: in the printing user's
    time zone (else `company`'s calendar's), in `lang`'s date format, to the minute
    ("2026年12月10日 00:00", never 00时00分00秒)."""
    date_format = env["res.lang"]._get_data(code=lang).date_format or "%Y-%m-%d"
    return local_time(env, value, company=company, date_format=date_format, zone=False)
