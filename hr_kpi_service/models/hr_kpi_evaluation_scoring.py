"""Compute Scores for a batch: the scoring inputs in one SQL pass, then the engine,
then the writes in batch (issue 23).

At 2,000 employees x 10 indicators, reading the inputs through ORM records (every
line's fields, its indicator, its evaluation's period, scheme and raters) was most of
Compute Scores and of Approve (``bench_evaluations --profile score,approve``): the
reads of 20,000 records and the record-rule checks of each fetch. The inputs are now
read with a constant number of queries for the batch, whatever its size:

* the evaluations (employee, scheme, period, state, current total, veto, grade);
* their lines (indicator, weight, rater role, value, HR's override, current points);
* the mean of the submitted ratings per line, and the roles of each evaluation's
  raters (a rater group without anybody gives its weight to the others);
* the indicators, their bands and the schemes' rater weights and grade scales through
  the ORM (a few records for the batch), the recorded facts of the sourced indicators
  (one grouped query per indicator and period, ``_source_values``), the personal
  targets (one query) and the earlier months of the indicators scored on the quarter
  or the year (one search, only when the batch has such indicators).

Access: the caller (a workflow action) checked the group, the state and four-eyes,
locked the rows and checked the write access of the evaluations once
(``_check_write_access``); the SQL reads only the rows of those evaluations (their
lines, and their ratings). The ORM path (``_kpi_scoring_inputs_orm``) reads the same
inputs through records; ``tests/test_scoring_sql_pass.py`` compares both.

The results are written only where they differ from what was read: Approve re-scores
from the current inputs (a value changed after Compute Scores is scored again; a stale
score is never approved), and writes nothing when nothing changed. Score, veto and
grade stay tracked ORM writes (the chatter, which payroll's audit reads).
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass, field

from odoo import models
from odoo.tools import SQL

from .hr_kpi_evaluation import RATED_ROLES
from .hr_kpi_evaluation_line import DROPPABLE_ROLES
from .hr_kpi_indicator import AVERAGE_SOURCES, COMPUTED_SOURCES

# What scoring reads of an evaluation and of a line (both paths give the same tuples).
EvaluationInput = namedtuple(
    "EvaluationInput", "id employee_id scheme_id period_id state total_score missing_count vetoed"
)
LineInput = namedtuple(
    "LineInput",
    "id evaluation_id employee_id indicator_id weight rater_role has_actual actual_value "
    "actual_major override_active override_value",
)
# Line fields scoring writes (actuals first, then the results), compared with what
# was read so that only the rows that change are written.
ACTUAL_FIELDS = ("actual_value", "actual_major", "has_actual")
RESULT_FIELDS = ("points", "max_points", "weighted_score", "vetoed", "scored_on")
EVALUATION_RESULT_FIELDS = ("total_score", "missing_count", "vetoed")


@dataclass
class ScoringInputs:
    """The inputs of one batch: {evaluation id: EvaluationInput} in the batch's order,
    {evaluation id: [LineInput]} in the lines' order, {line id: mean of its submitted
    ratings}, {evaluation id: roles of its raters}, {line id: {field: value}} of the
    fields scoring writes, as stored now."""

    evaluations: dict
    lines: dict
    rated: dict
    rater_roles: dict
    current: dict = field(default_factory=dict)


@dataclass
class ScoringResult:
    """{evaluation id: total}, {evaluation id: [line ids without a value]} (a line of a
    rater group nobody rates is not missing)."""

    totals: dict
    missing: dict


class HrKpiEvaluation(models.Model):
    _inherit = "hr.kpi.evaluation"

    # ------------------------------------------------------------------
    # Inputs
    # ------------------------------------------------------------------
    def _kpi_scoring_inputs_sql(self):
        """The scoring inputs of these evaluations in four queries (see module doc)."""
        ids = list(self._ids)
        Line = self.env["hr.kpi.evaluation.line"]
        self.flush_model(
            ["employee_id", "scheme_id", "period_id", "state", *EVALUATION_RESULT_FIELDS]
        )
        Line.flush_model()
        self.env["hr.kpi.rating"].flush_model(["evaluation_id", "state", "role"])
        self.env["hr.kpi.rating.line"].flush_model(
            ["rating_id", "evaluation_line_id", "has_value", "value"]
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                """SELECT id, employee_id, scheme_id, period_id, state,
                          total_score::float8, missing_count, vetoed
                     FROM hr_kpi_evaluation WHERE id = ANY(%s)""",
                ids,
            )
        )
        rows = {row[0]: row for row in cr.fetchall()}
        evaluations = {
            i: EvaluationInput(*rows[i][:5], rows[i][5] or 0.0, rows[i][6] or 0, bool(rows[i][7]))
            for i in ids
            if i in rows
        }
        cr.execute(
            SQL(
                """SELECT id, evaluation_id, employee_id, indicator_id, weight::float8,
                          rater_role, has_actual, actual_value::float8, actual_major::float8,
                          override_active, override_value::float8,
                          points::float8, max_points::float8, weighted_score::float8,
                          vetoed, scored_on
                     FROM hr_kpi_evaluation_line
                    WHERE evaluation_id = ANY(%s)
                    ORDER BY evaluation_id, sequence, id""",
                ids,
            )
        )
        lines, current = defaultdict(list), {}
        for row in cr.fetchall():
            (
                line_id,
                evaluation_id,
                employee_id,
                indicator_id,
                weight,
                role,
                has_actual,
                actual,
                major,
                override,
                override_value,
                *results,
            ) = row
            line = LineInput(
                line_id,
                evaluation_id,
                employee_id,
                indicator_id,
                weight or 0.0,
                role or False,
                bool(has_actual),
                actual or 0.0,
                major or 0.0,
                bool(override),
                override_value or 0.0,
            )
            lines[evaluation_id].append(line)
            current[line_id] = dict(
                zip(
                    ACTUAL_FIELDS + RESULT_FIELDS,
                    (actual, major, has_actual, *results),
                    strict=True,
                )
            )
        cr.execute(
            SQL(
                """SELECT line.evaluation_line_id, AVG(line.value)::float8
                     FROM hr_kpi_rating_line line
                     JOIN hr_kpi_rating rating ON rating.id = line.rating_id
                    WHERE rating.evaluation_id = ANY(%s) AND rating.state = 'submitted'
                      AND line.has_value
                    GROUP BY line.evaluation_line_id""",
                ids,
            )
        )
        # a submitted value without a number (NULL) averages to False, as the ORM's
        rated = {line_id: False if value is None else value for line_id, value in cr.fetchall()}
        cr.execute(
            SQL(
                """SELECT DISTINCT evaluation_id, role FROM hr_kpi_rating
                    WHERE evaluation_id = ANY(%s)""",
                ids,
            )
        )
        rater_roles = defaultdict(set)
        for evaluation_id, role in cr.fetchall():
            rater_roles[evaluation_id].add(role)
        return ScoringInputs(evaluations, dict(lines), rated, dict(rater_roles), current)

    def _kpi_scoring_inputs_orm(self):
        """The same inputs read through ORM records (the comparison of the tests)."""
        evaluations, lines, current = {}, {}, {}
        for evaluation in self:
            evaluations[evaluation.id] = EvaluationInput(
                evaluation.id,
                evaluation.employee_id.id,
                evaluation.scheme_id.id,
                evaluation.period_id.id,
                evaluation.state,
                evaluation.total_score,
                evaluation.missing_count,
                evaluation.vetoed,
            )
            for line in evaluation.line_ids:
                lines.setdefault(evaluation.id, []).append(
                    LineInput(
                        line.id,
                        evaluation.id,
                        line.employee_id.id,
                        line.indicator_id.id,
                        line.weight,
                        line.rater_role,
                        line.has_actual,
                        line.actual_value,
                        line.actual_major,
                        line.override_active,
                        line.override_value,
                    )
                )
                current[line.id] = {
                    name: line._fields[name].convert_to_write(line[name], line)
                    for name in ACTUAL_FIELDS + RESULT_FIELDS
                }
        rater_roles = {
            evaluation.id: set(evaluation.rating_ids.mapped("role"))
            for evaluation in self
            if evaluation.rating_ids
        }
        return ScoringInputs(evaluations, lines, self._rated_actuals(), rater_roles, current)

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    def _compute_scores(self, access_checked=False, inputs=None):
        """Score every line through the engine and total each evaluation.

        Inputs for the whole batch are read in one SQL pass (`inputs`: already read,
        e.g. by the ORM path); results are written where they changed, lines in one
        UPDATE per set of fields, evaluations grouped by identical values. Score,
        grade and veto are tracked fields: their changes reach the chatter with the
        state's, one message per evaluation and transaction, created together
        (_message_track). `access_checked`: the caller checked the write access of
        `self` after locking the rows (_grade_and_rank); otherwise it is checked here,
        once for all the writes below (their record rules are the evaluations').
        Returns a ScoringResult."""
        self._check_unlocked(["line_ids", "total_score"])
        if not access_checked:
            self._check_write_access()
        if inputs is None:
            inputs = self._kpi_scoring_inputs_sql()
        Line = self.env["hr.kpi.evaluation.line"]
        indicators = {
            indicator.id: indicator
            for indicator in self.env["hr.kpi.indicator"].browse(
                list({line.indicator_id for rows in inputs.lines.values() for line in rows})
            )
        }
        periods = {
            period.id: period
            for period in self.env["hr.kpi.period"].browse(
                list({e.period_id for e in inputs.evaluations.values()})
            )
        }
        schemes = {
            scheme.id: scheme
            for scheme in self.env["hr.kpi.scheme"].browse(
                list({e.scheme_id for e in inputs.evaluations.values()})
            )
        }
        skipped = self._kpi_lines_without_rater(inputs, indicators, schemes)
        actuals = self._kpi_filled_actuals(inputs, indicators, periods, skipped)
        lines_by_evaluation = {
            evaluation_id: [
                line._replace(**actuals[line.id]) if line.id in actuals else line for line in rows
            ]
            for evaluation_id, rows in inputs.lines.items()
        }

        employees = self.env["hr.employee"].browse(
            list({e.employee_id for e in inputs.evaluations.values()})
        )
        personal = self.env["hr.kpi.target.plan"]._personal_targets(
            employees, self.env["hr.kpi.period"].browse(list(periods))
        )
        attainment = {i for i, indicator in indicators.items() if indicator._uses_attainment()}
        if attainment and actuals:
            # the earlier months are read from the lines: a batch spanning several
            # months reads its earlier months' filled values, as written first
            Line._kpi_write_bulk_changed(actuals, inputs.current, self.browse(), self)
            for line_id, values in actuals.items():
                inputs.current[line_id] = dict(inputs.current.get(line_id, {}), **values)
        earlier = (
            Line.browse(
                [
                    line.id
                    for rows in lines_by_evaluation.values()
                    for line in rows
                    if line.indicator_id in attainment
                ]
            )._earlier_months()
            if attainment
            else {}
        )
        params_cache = {}
        total_field = self._fields["total_score"]
        line_values, evaluation_values, totals, missing = {}, {}, {}, {}
        for evaluation_id, evaluation in inputs.evaluations.items():
            start = periods[evaluation.period_id].date_from
            scores = []
            missing[evaluation_id] = []
            for line in lines_by_evaluation.get(evaluation_id, ()):
                indicator = indicators[line.indicator_id]
                if line.id in skipped:
                    # Nobody rates this group: its weight goes to the other groups,
                    # whatever value the line may hold.
                    values = Line._kpi_engine_score(
                        line, start, params_cache, indicator, skip=True
                    )[1]
                    line_values[line.id] = (
                        {**actuals[line.id], **values} if line.id in actuals else values
                    )
                    continue
                if not line.has_actual:
                    missing[evaluation_id].append(line.id)
                score, values = Line._kpi_engine_score(
                    line,
                    start,
                    params_cache,
                    indicator,
                    personal=personal.get((line.employee_id, evaluation.period_id, indicator.id))
                    if personal
                    else None,
                    earlier=earlier,
                )
                line_values[line.id] = (
                    {**actuals[line.id], **values} if line.id in actuals else values
                )
                scores.append((line, score))
            values = self.browse(evaluation_id)._kpi_total_values(
                schemes[evaluation.scheme_id].rater_config_id, scores
            )
            # as stored (two digits): what the grade and the ranks read
            totals[evaluation_id] = total_field.convert_to_cache(values["total_score"], self)
            evaluation_values[evaluation_id] = values
        # the actuals filled and the results of each line in one UPDATE: a row updated
        # twice in a transaction is checked again by each of its foreign keys
        Line._kpi_write_bulk_changed(line_values, inputs.current, self.browse(), self)
        self._kpi_write_changed_totals(evaluation_values, inputs.evaluations)
        return ScoringResult(totals, missing)

    def _kpi_lines_without_rater(self, inputs, indicators, schemes):
        """Ids of the lines whose rater group nobody rates (the lines' no_rater, from
        the inputs): a role of the scheme's rater weights that may be left out, with
        no rater of it on an evaluation past draft, on a line typed by its raters."""
        skipped = set()
        for evaluation_id, evaluation in inputs.evaluations.items():
            config = schemes[evaluation.scheme_id].rater_config_id
            if not config or evaluation.state == "draft":
                continue
            droppable = (set(config._roles()) - inputs.rater_roles.get(evaluation_id, set())) & set(
                DROPPABLE_ROLES
            )
            if not droppable:
                continue
            skipped.update(
                line.id
                for line in inputs.lines.get(evaluation_id, ())
                if line.rater_role in droppable
                and indicators[line.indicator_id].source_type == "manual"
            )
        return skipped

    def _kpi_filled_actuals(self, inputs, indicators, periods, skipped):
        """{line id: {actual fields}} that scoring puts on the lines before scoring
        them: HR's overrides (they win over every source until an officer removes
        them), the recorded facts of the sourced indicators (one grouped query per
        indicator and period, whatever the number of employees), then the mean of the
        submitted ratings of the lines their raters fill. Values as the fields store
        them (rounded to their digits)."""
        Line = self.env["hr.kpi.evaluation.line"]
        rounded = {name: Line._fields[name] for name in ("actual_value", "actual_major")}

        def as_stored(values):
            return {
                name: (rounded[name].convert_to_cache(value, Line) if name in rounded else value)
                for name, value in values.items()
            }

        filled = {}
        groups = defaultdict(list)
        for evaluation_id, evaluation in inputs.evaluations.items():
            for line in inputs.lines.get(evaluation_id, ()):
                if line.override_active:
                    filled[line.id] = as_stored(
                        {"actual_value": line.override_value, "has_actual": True}
                    )
                elif indicators[line.indicator_id].source_type in COMPUTED_SOURCES:
                    groups[(line.indicator_id, evaluation.period_id)].append(line)
        for (indicator_id, period_id), lines in groups.items():
            indicator = indicators[indicator_id]
            employees = self.env["hr.employee"].browse(
                list(dict.fromkeys(line.employee_id for line in lines))
            )
            values = self._source_values(indicator, periods[period_id], employees)
            no_records = (
                (indicator.source_empty_value, 0.0)
                if indicator.source_when_empty == "value"
                else None
            )
            for line in lines:
                if line.employee_id not in values and indicator.source_type in AVERAGE_SOURCES:
                    if no_records is None:
                        filled[line.id] = {"has_actual": False}
                        continue
                    values[line.employee_id] = no_records
                actual, major = values.get(line.employee_id, (0.0, 0.0))
                filled[line.id] = as_stored(
                    {"actual_value": actual, "actual_major": major, "has_actual": True}
                )
        for rows in inputs.lines.values():
            for line in rows:
                if (
                    line.id not in skipped
                    and line.rater_role in RATED_ROLES
                    and line.id in inputs.rated
                    and not line.override_active
                ):
                    filled[line.id] = dict(
                        filled.get(line.id, {}),
                        **as_stored({"actual_value": inputs.rated[line.id], "has_actual": True}),
                    )
        return filled

    def _kpi_write_changed_totals(self, evaluation_values, current):
        """Write the evaluations' totals where they changed (tracked; _kpi_write_results)."""
        changed = {}
        for evaluation_id, values in evaluation_values.items():
            now = current[evaluation_id]
            stored = {
                "total_score": self._fields["total_score"].convert_to_cache(
                    values["total_score"], self
                ),
                "missing_count": values["missing_count"],
                "vetoed": values["vetoed"],
            }
            if (now.total_score, now.missing_count, now.vetoed) != (
                stored["total_score"],
                stored["missing_count"],
                stored["vetoed"],
            ):
                changed[self.browse(evaluation_id)] = values
        self._kpi_write_results(changed, checked=self.browse())

    def _kpi_total_values(self, config, scores):
        """_total_values with the scheme's rater weights `config` given (the batch
        read them once per scheme)."""
        return self._total_values(scores, config=config)
