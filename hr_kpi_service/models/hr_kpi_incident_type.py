from odoo import api, fields, models

from .hr_kpi_number_checks import check_company_set


class HrKpiIncidentType(models.Model):
    """A kind of recorded fact: complaint, commendation, violation, absenteeism..."""

    _name = "hr.kpi.incident.type"
    _description = "KPI Incident Type"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by imports and star rules.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_positive = fields.Boolean(
        string="Positive", help="Commendations and praise count for the employee."
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty only on the shipped records, which every company reads and nobody "
        "edits (copy one to change it).",
    )

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
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_incident_type_shared_code_uniq "
            "ON hr_kpi_incident_type (code) WHERE company_id IS NULL"
        )
        # The shipped records are shared by every company (an upgrade that adds the
        # column gives them the default company).
        self.env.cr.execute(
            "UPDATE hr_kpi_incident_type SET company_id = NULL "
            "WHERE company_id IS NOT NULL AND id IN (SELECT res_id FROM ir_model_data "
            "WHERE module = 'hr_kpi_service' AND model = %s)",
            [self._name],
        )

    @api.constrains("company_id")
    def _check_company_set(self):
        check_company_set(self)

