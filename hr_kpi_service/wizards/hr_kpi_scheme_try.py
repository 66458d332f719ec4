from odoo import api, fields, models

from ..engine import KpiEngineError, total_score
from ..models.kpi_policy import KpiPolicy


class HrKpiSchemeTry(models.TransientModel):
    """Type sample actual values and see each indicator's points and the total."""

    _name = "hr.kpi.scheme.try"
    _inherit = ["hr.kpi.protected.mixin"]
    # A wizard: its values are checked like any record's; its buttons are the actions.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "Try a KPI Scheme"

    scheme_id = fields.Many2one("hr.kpi.scheme", required=True, ondelete="cascade")
    line_ids = fields.One2many("hr.kpi.scheme.try.line", "wizard_id", string="Sample Values")
    total = fields.Float(compute="_compute_total", digits=(16, 2))
    vetoed = fields.Boolean(compute="_compute_total")
    message = fields.Char(compute="_compute_total")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kpi_check_values(vals)
            if "line_ids" not in vals and vals.get("scheme_id"):
                scheme = self.env["hr.kpi.scheme"].browse(vals["scheme_id"])
                vals["line_ids"] = [
                    fields.Command.create({"indicator_id": indicator.id})
                    for indicator in scheme.indicator_ids
                ]
        return super().create(vals_list)

    @api.depends("line_ids.points", "line_ids.max_points", "line_ids.error")
    def _compute_total(self):
        for wizard in self:
            scored = wizard.line_ids.filtered(lambda line: line.has_actual and not line.error)
            missing = wizard.line_ids - scored
            wizard.message = (
                self.env._(
                    "%(count)s indicator(s) without a usable value count as missing.",
                    count=len(missing),
                )
                if missing
                else False
            )
            try:
                result = total_score(
                    [(line.indicator_id.weight, line._engine_score()) for line in scored]
                )
            except KpiEngineError as err:
                wizard.total = 0.0
                wizard.vetoed = False
                wizard.message = self.env._(err.message, **err.params)
                continue
            wizard.total = result["total"]
            wizard.vetoed = result["vetoed"]
