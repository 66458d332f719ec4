"""18.0.1.1.0 (issue 14 and the shared configuration): once, from 18.0.1.0.0.

* The service advisor commission and team reward rules join the shipped
  "Customer service" structure of a database installed before them (the rules are
  new records of the ``noupdate`` payroll data; the structure, being ``noupdate``
  too, does not take them by itself).
* Incident types and survey cards got a company; the shipped ones (the data files'
  records) are shared by every company: the column added by this version gave
  them the default company, taken back here.
"""

from odoo import SUPERUSER_ID, api

SHARED_MODELS = ("hr.kpi.incident.type", "hr.kpi.survey.card")
NEW_RULES = ("salary_rule_kpi_commission", "salary_rule_kpi_team")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    structure = env.ref("hr_kpi_service.payroll_structure_customer_service", False)
    rules = [env.ref(f"hr_kpi_service.{name}", False) for name in NEW_RULES]
    if structure:
        structure.write({"rule_ids": [(4, rule.id) for rule in rules if rule]})
    for model in SHARED_MODELS:
        cr.execute(
            f"""
            UPDATE {env[model]._table} SET company_id = NULL
             WHERE company_id IS NOT NULL AND id IN (
                   SELECT res_id FROM ir_model_data
                    WHERE module = 'hr_kpi_service' AND model = %s)
            """,
            [model],
        )
