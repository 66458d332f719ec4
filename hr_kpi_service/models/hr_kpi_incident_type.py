from odoo import fields, models


class HrKpiIncidentType(models.Model):
    """A kind of recorded fact: complaint, commendation, violation, absenteeism..."""

    _name = "hr.kpi.incident.type"
    _description = "KPI Incident Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by imports and star rules.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_positive = fields.Boolean(
        string="Positive", help="Commendations and praise count for the employee."
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The incident type code must be unique."),
    ]
