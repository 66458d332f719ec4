"""The module's install and uninstall hooks (issue 11, issue 22).

Install: with demo data, the demo story runs once the module's data, demo records
and translations are loaded (``demo/story.py`` says why there).

Uninstall keeps payroll and people intact, logs no error, and leaves a database
the addon installs into again (issue 22):

* Odoo deletes every record an uninstalled module created from its data files.
  The "Customer service" salary structure, its rules, their inputs and the salary
  rule categories are payroll records that contracts and payslips keep using after
  the addon is gone (done payslips reference its rules); the demo's company,
  people, users, contracts, departments and jobs are used by the payslips of the
  demo. Before the module's data is removed, their ``ir.model.data`` entries move
  to the module name ``hr_kpi_service_kept`` (no such module exists), so Odoo
  leaves them as ordinary records; installing the addon again gives the entries
  back to it first (``pre_init_hook``), so the data files find their records
  instead of creating a second structure or a second user ``kpi.service``.
* The records of the addon's own models (schemes, incident types, survey cards,
  ...) go with their tables, which Odoo drops: their entries are removed first,
  so that Odoo does not delete them one by one while evaluations and payslips
  still point to them (each refused delete was an ERROR line in the log).
* The addon made two payroll columns translatable (the structure's name, the rule
  inputs' names). Uninstalling turns them back into plain text and Odoo keeps the
  English (source) value: the hook first makes the value in the language most of
  the database's internal users read (zh_CN in the demo: 客服人员) the source
  value, so a Chinese company keeps its Chinese names.

The KPI rules of the kept structure then read missing inputs as 0 (a rule applies
only when its input holds an amount); amounts typed as "other inputs" with the
same codes still pay.
"""

from odoo.tools.sql import table_exists

from .demo import story as demo_story

MODULE = "hr_kpi_service"
MODULES = (MODULE, "hr_kpi_service_reports")
# The module name the entries of the records that outlive the addon move to.
KEPT_MODULE = "hr_kpi_service_kept"
# The payroll models whose shipped records outlive the addon.
PAYROLL_MODELS = (
    "hr.payroll.structure",
    "hr.salary.rule",
    "hr.rule.input",
    "hr.salary.rule.category",
)
# The models of the demo's company, people and contracts (demo/hr_kpi_service_demo.xml,
# demo/service_advisors.py): payslips keep using them.
PEOPLE_MODELS = (
    "res.company",
    "res.partner",
    "res.users",
    "hr.employee",
    "hr.contract",
    "hr.department",
    "hr.job",
    "resource.calendar",
)
KEPT_MODELS = PAYROLL_MODELS + PEOPLE_MODELS
# (table, column) of the payroll fields this addon makes translatable.
TRANSLATED_PAYROLL_COLUMNS = (("hr_payroll_structure", "name"), ("hr_rule_input", "name"))


def kept_payroll_data(env):
    """The ``ir.model.data`` entries of the shipped payroll records."""
    return (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", MODULE), ("model", "in", PAYROLL_MODELS)])
    )


def uninstall_hook(env):
    """Keep the payroll structure and the people (their Chinese names too), and
    let the addon's own records go with their tables."""
    keep_translated_names(env)
    keep_records(env)
    forget_own_records(env)


def keep_records(env):
    """Move the entries of the payroll and people records to ``KEPT_MODULE``."""
    env.flush_all()
    env.cr.execute(
        """
        DELETE FROM ir_model_data
         WHERE module = %s AND model IN %s
           AND name IN (SELECT name FROM ir_model_data WHERE module = %s)
        """,
        [KEPT_MODULE, KEPT_MODELS, MODULE],
    )
    env.cr.execute(
        "UPDATE ir_model_data SET module = %s WHERE module = %s AND model IN %s",
        [KEPT_MODULE, MODULE, KEPT_MODELS],
    )
    env.invalidate_all()


def own_models(env):
    """The models the addons define (their tables are dropped on uninstall)."""
    env.cr.execute(
        """
        SELECT model.model FROM ir_model model
         WHERE EXISTS (SELECT 1 FROM ir_model_data data
                        WHERE data.model = 'ir.model' AND data.res_id = model.id
                          AND data.module IN %s)
           AND NOT EXISTS (SELECT 1 FROM ir_model_data data
                            WHERE data.model = 'ir.model' AND data.res_id = model.id
                              AND data.module NOT IN %s)
        """,
        [MODULES, MODULES],
    )
    return tuple(model for (model,) in env.cr.fetchall())


def forget_own_records(env):
    """Remove the entries of the records of the addons' own models: their tables are
    dropped with the models, records and all."""
    models = own_models(env)
    if models:
        env.flush_all()
        env.cr.execute(
            "DELETE FROM ir_model_data WHERE module IN %s AND model IN %s", [MODULES, models]
        )
        env.invalidate_all()


def kept_language(env):
    """The language most active internal users read (en_US when there are none)."""
    env.cr.execute(
        """
        SELECT partner.lang FROM res_users users
          JOIN res_partner partner ON partner.id = users.partner_id
         WHERE users.active AND NOT users.share AND partner.lang IS NOT NULL
      GROUP BY partner.lang ORDER BY count(*) DESC, partner.lang LIMIT 1
        """
    )
    row = env.cr.fetchone()
    return row[0] if row else "en_US"


def keep_translated_names(env):
    """Make the names in ``kept_language`` the source (English) values of the
    columns that turn back into plain text once the addon is gone."""
    lang = kept_language(env)
    if lang == "en_US":
        return
    env.flush_all()
    for table, column in TRANSLATED_PAYROLL_COLUMNS:
        env.cr.execute(
            f"""
            UPDATE {table} SET {column} = {column} || jsonb_build_object('en_US', {column}->>%s)
             WHERE jsonb_typeof({column}) = 'object' AND COALESCE({column}->>%s, '') != ''
            """,
            [lang, lang],
        )
    env.invalidate_all()


def pre_init_hook(env):
    """Give the entries of the records kept by an earlier uninstall back to the
    module (those whose record still exists), so the data files update them."""
    cr = env.cr
    cr.execute("SELECT id, model, res_id FROM ir_model_data WHERE module = %s", [KEPT_MODULE])
    gone = []
    for data_id, model, res_id in cr.fetchall():
        table = env[model]._table if model in env else None
        if not table or not table_exists(cr, table):
            gone.append(data_id)
            continue
        cr.execute(f"SELECT 1 FROM {table} WHERE id = %s", [res_id])
        if not cr.fetchone():
            gone.append(data_id)
    if gone:
        cr.execute("DELETE FROM ir_model_data WHERE id IN %s", [tuple(gone)])
    cr.execute(
        """
        UPDATE ir_model_data SET module = %s
         WHERE module = %s
           AND name NOT IN (SELECT name FROM ir_model_data WHERE module = %s)
        """,
        [MODULE, KEPT_MODULE, MODULE],
    )
    # The demo data files run again over the kept records as on the first install,
    # where a department gets its head last (an employee written into a department
    # that has a head gets him as manager: the head would become his own manager).
    cr.execute(
        """
        UPDATE hr_department SET manager_id = NULL
         WHERE id IN (SELECT res_id FROM ir_model_data
                       WHERE module = %s AND model = 'hr.department')
        """,
        [MODULE],
    )


def post_init_hook(env):
    """Run the demo story when the module was installed with demo data."""
    if env["ir.module.module"]._get(MODULE).demo:
        demo_story.run(env)
