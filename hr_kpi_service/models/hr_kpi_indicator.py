from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import (
    AVERAGE,
    CUMULATIVE,
    HIGHER,
    LOWER,
    MONTHLY,
    QUARTERLY,
    SUM,
    Band,
    KpiEngineError,
    check_bands,
    score_indicator,
)
from .hr_kpi_number_checks import PERCENT, SIGNED_VALUE, check_numbers
from .kpi_policy import KpiPolicy

ATTAINMENT_BASES = [
    (MONTHLY, "Monthly"),
    (QUARTERLY, "Quarter to date"),
    (CUMULATIVE, "Year to date"),
]
ATTAINMENT_AGGREGATES = [(SUM, "Sum of the months"), (AVERAGE, "Average of the months")]
# The scoring methods that compare the actual value with a target.
ATTAINMENT_METHODS = ("ratio", "banded")
SCORING_METHODS = [
    ("ratio", "Achievement ratio"),
    ("banded", "Banded points (5/4/3/2)"),
    ("likert", "Survey (Likert scale)"),
    ("deduction", "Deduction per incident"),
    ("escalating", "Escalating deduction"),
    ("threshold", "Threshold bands"),
    ("linear", "Linear per unit"),
    ("penalty", "Capped penalty from the total"),
    ("manual", "Manual rating"),
    ("veto", "Veto (pass / fail)"),
]
DIRECTIONS = [
    (HIGHER, "Higher is better"),
    (LOWER, "Lower is better"),
]
LIKERT_SCALES = [
    ("5", "A–E = 5/4/3/2/1"),
    ("10", "10/8/6/4/2 (brand awareness)"),
    ("20", "20/16/12/8/4 (satisfaction)"),
]
RATER_ROLES = [
    ("self", "Self"),
    ("superior", "Superior"),
    ("peer", "Peers"),
    ("subordinate", "Subordinates"),
    ("group", "Review group"),
    ("hr", "HR"),
]
SOURCE_TYPES = [
    ("manual", "Typed by the rater"),
    ("import", "Imported"),
    ("incident_count", "Count of confirmed incidents"),
    ("incident_points", "Sum of confirmed incident points"),
    ("survey_average", "Survey card average"),
    ("activity_hours", "Activity hours"),
    ("activity_count", "Activity count"),
    ("sla_compliance", "Service-level compliance (%)"),
    ("ratio", "Ratio of two incident counts (%)"),
]
# Sources computed from the period's records by "Compute Scores".
COMPUTED_SOURCES = (
    "incident_count",
    "incident_points",
    "survey_average",
    "activity_hours",
    "activity_count",
    "sla_compliance",
    "ratio",
)
# Sources that average or divide records: without records there is no value.
AVERAGE_SOURCES = ("survey_average", "sla_compliance", "ratio")
# Decimals an actual value shows at least: 2 for percentages, survey scores and
# averages, none for counts, hours and points (the value widget shows more when a
# value has them, up to 4).
DECIMAL_METHODS = ("likert",)
# Sources that can read the records of the employee's team instead of his own.
TEAM_SOURCES = ("incident_count", "incident_points")
# Methods whose full marks are set by the "Full points" field.
FULL_POINT_METHODS = ("deduction", "escalating", "threshold", "linear")
# Methods that subtract from the month total instead of carrying a weight.
FROM_TOTAL_METHODS = ("penalty",)


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "weight": PERCENT,
    "target": SIGNED_VALUE,
    "stretch": SIGNED_VALUE,
    "source_empty_value": SIGNED_VALUE,
    "cap": SIGNED_VALUE,
    "floor_pct": SIGNED_VALUE,
    "band_points_stretch": SIGNED_VALUE,
    "band_points_target": SIGNED_VALUE,
    "band_points_floor": SIGNED_VALUE,
    "band_points_below": SIGNED_VALUE,
    "full_points": SIGNED_VALUE,
    "deduction_cost": SIGNED_VALUE,
    "deduction_cost_major": SIGNED_VALUE,
    "escalation_first": SIGNED_VALUE,
    "escalation_second": SIGNED_VALUE,
    "escalation_third": SIGNED_VALUE,
    "linear_limit": SIGNED_VALUE,
    "linear_step": SIGNED_VALUE,
    "linear_points": SIGNED_VALUE,
    "linear_zero_beyond": SIGNED_VALUE,
    "penalty_per_unit": SIGNED_VALUE,
    "penalty_cap": SIGNED_VALUE,
    "manual_min": SIGNED_VALUE,
    "manual_max": SIGNED_VALUE,
}




class HrKpiIndicator(models.Model):
    """An indicator (考核指标) with its weight, target and scoring method."""

    _name = "hr.kpi.indicator"
    _description = "KPI Indicator"
    _inherit = ["hr.kpi.protected.mixin"]
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS)
    _order = "scheme_id, sequence, id"
    _check_company_auto = True

    scheme_id = fields.Many2one("hr.kpi.scheme", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)
    perspective_id = fields.Many2one(
        "hr.kpi.perspective",
        ondelete="restrict",
        domain="[('scheme_id', '=', scheme_id)]",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Used to match imported values and salary rules.")
    weight = fields.Float(string="Weight (%)", digits=(16, 2))
    unit = fields.Char(translate=True, help="E.g. %, times, hours, points.")
    value_digits = fields.Integer(
        compute="_compute_value_digits",
        help="Decimals the actual values of this indicator show at least (2 for "
        "percentages and averages, 0 for counts).",
    )
    direction = fields.Selection(DIRECTIONS, required=True, default=HIGHER)
    target = fields.Float(help="The standard to meet (衡量标准).", aggregator=None)
    stretch = fields.Float(
        aggregator=None,
        string="Stretch Target",
        help="Banded points: reaching this value earns the top band.",
    )
    calculation = fields.Text(string="Calculation Method", translate=True)
    data_source = fields.Char(
        translate=True, help="Department or record card that supplies the value."
    )
    scoring_method = fields.Selection(SCORING_METHODS, required=True, default="ratio")
    is_veto = fields.Boolean(
        string="Veto Item",
        help="If this indicator is not achieved, the reward linked to it is 0 for "
        "the period and is not paid back later (否决项).",
    )
    attainment_basis = fields.Selection(
        ATTAINMENT_BASES,
        string="Attainment Period",
        default=MONTHLY,
        required=True,
        help="Seed 000 (指标按月取数): a monthly evaluation compares the month's figure "
        "with its target, or the quarter's or the year's figures to date with theirs "
        "(the earlier months' evaluation lines of the same person and indicator).",
    )
    attainment_lenient = fields.Boolean(
        string="Quarter or Year to Date Also Counts",
        help="当季度完成或累计数完成，都算完成: when the period's figure falls short but "
        "the quarter to date or the year to date reaches its target, the indicator is "
        "scored on that figure. A veto item missed stays missed for its month.",
    )
    attainment_aggregate = fields.Selection(
        ATTAINMENT_AGGREGATES,
        string="Figures to Date",
        default=SUM,
        required=True,
        help="How the months add up: summed (revenue, vehicles) or averaged (a rate).",
    )
    rater_role = fields.Selection(RATER_ROLES, default="superior", required=True)

    # --- where the actual value comes from ---------------------------------
    source_type = fields.Selection(
        SOURCE_TYPES, string="Actual Value Source", default="manual", required=True
    )
    source_incident_type_ids = fields.Many2many(
        "hr.kpi.incident.type",
        "hr_kpi_indicator_incident_type_rel",
        check_company=True,
        string="Incident Types",
        help="Counted incidents; for a ratio, the numerator.",
    )
    source_major_type_ids = fields.Many2many(
        "hr.kpi.incident.type",
        "hr_kpi_indicator_major_type_rel",
        check_company=True,
        string="Major Incident Types",
        help="Deduction per incident: these fill the major-incident count.",
    )
    source_denominator_type_ids = fields.Many2many(
        "hr.kpi.incident.type",
        "hr_kpi_indicator_denominator_type_rel",
        check_company=True,
        string="Denominator Incident Types",
    )
    source_card_type = fields.Selection(
        [
            ("internal", "Card 1: internal customers"),
            ("external", "Card 2: external questionnaire"),
            ("supervisor", "Card 4: supervisor feedback"),
        ],
        string="Survey Card",
    )
    source_activity_type = fields.Selection(
        [
            ("training", "Training"),
            ("knowledge_sharing", "Knowledge sharing"),
            ("supplier_exchange", "Supplier exchange"),
            ("external_visit", "External visit"),
            ("database_update", "Customer database update"),
            ("analysis_report", "Customer analysis report"),
        ],
        string="Activity Type",
    )
    source_sla_priority = fields.Selection(
        [
            ("urgent", "Urgent"),
            ("general", "General"),
            ("consultation", "Consultation"),
            ("complaint", "Complaint"),
        ],
        string="Request Priority",
        help="Empty: all requests.",
    )
    source_scope = fields.Selection(
        [
            ("employee", "The employee's own records"),
            ("team", "The records of the employee's team (direct reports)"),
        ],
        string="Records Of",
        default="employee",
        required=True,
        help="Team: a team lead's indicator counts the incidents of the employees who "
        "report to him (e.g. substantiated attitude complaints in the team).",
    )
    source_when_empty = fields.Selection(
        [
            ("missing", "No value: HR types it"),
            ("value", "A fixed value"),
        ],
        string="When There Are No Records",
        default="missing",
        required=True,
        help="For averages and percentages (survey cards, service levels, ratios): what "
        "the actual value is when the period has no record to compute it from. E.g. "
        "complaints closed in time is 100 % when no complaint was received.",
    )
    source_empty_value = fields.Float(
        aggregator=None,
        string="Value Without Records",
        help="Actual value used when the period has no record and a fixed value is chosen.",
    )

    # --- method parameters -------------------------------------------------
    cap = fields.Float(
        aggregator=None,
        string="Cap (%)",
        help="Achievement ratio: upper limit, e.g. 120. 0 = no cap.",
    )
    floor_pct = fields.Float(
        aggregator=None,
        string="Band Floor (% of target)",
        default=80.0,
        help="Banded points: at or above this share of the target earns the third band.",
    )
    band_points_stretch = fields.Float(string="Points at Stretch", default=5.0, aggregator=None)
    band_points_target = fields.Float(string="Points at Target", default=4.0, aggregator=None)
    band_points_floor = fields.Float(string="Points at Floor", default=3.0, aggregator=None)
    band_points_below = fields.Float(string="Points Below Floor", default=2.0, aggregator=None)
    likert_scale = fields.Selection(LIKERT_SCALES, default="5")
    full_points = fields.Float(
        aggregator=None, help="Points the item starts from before deductions (e.g. 50 or 30)."
    )
    deduction_cost = fields.Float(
        aggregator=None,
        string="Deduction per Incident",
        help="E.g. 1 per problem, 6 per valid complaint.",
    )
    deduction_cost_major = fields.Float(
        aggregator=None, string="Deduction per Major Incident", help="E.g. 12 per major complaint."
    )
    escalation_first = fields.Float(string="1st Finding", default=1.0, aggregator=None)
    escalation_second = fields.Float(string="2nd Finding", default=1.5, aggregator=None)
    escalation_third = fields.Float(string="3rd and Later Findings", default=2.5, aggregator=None)
    linear_limit = fields.Float(string="Limit", aggregator=None)
    linear_step = fields.Float(string="Every", default=1.0, aggregator=None)
    linear_points = fields.Float(string="Costs (points)", aggregator=None)
    linear_zero_beyond = fields.Float(
        aggregator=None, string="Zero Beyond", help="Past this value the item scores 0. 0 = none."
    )
    linear_whole_steps = fields.Boolean(
        string="Whole Steps Only", help="Only completed steps cost points."
    )
    penalty_per_unit = fields.Float(string="Penalty per Unit", default=1.0, aggregator=None)
    penalty_cap = fields.Float(aggregator=None)
    manual_min = fields.Float(string="Rating Minimum", default=0.0, aggregator=None)
    manual_max = fields.Float(string="Rating Maximum", default=100.0, aggregator=None)
    band_ids = fields.One2many("hr.kpi.indicator.band", "indicator_id", string="Bands", copy=True)

    _sql_constraints = [
        (
            "scheme_code_uniq",
            "unique(scheme_id, code)",
            "An indicator code appears once in a scheme.",
        ),
    ]

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.depends("unit", "scoring_method", "source_type")
    def _compute_value_digits(self):
        for indicator in self:
            decimal = (
                "%" in (indicator.unit or "")
                or indicator.scoring_method in DECIMAL_METHODS
                or indicator.source_type in AVERAGE_SOURCES
            )
            indicator.value_digits = 2 if decimal else 0

    def _weighted(self):
        """Indicators that carry a weight (penalties come off the total instead)."""
        return self.filtered(lambda i: i.scoring_method not in FROM_TOTAL_METHODS)

    def _engine_bands(self):
        self.ensure_one()
        return [
            Band(
                None if band.no_lower else band.lower,
                None if band.no_upper else band.upper,
                band.value,
            )
            for band in self.band_ids
        ]

    def _engine_params(self):
        """Plain dict of this indicator's parameters for the scoring engine."""
        self.ensure_one()
        return {
            "target": self.target,
            "stretch": self.stretch,
            "direction": self.direction,
            "cap": (self.penalty_cap if self.scoring_method == "penalty" else self.cap) or None,
            "floor_pct": self.floor_pct,
            "points": (
                self.band_points_stretch,
                self.band_points_target,
                self.band_points_floor,
                self.band_points_below,
            ),
            "scale": self.likert_scale,
            "full": self.full_points,
            "cost": self.deduction_cost,
            "cost_major": self.deduction_cost_major,
            "steps": (self.escalation_first, self.escalation_second, self.escalation_third),
            "bands": self._engine_bands(),
            "limit": self.linear_limit,
            "step": self.linear_step,
            "points_per_step": self.linear_points,
            "zero_beyond": self.linear_zero_beyond or None,
            "whole_steps": self.linear_whole_steps,
            "per_unit": self.penalty_per_unit,
            "minimum": self.manual_min,
            "maximum": self.manual_max,
            "veto": self.is_veto,
        }

    def _score(self, actual, actual_major=None):
        """Score one actual value through the engine; raise a translated error."""
        self.ensure_one()
        params = self._engine_params()
        if self.scoring_method == "deduction" and actual is not None:
            actual = (actual, actual_major or 0)
        try:
            return score_indicator(self.scoring_method, actual, params)
        except KpiEngineError as err:
            raise ValidationError(self._engine_error_text(err)) from err

    def _engine_error_text(self, err):
        return self.env._(
            "%(indicator)s: %(reason)s",
            indicator=self.name,
            reason=self.env._(err.message, **err.params),
        )

    # ------------------------------------------------------------------
    # Invariants
    # ------------------------------------------------------------------
    @api.constrains("weight", "scoring_method", "scheme_id", "perspective_id")
    def _check_active_scheme_weights(self):
        self.scheme_id._check_active_weights()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_active_scheme(self):
        self.scheme_id._check_not_active()

    def _uses_attainment(self):
        return self.attainment_basis != MONTHLY or self.attainment_lenient

    @api.constrains("attainment_basis", "attainment_lenient", "scoring_method", "scheme_id")
    def _check_attainment(self):
        for indicator in self.filtered(lambda i: i._uses_attainment()):
            if indicator.scoring_method not in ATTAINMENT_METHODS:
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: the quarter or the year to date counts only for the "
                        "scoring methods that compare with a target (ratio, banded points).",
                        indicator=indicator.name,
                    )
                )
            if indicator.scheme_id.period_type != "monthly":
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: the quarter or the year to date counts only in a "
                        "monthly scheme.",
                        indicator=indicator.name,
                    )
                )

    @api.constrains("source_type", "source_scope", "source_when_empty")
    def _check_source_options(self):
        for indicator in self:
            if indicator.source_scope == "team" and indicator.source_type not in TEAM_SOURCES:
                raise ValidationError(
                    self.env._(
                        "Indicator %(name)s: only incident counts and incident points can "
                        "read the records of the employee's team.",
                        name=indicator.name,
                    )
                )
            if (
                indicator.source_when_empty == "value"
                and indicator.source_type not in AVERAGE_SOURCES
            ):
                raise ValidationError(
                    self.env._(
                        "Indicator %(name)s: a fixed value without records only applies to "
                        "survey averages, service-level compliance and ratios (the other "
                        "sources count 0 when there is no record).",
                        name=indicator.name,
                    )
                )

    @api.constrains("perspective_id", "scheme_id")
    def _check_perspective_scheme(self):
        if self.env.context.get("kpi_scheme_copy"):
            return  # hr.kpi.scheme.copy() remaps and re-checks
        for indicator in self:
            if (
                indicator.perspective_id
                and indicator.perspective_id.scheme_id != indicator.scheme_id
            ):
                raise ValidationError(
                    self.env._(
                        "Indicator %(name)s belongs to another scheme than its "
                        "perspective %(perspective)s.",
                        name=indicator.name,
                        perspective=indicator.perspective_id.name,
                    )
                )

    @api.constrains(
        "scoring_method",
        "target",
        "stretch",
        "direction",
        "full_points",
        "deduction_cost",
        "deduction_cost_major",
        "linear_step",
        "penalty_cap",
        "manual_min",
        "manual_max",
        "band_points_stretch",
        "band_points_target",
        "band_points_floor",
        "band_points_below",
        "floor_pct",
    )
    def _check_scoring_parameters(self):
        for indicator in self:
            message = indicator._scoring_parameter_error()
            if message:
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: %(reason)s", indicator=indicator.name, reason=message
                    )
                )

    def _scoring_parameter_error(self):
        """Return a translated reason why the parameters are unusable, or None."""
        self.ensure_one()
        method = self.scoring_method
        _ = self.env._
        if method in ("ratio", "banded") and not self.target:
            return _("a target is required and must not be zero.")
        if method == "banded":
            if self.direction == HIGHER and self.stretch < self.target:
                return _("the stretch target must be at or above the target.")
            if self.direction == LOWER and self.stretch > self.target:
                return _("the stretch target must be at or below the target when lower is better.")
            points = [
                self.band_points_stretch,
                self.band_points_target,
                self.band_points_floor,
                self.band_points_below,
            ]
            if any(a <= b for a, b in pairwise(points)):
                return _("band points must decrease from stretch to below floor.")
            if not 0 < self.floor_pct < 100:
                return _("the band floor must lie between 0 and 100 % of the target.")
        if method in FULL_POINT_METHODS and self.full_points <= 0:
            return _("the full points of the item must be positive.")
        if method == "deduction" and (self.deduction_cost < 0 or self.deduction_cost_major < 0):
            return _("deductions cannot be negative.")
        if method == "linear" and self.linear_step <= 0:
            return _("the step of a linear deduction must be positive.")
        if method == "penalty" and self.penalty_cap <= 0:
            return _("a penalty needs a positive cap.")
        if method == "manual" and self.manual_min >= self.manual_max:
            return _("the rating minimum must be below the maximum.")
        return None

    def _check_bands(self):
        for indicator in self.filtered(lambda i: i.scoring_method == "threshold"):
            if not indicator.band_ids:
                raise ValidationError(
                    self.env._(
                        "%(indicator)s: threshold bands are missing.", indicator=indicator.name
                    )
                )
            try:
                check_bands(indicator._engine_bands())
            except KpiEngineError as err:
                raise ValidationError(indicator._engine_error_text(err)) from err

    @api.model_create_multi
    def create(self, vals_list):
        indicators = super().create(vals_list)
        indicators._check_bands()
        return indicators

    def write(self, vals):
        res = super().write(vals)
        if {"band_ids", "scoring_method"} & set(vals):
            self._check_bands()
        return res

    def action_open_parameters(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hr.kpi.indicator",
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
