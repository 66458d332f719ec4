"""18.0.1.4.0 (issue 21, late standby days): once, from 18.0.1.3.0.

Since 18.0.1.4.0 a payslip records which standby-training decisions its KPI_STANDBY
line deducts (``hr.kpi.standby.deduction``, unique per decision), so that a decision
taken after its month's payslip is deducted once, on the next payslip. A payslip of
18.0.1.3.0 deducted only its own month's decided days, without that record: the
employee's next payslip would deduct those days a second time.

The KPI_STANDBY lines of those payslips get the decisions they deducted (the employee's
decided bottom-rank standby days of the payslip's month). The lines of done payslips
are frozen to every user, so the link is written here in SQL; the deductions are then
recorded by the payslips' own sync, oldest payslip first.
"""

from odoo import SUPERUSER_ID, api
from odoo.addons.hr_kpi_service.models.kpi_policy import kpi_action_scope

LINK_DEDUCTED_DECISIONS = """
    INSERT INTO hr_payslip_input_kpi_standby_rel (input_id, consequence_id)
    SELECT line.id, decision.id
      FROM hr_payslip_input line
      JOIN hr_payslip slip ON slip.id = line.payslip_id
      JOIN hr_kpi_consequence decision
        ON decision.employee_id = slip.employee_id
       AND decision.rule = 'bottom_rank'
       AND decision.state = 'done'
       AND decision.standby_days > 0
      JOIN hr_kpi_period period ON period.id = decision.standby_period_id
     WHERE line.code = 'KPI_STANDBY'
       AND line.amount != 0
       AND slip.state = 'done'
       AND period.date_from = date_trunc('month', slip.date_to)::date
       AND NOT EXISTS (
           SELECT 1 FROM hr_payslip_input_kpi_standby_rel rel WHERE rel.input_id = line.id)
    ON CONFLICT DO NOTHING
    RETURNING input_id
"""


def migrate(cr, version):
    cr.execute(LINK_DEDUCTED_DECISIONS)
    line_ids = [row[0] for row in cr.fetchall()]
    if not line_ids:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    slips = env["hr.payslip"].search([("input_line_ids", "in", line_ids)], order="date_from, id")
    with kpi_action_scope(slips, "hr.kpi.standby.deduction"):
        for slip in slips:
            slip._kpi_sync_paid_once_code("KPI_STANDBY")
