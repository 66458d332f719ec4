from odoo import fields, models


class HrKpiAppeal(models.Model):
    _inherit = "hr.kpi.appeal"

    appeal_deadline = fields.Datetime(
        related="evaluation_id.appeal_deadline", string="Appeal Deadline"
    )
    period_id = fields.Many2one(related="evaluation_id.period_id", string="Period")
