import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.plausibility import is_plausible, plausible_range
from .kpi_policy import KpiPolicy, kpi_action_scope
from .survey_legend import answer_legend


class HrKpiRatingLine(models.Model):
    """A rater's value for one evaluation line of his role.

    Only ``value`` is typed, by the rater himself while the evaluation is rated;
    which rating and which evaluation line it belongs to never changes. 0 is a value:
    "not entered" is ``has_value`` False (the form shows an empty cell; clearing the
    cell, i.e. writing ``value: False``, makes the value not entered again). A value
    outside the indicator's plausible range is kept only once the rater ticks
    ``value_confirmed`` (engine/plausibility.py; the form warns as it is typed).
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
    # What the rater needs to type a sensible value.
    unit = fields.Char(related="evaluation_line_id.indicator_id.unit")
    direction = fields.Selection(related="evaluation_line_id.indicator_id.direction")
    value_help = fields.Char(string="How to Rate", compute="_compute_value_help")
    plausible_range = fields.Char(compute="_compute_plausible")
    out_of_range = fields.Boolean(string="Outside the Range", compute="_compute_plausible")
    value_confirmed = fields.Boolean(
        string="Confirmed",
        help="The value lies outside the plausible range and the rater confirmed it is "
        "right. Changing the value asks again.",
    )

    @api.depends("rating_id", "evaluation_line_id.indicator_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(rating)s · %(indicator)s",
                rating=line.rating_id.display_name or "",
                indicator=line.evaluation_line_id.indicator_id.name or "",
            )

    def write(self, vals):
        if "value" in vals and "value_confirmed" not in vals:
            vals = dict(vals, value_confirmed=False)
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
                    return super().write(dict(vals, has_value=vals["value"] is not False))
        elif "value" in vals and "has_value" not in vals:
            vals = dict(vals, has_value=vals["value"] is not False)
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

    # ------------------------------------------------------------------
    # What to type
    # ------------------------------------------------------------------
    def _engine_bounds(self):
        """(minimum, maximum) plausible for this line (its own target: a personal
        target plan's when there is one)."""
        self.ensure_one()
        indicator = self.indicator_id
        if not indicator:
            return (None, None)
        params = dict(indicator._engine_params(), target=self.target)
        return plausible_range(indicator.scoring_method, params)

    @api.depends(
        "indicator_id.scoring_method",
        "indicator_id.likert_scale",
        "indicator_id.manual_min",
        "indicator_id.manual_max",
        "indicator_id.direction",
        "indicator_id.unit",
        "target",
    )
    def _compute_value_help(self):
        for line in self:
            indicator = line.indicator_id
            method = indicator.scoring_method
            if method == "likert":
                legend = answer_legend(self.env, indicator.likert_scale)
                text = self.env._("Survey score: %(legend)s", legend=legend)
            elif method == "manual":
                text = self.env._(
                    "Rating from %(minimum)s to %(maximum)s",
                    minimum=_number(indicator.manual_min),
                    maximum=_number(indicator.manual_max),
                )
            elif method == "veto":
                text = self.env._("1 = achieved, 0 = not achieved")
            elif method in ("ratio", "banded"):
                directions = dict(indicator._fields["direction"]._description_selection(self.env))
                text = self.env._(
                    "%(direction)s; target %(target)s %(unit)s",
                    direction=directions.get(indicator.direction, ""),
                    target=_number(line.target),
                    unit=indicator.unit or "",
                ).strip()
            else:
                text = self.env._("A count: each one costs points")
            line.value_help = text

    @api.depends(
        "indicator_id.scoring_method",
        "indicator_id.likert_scale",
        "indicator_id.manual_min",
        "indicator_id.manual_max",
        "indicator_id.direction",
        "indicator_id.unit",
        "target",
        "value",
        "has_value",
    )
    def _compute_plausible(self):
        for line in self:
            low, high = line._engine_bounds()
            unit = line.indicator_id.unit or ""
            if low is None and high is None:
                line.plausible_range = ""
            elif high is None:
                line.plausible_range = self.env._(
                    "from %(minimum)s %(unit)s", minimum=_number(low), unit=unit
                ).strip()
            else:
                line.plausible_range = self.env._(
                    "%(minimum)s to %(maximum)s %(unit)s",
                    minimum=_number(low),
                    maximum=_number(high),
                    unit=unit,
                ).strip()
            line.out_of_range = line.has_value and not is_plausible(line.value, (low, high))

    @api.onchange("value")
    def _onchange_value(self):
        """The typed value counts as entered (0 too), asks again for a confirmation,
        and warns when it lies outside the plausible range."""
        self.has_value = True
        self.value_confirmed = False
        if is_plausible(self.value, self._engine_bounds()):
            return None
        return {
            "warning": {
                "title": self.env._("Please check this value"),
                "message": self.env._(
                    "%(problem)s If it is right, tick Confirmed before you submit.",
                    problem=self._out_of_range_text(),
                ),
            }
        }

    def _out_of_range_text(self):
        return self.env._(
            "%(indicator)s: %(value)s lies outside the plausible range (%(range)s).",
            indicator=self.indicator_id.name,
            value=_number(self.value),
            range=self.plausible_range,
        )

    def _check_plausible(self):
        """Refuse entered values outside their plausible range that the rater has
        not confirmed, naming each."""
        doubtful = self.filtered(lambda line: line.out_of_range and not line.value_confirmed)
        if doubtful:
            raise ValidationError(
                self.env._(
                    "These values lie outside their plausible range; correct them or tick "
                    "Confirmed: %(lines)s",
                    lines=" ".join(line._out_of_range_text() for line in doubtful),
                )
            )


def _number(value):
    """1,050 / 95.5: thousands separated, no trailing zeros."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"
