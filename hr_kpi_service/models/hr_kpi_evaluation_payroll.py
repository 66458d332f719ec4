from odoo import models
from odoo.exceptions import UserError

from .hr_payslip import PAYABLE_STATES


class HrKpiEvaluation(models.Model):
    """An evaluation already paid stays payable (RELIABILITY #24).

    Leaving the payable states (reopening) is refused while a done payslip pays
    the evaluation: correct it through a refund of that payslip. When the payslip
    that holds it is still open, its allocation drops the evaluation, and the
    payslip cannot be confirmed before its KPI lines are added again (stale
    confirm, RELIABILITY #31).
    """

    _inherit = "hr.kpi.evaluation"

    def write(self, vals):
        leaving = vals.get("state") and vals["state"] not in PAYABLE_STATES
        allocations = self.env["hr.kpi.payslip.allocation"]
        if leaving:
            allocations = allocations.sudo().search([("evaluation_id", "in", self.ids)])
            paid = allocations.filtered(lambda a: a.payslip_id.state == "done")
            if paid:
                raise UserError(
                    self.env._(
                        "%(evaluations)s: already paid by payslip %(payslips)s. A paid "
                        "evaluation is not reopened; refund the payslip first.",
                        evaluations=", ".join(paid.evaluation_id.mapped("display_name")),
                        payslips=", ".join(paid.payslip_id.mapped(lambda s: s._kpi_label())),
                    )
                )
        res = super().write(vals)
        allocations.payslip_id._kpi_sync_allocations()
        return res
