from odoo import fields, models

from .kpi_policy import KpiPolicy

DECISIONS = [("approve", "Approved"), ("return", "Returned")]


class HrKpiResultsSheetSignature(models.Model):
    """One decision on a results sheet: who, when, at which level, and why when
    returned. Written by the sheet's actions only; the printed sheet shows them."""

    _name = "hr.kpi.results.sheet.signature"
    _description = "KPI Results Sheet Signature"
    _order = "sheet_id, id"
    _rec_name = "level_name"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=(
            "sheet_id",
            "level_id",
            "level_name",
            "level_index",
            "round",
            "user_id",
            "decision",
            "reason",
            "date",
        ),
        # a signature is history from the moment it exists
        locked_when="_kpi_all_locked",
        unlink="action",
    )

    sheet_id = fields.Many2one(
        "hr.kpi.results.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="sheet_id.company_id", store=True, index=True)
    level_id = fields.Many2one("hr.kpi.signoff.level", string="Chain Level", ondelete="set null")
    level_name = fields.Char(string="Level", readonly=True)
    level_index = fields.Integer(readonly=True)
    round = fields.Integer(readonly=True, help="Submission of the sheet this decision is of.")
    user_id = fields.Many2one("res.users", string="Signed By", readonly=True)
    decision = fields.Selection(DECISIONS, readonly=True)
    reason = fields.Text(readonly=True)
    date = fields.Datetime(readonly=True)

    def _kpi_all_locked(self):
        return self
