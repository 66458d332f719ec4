"""Helpers shared by the report models of the KPI sheets (no model here)."""


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
