from odoo import fields, models, tools
from odoo.addons.hr_kpi_service.models.hr_kpi_evaluation import EVALUATION_STATES
from odoo.addons.hr_kpi_service.models.hr_kpi_period import PERIOD_TYPES

from .month_label import relabel_months

RANK_FLAGS = [
    ("excellence", "Excellence (top 10 %)"),
    ("good", "Good performance (10–30 %)"),
]
SCORE_DIGITS = (16, 2)
SCORED_STATES = ("hr_review", "approved", "published", "appealed", "closed")

# Company and period type -> the latest period with an evaluation past draft (the
# "current" period of the overview) and the one before it.
LATEST_PERIODS = """
    latest AS (
        SELECT e.company_id, p.period_type, max(p.date_from) AS date_from
          FROM hr_kpi_evaluation e
          JOIN hr_kpi_period p ON p.id = e.period_id
         WHERE e.state != 'draft'
      GROUP BY e.company_id, p.period_type
    ),
    previous AS (
        SELECT e.company_id, p.period_type, max(p.date_from) AS date_from
          FROM hr_kpi_evaluation e
          JOIN hr_kpi_period p ON p.id = e.period_id
          JOIN latest l ON l.company_id = e.company_id AND l.period_type = p.period_type
         WHERE e.state != 'draft' AND p.date_from < l.date_from
      GROUP BY e.company_id, p.period_type
    )
"""


class HrKpiEvaluationReport(models.Model):
    """Evaluation analysis: one row per evaluation (SQL view).

    Scores are averaged, never summed; ranks and thresholds are not aggregated.
    """

    _name = "hr.kpi.evaluation.report"
    _description = "KPI Evaluation Analysis"
    _auto = False
    _rec_name = "evaluation_id"
    _order = "period_date_from desc, rank_company, employee_id"

    evaluation_id = fields.Many2one("hr.kpi.evaluation", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    job_id = fields.Many2one("hr.job", string="Job Position", readonly=True)
    manager_id = fields.Many2one("hr.employee", string="Superior", readonly=True)
    scheme_id = fields.Many2one("hr.kpi.scheme", readonly=True)
    period_id = fields.Many2one("hr.kpi.period", readonly=True)
    period_date_from = fields.Date(string="Period Start", readonly=True)
    period_type = fields.Selection(PERIOD_TYPES, readonly=True)
    state = fields.Selection(EVALUATION_STATES, string="Status", readonly=True)
    grade_band_id = fields.Many2one("hr.kpi.grade.band", string="Grade", readonly=True)
    grade = fields.Char(string="Grade Code", readonly=True)
    stars = fields.Integer(
        aggregator=None,  # counted (star counts), never added up nor averaged
        readonly=True,
        help="The employee's star of the evaluation's month (monthly stars).",
    )
    has_stars = fields.Boolean(string="Has a Monthly Star", readonly=True)
    score = fields.Float(
        digits=SCORE_DIGITS,
        aggregator="avg",
        readonly=True,
        help="Empty before HR review (the evaluation is not scored yet).",
    )
    previous_score = fields.Float(digits=SCORE_DIGITS, aggregator="avg", readonly=True)
    score_change = fields.Float(
        string="Change", digits=SCORE_DIGITS, aggregator="avg", readonly=True,
        help="Score minus the previous period's score (empty without a previous score).",
    )
    rank_department = fields.Integer(string="Rank in Department", aggregator=None, readonly=True)
    rank_company = fields.Integer(string="Rank in Company", aggregator=None, readonly=True)
    rank_flag = fields.Selection(RANK_FLAGS, string="Ranking Award", readonly=True)
    most_improved = fields.Boolean(readonly=True)
    vetoed = fields.Boolean(readonly=True)
    is_latest_period = fields.Boolean(
        string="Current Period",
        readonly=True,
        help="The company's latest period (of this type) with evaluations past draft.",
    )
    is_previous_period = fields.Boolean(string="Previous Period", readonly=True)

    def _query(self):
        # A score exists from HR review on (scores are computed on the way there);
        # a previous score of 0 means there was no previous period.
        scored = "({})".format(", ".join(f"'{state}'" for state in SCORED_STATES))
        return f"""
            WITH {LATEST_PERIODS}
            SELECT e.id AS id,
                   e.id AS evaluation_id,
                   e.employee_id,
                   e.company_id,
                   e.department_id,
                   e.job_id,
                   e.manager_id,
                   e.scheme_id,
                   e.period_id,
                   p.date_from AS period_date_from,
                   p.period_type,
                   e.state,
                   e.grade_band_id,
                   gb.code AS grade,
                   sm.stars,
                   sm.id IS NOT NULL AS has_stars,
                   CASE WHEN e.state IN {scored} THEN COALESCE(e.total_score, 0) END AS score,
                   NULLIF(e.previous_score, 0) AS previous_score,
                   CASE WHEN e.state IN {scored} AND e.previous_score != 0
                        THEN COALESCE(e.total_score, 0) - e.previous_score END AS score_change,
                   e.rank_department,
                   e.rank_company,
                   e.rank_flag,
                   e.most_improved,
                   e.vetoed,
                   COALESCE(p.date_from = l.date_from, FALSE) AS is_latest_period,
                   COALESCE(p.date_from = pr.date_from, FALSE) AS is_previous_period
              FROM hr_kpi_evaluation e
              JOIN hr_kpi_period p ON p.id = e.period_id
         LEFT JOIN hr_kpi_grade_band gb ON gb.id = e.grade_band_id
         LEFT JOIN hr_kpi_star_month sm
                ON sm.employee_id = e.employee_id AND sm.period_id = e.period_id
         LEFT JOIN latest l ON l.company_id = e.company_id AND l.period_type = p.period_type
         LEFT JOIN previous pr ON pr.company_id = e.company_id AND pr.period_type = p.period_type
        """

    def _read_group_format_result(self, rows_dict, lazy_groupby):
        result = super()._read_group_format_result(rows_dict, lazy_groupby)
        relabel_months(self, rows_dict, lazy_groupby)
        return result

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")
