from odoo import fields, models


class HrKpiIncidentType(models.Model):
    """A kind of recorded fact: complaint, commendation, violation, absenteeism..."""

    _name = "hr.kpi.incident.type"
    _description = "KPI Incident Type"
    _order = "sequence, id"
    _inherit = ["hr.kpi.shared.config.mixin"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by imports and star rules.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_positive = fields.Boolean(
        string="Positive", help="Commendations and praise count for the employee."
    )
    description = fields.Text(translate=True)

    # Codes drive pay (indicators and star rules count incidents by code): one type
    # per code and company, and one shipped (shared) type per code.
    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The incident type code must be unique per company.",
        ),
    ]

    def init(self):
        self._share_shipped_codes()
