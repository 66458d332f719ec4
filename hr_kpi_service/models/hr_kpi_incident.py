from odoo import api, fields, models
from odoo.exceptions import UserError


class HrKpiIncident(models.Model):
    """A recorded fact about an employee (complaint, commendation, violation...).

    Only confirmed incidents count in indicators, star reviews and awards.
    """

    _name = "hr.kpi.incident"
    _description = "KPI Incident"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    type_id = fields.Many2one(
        "hr.kpi.incident.type", string="Type", required=True, index=True, tracking=True
    )
    type_code = fields.Char(related="type_id.code", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    description = fields.Text()
    points = fields.Float(
        help="Deduction or penalty points when the type carries some (e.g. an audit "
        "finding of 2 to 10 points).",
        tracking=True,
    )
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user, readonly=True
    )
    confirmed = fields.Boolean(tracking=True, help="Only confirmed incidents count.")
    import_key = fields.Char(
        index=True,
        copy=False,
        readonly=True,
        help="Fingerprint of the imported row: re-importing the same row updates nothing.",
    )

    _sql_constraints = [
        ("import_key_uniq", "unique(import_key)", "This row was already imported."),
    ]

    def action_confirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_manager"):
            raise UserError(self.env._("Only a KPI manager or officer confirms incidents."))
        self.write({"confirmed": True})
        return True

    def action_unconfirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer withdraws a confirmation."))
        self.write({"confirmed": False})
        return True

    @api.model
    def _counts(self, employees, date_from, date_to, type_codes):
        """{employee id: count} of confirmed incidents of `type_codes` in the range."""
        groups = self._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("confirmed", "=", True),
                ("type_code", "in", list(type_codes)),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["employee_id"],
            ["__count", "points:sum"],
        )
        return {employee.id: (count, points) for employee, count, points in groups}
