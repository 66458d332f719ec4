from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    kpi_collection_day_from = fields.Integer(
        string="KPI Data Collection From (day)", default=10
    )
    kpi_collection_day_to = fields.Integer(string="KPI Data Collection To (day)", default=15)
    kpi_pay_day = fields.Integer(string="KPI Pay Day", default=20)
    kpi_appeal_working_days = fields.Integer(
        string="Appeal Window (working days)",
        default=3,
        help="Seed 003: an employee may appeal within 3 working days of publication.",
    )

    kpi_sla_urgent_minutes = fields.Integer(string="Urgent: First Response (min)", default=30)
    kpi_sla_general_minutes = fields.Integer(string="General: First Response (min)", default=120)
    kpi_sla_consultation_minutes = fields.Integer(
        string="Consultation: First Response (min)", default=1440
    )
    kpi_sla_complaint_response_days = fields.Integer(
        string="Complaint: Response (working days)", default=1
    )
    kpi_sla_complaint_solution_days = fields.Integer(
        string="Complaint: Solution (working days)", default=3
    )
    kpi_import_max_kb = fields.Integer(
        string="Largest Import File (KB)", default=20480,
        help="Files above this size are refused before they are read.",
    )

    @api.constrains("kpi_collection_day_from", "kpi_collection_day_to", "kpi_pay_day")
    def _check_kpi_days(self):
        for company in self:
            days = (
                company.kpi_collection_day_from,
                company.kpi_collection_day_to,
                company.kpi_pay_day,
            )
            if not all(1 <= day <= 28 for day in days) or days[0] > days[1]:
                raise ValidationError(
                    self.env._(
                        "KPI calendar days must lie between 1 and 28, and data collection "
                        "must start before it ends."
                    )
                )
