from odoo import fields, models, tools
from odoo.addons.hr_kpi_service.models.hr_kpi_evaluation import EVALUATION_STATES
from odoo.addons.hr_kpi_service.models.hr_kpi_period import PERIOD_TYPES

from .month_label import relabel_months

POINT_DIGITS = (16, 2)


class HrKpiEvaluationLineReport(models.Model):
    """Indicator analysis: one row per evaluation line (SQL view).

    Points are averaged, never summed; weights and targets are not aggregated. The
    default measure is the points as a percentage of the line's maximum, since an
    average of points of indicators of different scales means nothing.
    A line without an actual value has no points (not 0 points).
    """

    _name = "hr.kpi.evaluation.line.report"
    _description = "KPI Indicator Analysis"
    _auto = False
    _rec_name = "indicator_id"
    _order = "period_date_from desc, employee_id, sequence"

    evaluation_id = fields.Many2one("hr.kpi.evaluation", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True)
    scheme_id = fields.Many2one("hr.kpi.scheme", readonly=True)
    period_id = fields.Many2one("hr.kpi.period", readonly=True)
    period_date_from = fields.Date(string="Period Start", readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, readonly=True)
    state = fields.Selection(EVALUATION_STATES, string="Status", readonly=True)
    grade_band_id = fields.Many2one("hr.kpi.grade.band", string="Grade", readonly=True)
    indicator_id = fields.Many2one("hr.kpi.indicator", readonly=True)
    perspective_id = fields.Many2one("hr.kpi.perspective", readonly=True)
    sequence = fields.Integer(aggregator=None, readonly=True)
    weight = fields.Float(string="Weight (%)", digits=(16, 2), aggregator=None, readonly=True)
    target = fields.Float(aggregator=None, readonly=True)
    actual_value = fields.Float(string="Actual", digits=(16, 4), aggregator="avg", readonly=True)
    points = fields.Float(digits=POINT_DIGITS, aggregator="avg", readonly=True)
    max_points = fields.Float(
        string="Maximum Points", digits=POINT_DIGITS, aggregator="avg", readonly=True
    )
    points_percent = fields.Float(
        string="Points (% of Maximum)",
        digits=POINT_DIGITS,
        aggregator="avg",
        readonly=True,
        help="The line's points as a percentage of its maximum: indicators of different "
        "scales compare and average (points themselves do not).",
    )
    weighted_score = fields.Float(digits=POINT_DIGITS, aggregator="avg", readonly=True)
    score = fields.Float(
        string="Evaluation Score", digits=POINT_DIGITS, aggregator="avg", readonly=True
    )

    def _query(self):
        return """
            SELECT l.id AS id,
                   l.evaluation_id,
                   e.employee_id,
                   e.company_id,
                   e.department_id,
                   e.job_id,
                   e.scheme_id,
                   e.period_id,
                   p.date_from AS period_date_from,
                   p.period_type,
                   e.state,
                   e.grade_band_id,
                   l.indicator_id,
                   i.perspective_id,
                   l.sequence,
                   l.weight,
                   i.target,
                   CASE WHEN l.has_actual THEN l.actual_value END AS actual_value,
                   CASE WHEN l.has_actual THEN COALESCE(l.points, 0) END AS points,
                   CASE WHEN l.has_actual THEN COALESCE(l.max_points, 0) END AS max_points,
                   CASE WHEN l.has_actual AND l.max_points > 0
                        THEN COALESCE(l.points, 0) * 100.0 / l.max_points END AS points_percent,
                   CASE WHEN l.has_actual THEN COALESCE(l.weighted_score, 0) END
                       AS weighted_score,
                   e.total_score AS score
              FROM hr_kpi_evaluation_line l
              JOIN hr_kpi_evaluation e ON e.id = l.evaluation_id
              JOIN hr_kpi_period p ON p.id = e.period_id
              JOIN hr_kpi_indicator i ON i.id = l.indicator_id
        """

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        relabel_months(self, rows_dict, lazy_groupby)
        return result

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")
