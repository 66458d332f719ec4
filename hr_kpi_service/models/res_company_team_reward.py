from odoo import api, fields, models

from ..engine import TEAM_REWARD_PCT
from .hr_kpi_number_checks import PERCENT, check_numbers


class ResCompany(models.Model):
    """The share of a quarter's repair revenue that rewards a team (seed 000 目标责任书
    5.1: 季度计提维修收入0.3%作为团队奖励): configured per company, never chosen by
    the manager who requests the reward."""

    _inherit = "res.company"

    kpi_team_reward_pct = fields.Float(
        string="Team Reward Share (%)",
        default=TEAM_REWARD_PCT,
        digits=(16, 4),
        help="Share of the quarter's repair revenue set aside as the team reward when the "
        "team reaches its stretch target (seed 000: 0.3 %). A reward takes the share in "
        "force when its manager requests it and keeps it.",
    )

    kpi_team_revenue_code = fields.Char(
        string="Team Revenue Indicator Code",
        default="REVENUE",
        help="Code of the repair revenue indicator (维修收入) whose stretch target (力争) in "
        "the approved target plan of a team's manager for the quarter decides the team "
        "reward.",
    )

    @api.constrains("kpi_team_reward_pct")
    def _check_kpi_team_reward_pct(self):
        check_numbers(self, {"kpi_team_reward_pct": PERCENT})
