import math
from collections import namedtuple
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import (
    MONTHLY,
    KpiEngineError,
    fmt,
    score_indicator,
    scored_figures,
    weighted_contribution,
)
from .hr_kpi_indicator import RATER_ROLES
from .kpi_policy import KpiPolicy

SCORE_DIGITS = (16, 4)
VALUE_FIELDS = ("actual_value", "actual_major", "has_actual")
# Rater groups the rater weights may leave out when nobody is in them (seed 004:
# no peers, no subordinates). HR enters the superior's part of an employee
# without a superior: every case of seed 004 weights the superior.
DROPPABLE_ROLES = ("self", "peer", "subordinate", "group")
MAX_ACTUAL = 1e9
MAX_ACTUAL_TEXT = f"{MAX_ACTUAL:g}"  # outside _(): the term extractor evaluates its arguments
# What the engine reads of a line (_kpi_engine_score): from the record, or from the
# batch's SQL pass (hr_kpi_evaluation_scoring).
ScoredLine = namedtuple(
    "ScoredLine",
    "id employee_id indicator_id weight has_actual actual_value actual_major",
)


class HrKpiEvaluationLine(models.Model):
    """One indicator of an evaluation: its actual value and what it scores.

    Weight and rater role are copied from the indicator at generation, so a
    later change of the scheme never rewrites a past evaluation.
    """

    _name = "hr.kpi.evaluation.line"
    _description = "KPI Evaluation Line"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "evaluation_id, sequence, id"
    # Stored related fields are protected too: a readonly related field written
    # directly changes its own column, not the evaluation (sourced values are read
    # for the line's employee).
    _kpi_policy = KpiPolicy(
        protected=(
            "evaluation_id",
            "company_id",
            "employee_id",
            "indicator_id",
            "sequence",
            "weight",
            "rater_role",
            "points",
            "max_points",
            "weighted_score",
            "vetoed",
            # HR's override of a sourced value (hr.kpi.evaluation.correction)
            "override_active",
            "override_value",
        ),
        unlink="action",
    )

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True, index=True)
    state = fields.Selection(related="evaluation_id.state")
    indicator_id = fields.Many2one("hr.kpi.indicator", required=True, ondelete="restrict")
    perspective_id = fields.Many2one(related="indicator_id.perspective_id")
    scoring_method = fields.Selection(related="indicator_id.scoring_method")
    unit = fields.Char(related="indicator_id.unit")
    value_digits = fields.Integer(related="indicator_id.value_digits")
    target = fields.Float(
        compute="_compute_target",
        compute_sudo=True,
        help="The person's approved target for the period where his target plan has one, "
        "else the indicator's.",
    )
    stretch = fields.Float(string="Stretch Target", compute="_compute_target", compute_sudo=True)
    personal_target = fields.Boolean(
        compute="_compute_target",
        compute_sudo=True,
        help="The target comes from the person's approved target plan.",
    )
    sequence = fields.Integer(default=10)
    weight = fields.Float(string="Weight (%)", digits=(16, 2), readonly=True, aggregator=None)
    rater_role = fields.Selection(RATER_ROLES, readonly=True)
    has_actual = fields.Boolean(string="Value Entered")
    actual_value = fields.Float(string="Actual", digits=(16, 4), aggregator="avg")
    actual_major = fields.Float(string="Major Incidents", digits=(16, 0))
    points = fields.Float(digits=SCORE_DIGITS, readonly=True, aggregator="avg")
    max_points = fields.Float(digits=SCORE_DIGITS, readonly=True, aggregator=None)
    weighted_score = fields.Float(digits=SCORE_DIGITS, readonly=True)
    vetoed = fields.Boolean(readonly=True)
    scored_on = fields.Char(
        readonly=True,
        help="The quarter's or the year's figures to date the indicator was scored on "
        "(its attainment period, or achieved in the quarter or cumulatively), instead of "
        "the month's own figure and target.",
    )
    no_rater = fields.Boolean(
        compute="_compute_no_rater",
        help="Nobody rates this line's rater group: the rater weights give its weight to "
        "the other groups, and no value is asked for it.",
    )

    _sql_constraints = [
        (
            "evaluation_indicator_uniq",
            "unique(evaluation_id, indicator_id)",
            "An evaluation has one line per indicator.",
        ),
    ]

    @api.depends("evaluation_id.name", "indicator_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(evaluation)s · %(indicator)s",
                evaluation=line.evaluation_id.name or "",
                indicator=line.indicator_id.name or "",
            )

    @api.depends(
        "indicator_id.target", "indicator_id.stretch", "employee_id", "evaluation_id.period_id"
    )
    def _compute_target(self):
        personal = self.env["hr.kpi.target.plan"]._personal_targets(
            self.employee_id, self.evaluation_id.period_id
        )
        for line in self:
            indicator = line.indicator_id
            own = personal.get(line._target_key())
            line.personal_target = bool(own)
            line.target = own[0] if own else indicator.target
            line.stretch = own[1] if own and own[1] is not None else indicator.stretch

    def _target_key(self):
        return (self.employee_id.id, self.evaluation_id.period_id.id, self.indicator_id.id)

    @api.depends(
        "rater_role",
        "indicator_id.source_type",
        "evaluation_id.state",
        "evaluation_id.rating_ids.role",
        "evaluation_id.scheme_id.rater_config_id",
    )
    def _compute_no_rater(self):
        # what the evaluation decides, once per evaluation (not per line)
        droppable = {}
        for evaluation in self.evaluation_id:
            config = evaluation.scheme_id.rater_config_id
            droppable[evaluation.id] = (
                set(config._roles()) - set(evaluation.rating_ids.mapped("role"))
                if config and evaluation.state != "draft"
                else set()
            ) & set(DROPPABLE_ROLES)
        for line in self:
            line.no_rater = bool(
                line.rater_role in droppable[line.evaluation_id.id]
                and line.indicator_id.source_type == "manual"
            )

    def _check_actual_numbers(self, vals):
        """Refuse NaN, infinity and absurd magnitudes before they reach the column
        (rounding a NaN to the field's digits would end in a Python error)."""
        for name in ("actual_value", "actual_major"):
            value = vals.get(name)
            if value is None or value is False:
                continue
            if (
                not isinstance(value, (int, float))
                or not math.isfinite(value)
                or abs(value) > MAX_ACTUAL
            ):
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a finite number of at most %(limit)s in absolute "
                        "value (got %(value)s).",
                        field=self._fields[name]._description_string(self.env),
                        limit=MAX_ACTUAL_TEXT,
                        value=value,
                    )
                )

    def write(self, vals):
        self._check_actual_numbers(vals)
        self.evaluation_id._check_unlocked(["line_ids"])
        if set(VALUE_FIELDS) & set(vals) and self._kpi_protection_applies():
            self._check_value_entry()
        if {"actual_value", "actual_major"} & set(vals) and "has_actual" not in vals:
            vals = dict(vals, has_actual=True)
        return super().write(vals)

    def _check_value_entry(self):
        """Who may type a value on an evaluation line, and when (outside actions).

        The evaluation's row is share-locked and its state re-read first, so that a
        value never lands on an evaluation approved or scored at the same moment
        (RELIABILITY #39); managers typing values of one evaluation do not wait for
        each other (hr_kpi_row_locks).
        """
        evaluations = self.evaluation_id
        evaluations._lock_rows("share")
        evaluations._check_unlocked(["line_ids"])
        rated = self._rated_line_ids()  # one query for the lines written
        for line in self:
            # a value that scoring would overwrite, or a value of a reopened
            # evaluation, changes through a correction (hr_kpi_evaluation_correction)
            line._check_typed_value_kept(rated)
            if line.no_rater:
                raise UserError(
                    self.env._(
                        "%(indicator)s: nobody rates this rater group for %(employee)s, "
                        "so its weight goes to the other groups and it takes no value.",
                        indicator=line.indicator_id.name,
                        employee=line.employee_id.name,
                    )
                )
            if line.employee_id.user_id == self.env.user and line.rater_role != "self":
                raise AccessError(
                    self.env._(
                        "%(indicator)s: you cannot enter values of your own evaluation "
                        "beyond your self-assessment.",
                        indicator=line.indicator_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_actual_numbers(vals)
        lines = super().create(vals_list)
        lines.evaluation_id._check_unlocked(["line_ids"])
        return lines

    def _kpi_unlink_message(self):
        return self.env._(
            "The indicators of an evaluation come from its scheme; they are not deleted one by one."
        )

    def unlink(self):
        self.evaluation_id._check_unlocked(["line_ids"])
        return super().unlink()

    def _earlier_months(self):
        """{(employee id, indicator id, year): {month index: (actual, target)}}: the
        figures of the earlier months of the year that the lines' indicators add up
        to the quarter or the year to date (seed 000 指标按月取数). Their evaluation
        lines of the same person and indicator, for the whole batch in one search
        and one read of the personal targets (as superuser: the lines being scored
        are already the reader's, the earlier ones are the same person's)."""
        indicators = self.indicator_id.filtered(lambda indicator: indicator._uses_attainment())
        if not indicators:
            return {}
        lines = self.filtered(
            lambda line: (
                line.indicator_id in indicators
                and line.evaluation_id.period_id.period_type == "monthly"
            )
        )
        if not lines:
            return {}
        starts = lines.evaluation_id.period_id.mapped("date_from")
        earlier = self.sudo().search(
            [
                ("indicator_id", "in", lines.indicator_id.ids),
                ("employee_id", "in", lines.employee_id.ids),
                ("has_actual", "=", True),
                ("evaluation_id.period_id.period_type", "=", "monthly"),
                ("evaluation_id.period_id.date_from", ">=", date(min(starts).year, 1, 1)),
                ("evaluation_id.period_id.date_from", "<", max(starts)),
            ]
        )
        months = {}
        for line in earlier:
            start = line.evaluation_id.period_id.date_from
            key = (line.employee_id.id, line.indicator_id.id, start.year)
            months.setdefault(key, {})[start.month - 1] = (line.actual_value, line.target)
        return months

    def _attainment_figures(self, target, earlier):
        """(actual, target) that the month scores: its own, or the quarter's or the
        year's to date as the indicator's attainment rule decides (engine)."""
        return self._kpi_attainment_figures(
            self.indicator_id,
            self.employee_id.id,
            self.evaluation_id.period_id.date_from,
            self.actual_value,
            target,
            earlier,
        )

    @api.model
    def _kpi_attainment_figures(self, indicator, employee_id, start, actual, target, earlier):
        """_attainment_figures from plain values (the batch's SQL pass)."""
        index = start.month - 1
        known = earlier.get((employee_id, indicator.id, start.year), {})
        months = [known.get(month) for month in range(index)] + [(actual, target)]
        actual, target, basis = scored_figures(
            months,
            index,
            indicator.attainment_basis,
            indicator.direction,
            indicator.attainment_aggregate,
            indicator.attainment_lenient,
        )
        if basis == MONTHLY:
            return actual, target, False
        label = dict(indicator._fields["attainment_basis"]._description_selection(self.env))
        note = self.env._(
            "%(basis)s: %(actual)s of %(target)s",
            basis=label[basis],
            actual=fmt(actual),
            target=fmt(target),
        )
        return actual, target, note

    def _engine_score(self, params_cache, skip=False, personal=None, earlier=None):
        """Score this line through the engine, without writing anything.

        :param params_cache: dict shared by a batch: indicator id -> engine params,
            (indicator id, actual, target, stretch) -> score
        :param skip: the line does not count (its rater group has nobody)
        :param personal: (target, stretch or None) of the person's approved target
            plan, which replace the indicator's
        :param earlier: the earlier months' figures (``_earlier_months``) for the
            indicators scored on the quarter or the year to date
        :return: (IndicatorScore or None when no value is entered, field values)
        """
        self.ensure_one()
        return self._kpi_engine_score(
            ScoredLine(
                self.id,
                self.employee_id.id,
                self.indicator_id.id,
                self.weight,
                self.has_actual,
                self.actual_value,
                self.actual_major,
            ),
            self.evaluation_id.period_id.date_from,
            params_cache,
            indicator=self.indicator_id,
            skip=skip,
            personal=personal,
            earlier=earlier,
        )

    @api.model
    def _kpi_engine_score(
        self, line, start, params_cache, indicator, skip=False, personal=None, earlier=None
    ):
        """_engine_score of `line` (a ScoredLine: plain values, from the ORM or from
        the batch's SQL pass) of a period starting on `start`; `indicator`: its record."""
        if skip or not line.has_actual:
            return None, {
                "points": 0.0,
                "max_points": 0.0,
                "weighted_score": 0.0,
                "vetoed": False,
                "scored_on": False,
            }
        if indicator.id not in params_cache:
            params_cache[indicator.id] = indicator._engine_params()
        params = params_cache[indicator.id]
        if personal:
            target, stretch = personal
            params = dict(params, target=target)
            if stretch is not None:
                params["stretch"] = stretch
        actual = line.actual_value
        if indicator.scoring_method == "deduction":
            actual = (actual, line.actual_major or 0)
        scored_on = False
        try:
            if earlier is not None and indicator._uses_attainment():
                own_target = params["target"]
                actual, target, scored_on = self._kpi_attainment_figures(
                    indicator, line.employee_id, start, line.actual_value, own_target, earlier
                )
                params = dict(params, target=target)
                if params.get("stretch") and own_target:
                    # the stretch target grows with the months added up, as the target
                    params["stretch"] = params["stretch"] * target / own_target
            # the engine is a pure function: one call per indicator, figures and target
            key = (indicator.id, actual, params.get("target"), params.get("stretch"))
            score = params_cache.get(key)
            if score is None:
                score = score_indicator(indicator.scoring_method, actual, params)
                params_cache[key] = score
        except KpiEngineError as err:
            raise UserError(
                self.env._(
                    "%(employee)s, %(indicator)s: %(reason)s",
                    employee=self.env["hr.employee"].browse(line.employee_id).name,
                    indicator=indicator.name,
                    reason=self.env._(err.message, **err.params),
                )
            ) from err
        weighted_key = (score, line.weight)  # scores are frozen: one product per pair
        weighted = params_cache.get(weighted_key)
        if weighted is None:
            weighted = params_cache[weighted_key] = weighted_contribution(score, line.weight)
        return score, {
            "points": score.points,
            "max_points": score.max_points,
            "vetoed": score.vetoed,
            "weighted_score": weighted,
            "scored_on": scored_on,
        }
