import re

from odoo import api, fields, models

from .hr_kpi_number_checks import PERCENT, check_numbers
from .kpi_policy import KpiPolicy

ROLE_FIELDS = {
    "self": "weight_self",
    "superior": "weight_superior",
    "peer": "weight_peer",
    "subordinate": "weight_subordinate",
    "group": "weight_group",
}

# " (%)" / "（%）" of the weight labels, left out of the display name.
PERCENT_SUFFIX = re.compile(r"\s*[(（]%[)）]\s*$")

# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "weight_self": PERCENT,
    "weight_superior": PERCENT,
    "weight_peer": PERCENT,
    "weight_subordinate": PERCENT,
    "weight_group": PERCENT,
}




class HrKpiRaterConfigRow(models.Model):
    """One case of a rater configuration: the weight of each rater group, in %."""

    _name = "hr.kpi.rater.config.row"
    _description = "KPI Rater Weights Case"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "config_id, sequence, id"

    config_id = fields.Many2one(
        "hr.kpi.rater.config", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    weight_self = fields.Float(string="Self (%)", digits=(16, 2), aggregator=None)
    weight_superior = fields.Float(string="Superior (%)", digits=(16, 2), aggregator=None)
    weight_peer = fields.Float(string="Peers (%)", digits=(16, 2), aggregator=None)
    weight_subordinate = fields.Float(string="Subordinates (%)", digits=(16, 2), aggregator=None)
    weight_group = fields.Float(string="Review Group (%)", digits=(16, 2), aggregator=None)
    total = fields.Float(compute="_compute_total", digits=(16, 2), aggregator=None)

    @api.depends("config_id.name", *ROLE_FIELDS.values())
    def _compute_display_name(self):
        for row in self:
            weights = " / ".join(
                f"{PERCENT_SUFFIX.sub('', row._fields[name]._description_string(self.env))} "
                f"{row[name]:g}%"
                for name in ROLE_FIELDS.values()
                if row[name]
            )
            row.display_name = f"{row.config_id.name or ''} · {weights}"

    @api.depends(
        "weight_self", "weight_superior", "weight_peer", "weight_subordinate", "weight_group"
    )
    def _compute_total(self):
        for row in self:
            row.total = sum(row._as_dict().values())

    def _as_dict(self):
        self.ensure_one()
        return {role: self[field] for role, field in ROLE_FIELDS.items() if self[field]}

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
