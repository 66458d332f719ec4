from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_kpi_number_checks import MONEY, check_numbers
from .kpi_policy import KpiPolicy

COEFFICIENT = (0.0, 100.0)


class HrKpiTeamRewardLine(models.Model):
    """A member of a team reward: his coefficient or the manager's allocation, and
    the share the request fixed."""

    _name = "hr.kpi.team.reward.line"
    _description = "KPI Team Reward Share"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "reward_id, id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(protected=("amount",))

    reward_id = fields.Many2one("hr.kpi.team.reward", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="reward_id.company_id", store=True)
    currency_id = fields.Many2one(related="reward_id.currency_id")
    state = fields.Selection(related="reward_id.state")
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    coefficient = fields.Float(default=1.0, digits=(16, 2))
    allocation = fields.Monetary(help="The manager's allocation, when the reward is split so.")
    amount = fields.Monetary(string="Share", readonly=True, copy=False)

    _sql_constraints = [
        ("employee_uniq", "unique(reward_id, employee_id)", "A member is listed once."),
    ]

    @api.depends("reward_id.name", "employee_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.reward_id.name or ''} · {line.employee_id.name or ''}"

    @api.constrains("coefficient", "allocation")
    def _check_figures(self):
        check_numbers(self, {"coefficient": COEFFICIENT, "allocation": MONEY})

    def _check_draft(self):
        if not self.env.su and any(line.reward_id.state != "draft" for line in self):
            raise UserError(self.env._("A requested team reward is locked."))

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_draft()
        return lines

    def write(self, vals):
        if set(vals) - {"amount"}:
            self._check_draft()
        return super().write(vals)

    def unlink(self):
        self._check_draft()
        return super().unlink()
