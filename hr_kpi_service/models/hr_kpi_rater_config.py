from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import KpiEngineError, check_rater_rows, rater_weights


class HrKpiRaterConfig(models.Model):
    """Weights of the rater groups and what happens when a group is missing.

    The first row is the normal case; later rows are explicit fallbacks used when
    exactly their rater groups are present (seed 004: 40/30/30, then 60/40, then
    100). Without a matching row the first row is rescaled over the groups present.
    """

    _name = "hr.kpi.rater.config"
    _description = "KPI Rater Weights"
    _order = "sequence, id"
    _inherit = ["hr.kpi.shared.config.mixin"]

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    row_ids = fields.One2many("hr.kpi.rater.config.row", "config_id", string="Cases", copy=True)
    note = fields.Text(translate=True)

    def _engine_rows(self):
        self.ensure_one()
        return [row._as_dict() for row in self.row_ids]

    @api.constrains("row_ids")
    def _check_rows(self):
        for config in self:
            try:
                check_rater_rows(config._engine_rows())
            except KpiEngineError as err:
                raise ValidationError(
                    self.env._(
                        "Rater weights %(name)s: %(reason)s",
                        name=config.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err

    def _weights(self, present_roles):
        self.ensure_one()
        return rater_weights(self._engine_rows(), present_roles)

    def _roles(self):
        self.ensure_one()
        return set(self._engine_rows()[0]) if self.row_ids else set()
