"""18.0.1.3.0 (issue 21, the seed pay rules): once, from 18.0.1.2.0.

The back-pay (KPI_BACK) and standby-training (KPI_STANDBY) rules join the shipped
"Customer service" structure of a database installed before them (the rules are new
records of the ``noupdate`` payroll data; the structure, being ``noupdate`` too, does
not take them by itself).
"""

from odoo import SUPERUSER_ID, api

NEW_RULES = ("salary_rule_kpi_back", "salary_rule_kpi_standby")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    structure = env.ref("hr_kpi_service.payroll_structure_customer_service", False)
    rules = [env.ref(f"hr_kpi_service.{name}", False) for name in NEW_RULES]
    if structure:
        structure.write({"rule_ids": [(4, rule.id) for rule in rules if rule]})
