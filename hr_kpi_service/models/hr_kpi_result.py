from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import KpiEngineError, annual_score, quarterly_score
from .kpi_policy import KpiPolicy

AGGREGATED_STATES = ("published", "appealed", "closed")


class HrKpiResult(models.Model):
    """A quarterly or annual result: the mean of the monthly scores of a quarter,
    or of the quarterly results of a year (seed 004)."""

    _name = "hr.kpi.result"
    _description = "KPI Period Result"
    _inherit = ["hr.kpi.protected.mixin"]
    _order = "date_from desc, employee_id"
    _check_company_auto = True
    # Results are computed by the period's "Aggregate" action only.
    _kpi_policy = KpiPolicy(
        protected=(
            "employee_id",
            "period_id",
            "period_type",
            "date_from",
            "company_id",
            "department_id",
            "score",
            "source_count",
            "grade_scale_id",
            "grade_band_id",
            "provisional",
        )
    )

    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    period_id = fields.Many2one("hr.kpi.period", required=True, index=True, check_company=True)
    period_type = fields.Selection(related="period_id.period_type", store=True)
    date_from = fields.Date(related="period_id.date_from", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    department_id = fields.Many2one("hr.department", check_company=True)
    score = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    source_count = fields.Integer(string="Results Averaged", readonly=True)
    grade_scale_id = fields.Many2one("hr.kpi.grade.scale", readonly=True)
    grade_band_id = fields.Many2one("hr.kpi.grade.band", string="Grade", readonly=True)
    grade = fields.Char(related="grade_band_id.code", string="Grade Code")
    provisional = fields.Boolean(
        readonly=True,
        help="Results to date of a quarter or year whose months are not all approved and "
        "published yet: they create no consequence, and Aggregate Results replaces them "
        "once the period is complete.",
    )

    @api.depends("employee_id.name", "period_id.name")
    def _compute_display_name(self):
        for result in self:
            result.display_name = self.env._(
                "Result: %(employee)s · %(period)s",
                employee=result.employee_id.name or "",
                period=result.period_id.name or "",
            )

    _sql_constraints = [
        (
            "employee_period_uniq",
            "unique(employee_id, period_id)",
            "One result per employee and period.",
        ),
    ]

    @api.model
    def _aggregate(self, periods):
        """(Re)compute the results of quarter and year `periods` in batch."""
        results = self.browse()
        quarters = periods.filtered(lambda p: p.period_type == "quarterly")
        years = periods.filtered(lambda p: p.period_type == "annual")
        if quarters:
            results |= self._aggregate_from(
                quarters,
                self.env["hr.kpi.evaluation"].search(
                    [
                        ("period_id.parent_id", "in", quarters.ids),
                        ("state", "in", AGGREGATED_STATES),
                    ]
                ),
                lambda evaluation: evaluation.period_id.parent_id,
                lambda evaluation: evaluation.total_score,
                quarterly_score,
            )
        if years:
            results |= self._aggregate_from(
                years,
                self.search([("period_id.parent_id", "in", years.ids)]),
                lambda result: result.period_id.parent_id,
                lambda result: result.score,
                annual_score,
            )
        return results

    def _aggregate_from(self, periods, sources, parent_of, score_of, aggregate):
        grouped = defaultdict(list)
        for source in sources:
            grouped[(parent_of(source), source.employee_id)].append(source)
        existing = {
            (result.period_id, result.employee_id): result
            for result in self.search([("period_id", "in", periods.ids)])
        }
        to_create = []
        touched = self.browse()
        for (period, employee), items in grouped.items():
            try:
                score = aggregate([score_of(item) for item in items])
            except KpiEngineError as err:
                raise UserError(
                    self.env._(
                        "%(employee)s, %(period)s: %(reason)s",
                        employee=employee.name,
                        period=period.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
            scale = employee.kpi_scheme_id.grade_scale_id
            vals = {
                "score": score,
                "source_count": len(items),
                "grade_scale_id": scale.id,
                "grade_band_id": scale._band_for(score).id if scale else False,
                "department_id": employee.department_id.id,
            }
            if (period, employee) in existing:
                existing[(period, employee)].update(vals)
                touched |= existing[(period, employee)]
            else:
                to_create.append(
                    dict(
                        vals,
                        employee_id=employee.id,
                        period_id=period.id,
                        company_id=period.company_id.id,
                    )
                )
        return touched | self.create(to_create)
