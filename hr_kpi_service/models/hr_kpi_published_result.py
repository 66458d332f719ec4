from odoo import fields, models

from .kpi_policy import KpiPolicy


class HrKpiPublishedResult(models.Model):
    """A result as published (公示, seed 004 考核流程) to the employees of its
    department once its results sheet is signed: the name and the grade; the score
    only where the sheet's chain publishes scores. Never notes, ratings or
    consequences. Written by the sheet's 公示 step only."""

    _name = "hr.kpi.published.result"
    _description = "KPI Published Result"
    _order = "published_date desc, sequence, id"
    _rec_name = "employee_name"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(system_owned=True)

    sheet_id = fields.Many2one(
        "hr.kpi.results.sheet", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    department_id = fields.Many2one("hr.department", index=True)
    period_id = fields.Many2one("hr.kpi.period", required=True, index=True)
    sequence = fields.Integer()
    employee_name = fields.Char(string="Employee")
    grade_name = fields.Char(string="Grade")
    score = fields.Float(digits=(16, 2))
    score_published = fields.Boolean()
    published_date = fields.Datetime(string="Published On")
