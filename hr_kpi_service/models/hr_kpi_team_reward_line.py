from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

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

    @api.constrains("employee_id", "reward_id")
    def _check_member_of_team(self):
        """A member belongs to the reward's team: its manager, or an employee of its
        department or a sub-department (RELIABILITY #43: a manager's reward pays his
        own team only)."""
        for line in self.sudo():
            team = line.reward_id.department_id
            department = line.employee_id.department_id
            if not team or line.employee_id == team.manager_id:
                continue  # a reward without its (required) team is refused on its own
            if not (department and department.parent_path.startswith(team.parent_path)):
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(employee)s does not belong to %(team)s, the team of "
                        "%(reward)s.",
                        field=self._fields["employee_id"]._description_string(self.env),
                        employee=line.employee_id.name,
                        team=team.display_name,
                        reward=line.reward_id.name,
                    )
                )

    def _check_draft(self):
        """Members change only while their reward is a draft. The rewards' rows are
        locked in share mode first, so a change and a concurrent request never
        interleave (RELIABILITY #39): the later one waits, then fails to serialize
        and is retried on the state the other left."""
        if self.env.su:
            return
        rewards = self.reward_id
        if rewards.ids:
            self.env.cr.execute(
                "SELECT id FROM hr_kpi_team_reward WHERE id IN %s ORDER BY id FOR SHARE",
                [tuple(rewards.ids)],
                log_exceptions=False,
            )
        if any(line.reward_id.state != "draft" for line in self):
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
