import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kpi_policy import KpiPolicy, kpi_action_scope


class HrKpiRatingLine(models.Model):
    """A rater's value for one evaluation line of his role.

    Only ``value`` is typed, by the rater himself while the evaluation is rated;
    which rating and which evaluation line it belongs to never changes.
    """

    _name = "hr.kpi.rating.line"
    _description = "KPI Rating Value"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "rating_id, id"
    _kpi_policy = KpiPolicy(
        protected=("rating_id", "evaluation_line_id", "has_value", "company_id"), unlink="action"
    )

    rating_id = fields.Many2one("hr.kpi.rating", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="rating_id.company_id", store=True)
    evaluation_line_id = fields.Many2one(
        "hr.kpi.evaluation.line", required=True, ondelete="cascade", index=True
    )
    indicator_id = fields.Many2one(related="evaluation_line_id.indicator_id")
    scoring_method = fields.Selection(related="evaluation_line_id.scoring_method")
    target = fields.Float(related="evaluation_line_id.target")
    value_digits = fields.Integer(related="evaluation_line_id.value_digits")
    has_value = fields.Boolean(string="Entered", readonly=True)
    value = fields.Float(digits=(16, 4), aggregator="avg")

    @api.depends("rating_id", "evaluation_line_id.indicator_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(rating)s · %(indicator)s",
                rating=line.rating_id.display_name or "",
                indicator=line.evaluation_line_id.indicator_id.name or "",
            )

    def write(self, vals):
        value = vals.get("value")
        if value not in (None, False) and (
            not isinstance(value, (int, float)) or not math.isfinite(value)
        ):
            raise ValidationError(
                self.env._(
                    "%(field)s must be a finite number (got %(value)s).",
                    field=self._fields["value"]._description_string(self.env),
                    value=value,
                )
            )
        if self._kpi_protection_applies():
            self._kpi_refuse_protected(vals)
            # his rating FOR UPDATE, its evaluation FOR KEY SHARE, state re-checked
            self.rating_id._lock_for_rater_once()
            if "value" in vals:
                with kpi_action_scope(self):
                    return super().write(dict(vals, has_value=True))
        elif "value" in vals and "has_value" not in vals:
            vals = dict(vals, has_value=True)
        return super().write(vals)

    def _kpi_unlink_message(self):
        return self.env._(
            "A rating's values follow its evaluation lines; they are not deleted one by one."
        )

    @api.constrains("value", "has_value")
    def _check_value(self):
        """The value must be one the indicator's scoring method accepts (a Likert
        answer of its scale, a rating within its minimum and maximum...)."""
        for line in self.filtered("has_value"):
            indicator = line.indicator_id
            indicator._score(line.value)
