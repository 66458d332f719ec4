from odoo import fields, models


class HrKpiRatingLine(models.Model):
    """A rater's value for one evaluation line of his role."""

    _name = "hr.kpi.rating.line"
    _description = "KPI Rating Value"
    _order = "rating_id, id"

    rating_id = fields.Many2one("hr.kpi.rating", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rating_id.company_id", store=True)
    evaluation_line_id = fields.Many2one(
        "hr.kpi.evaluation.line", required=True, ondelete="cascade", index=True
    )
    indicator_id = fields.Many2one(related="evaluation_line_id.indicator_id")
    scoring_method = fields.Selection(related="evaluation_line_id.scoring_method")
    target = fields.Float(related="evaluation_line_id.target")
    has_value = fields.Boolean(string="Entered")
    value = fields.Float(digits=(16, 4))

    def write(self, vals):
        self.rating_id._check_rater()
        if "value" in vals and "has_value" not in vals:
            vals = dict(vals, has_value=True)
        return super().write(vals)
