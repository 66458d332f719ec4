from odoo import api, fields, models
from odoo.exceptions import UserError

from .hr_kpi_number_checks import POINTS, check_numbers
from .kpi_policy import KpiPolicy, kpi_action

# What a confirmed incident counts with: locked until an officer withdraws the confirmation.


class HrKpiIncident(models.Model):
    """A recorded fact about an employee (complaint, commendation, violation...).

    Only confirmed incidents count in indicators, star reviews and awards.
    """

    _name = "hr.kpi.incident"
    _description = "KPI Incident"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # A confirmed incident counts in scores and stars: what it is stays until a KPI
    # officer withdraws the confirmation.
    _kpi_policy = KpiPolicy(
        protected=("confirmed", "recorded_by_id"),
        locked_when=("confirmed", (True,)),
        locked_fields=("employee_id", "company_id", "type_id", "date", "points"),
        unlink="unlocked",
    )

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    type_id = fields.Many2one(
        "hr.kpi.incident.type",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    type_code = fields.Char(related="type_id.code", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    description = fields.Text()
    points = fields.Float(
        help="Deduction or penalty points when the type carries some (e.g. an audit "
        "finding of 2 to 10 points).",
        tracking=True,
    )
    recorded_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    confirmed = fields.Boolean(
        tracking=True,
        readonly=True,
        copy=False,
        help="Only confirmed incidents count. Set by Confirm (a KPI manager or officer, "
        "never about himself); withdrawn by a KPI officer.",
    )
    import_key = fields.Char(
        index=True,
        copy=False,
        readonly=True,
        help="Fingerprint of the imported row: re-importing the same row updates nothing.",
    )

    _sql_constraints = [
        ("import_key_uniq", "unique(import_key)", "This row was already imported."),
    ]

    @api.depends("type_id.name", "employee_id.name", "date")
    def _compute_display_name(self):
        for incident in self:
            incident.display_name = self.env._(
                "%(type)s: %(employee)s · %(date)s",
                type=incident.type_id.name or self.env._("Incident"),
                employee=incident.employee_id.name or "",
                date=incident.date or "",
            )

    @api.constrains("points")
    def _check_points(self):
        check_numbers(self, {"points": POINTS})

    def _check_not_about_self(self):
        """Four-eyes: nobody confirms a fact about himself."""
        own = self.filtered(lambda incident: incident.employee_id.user_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "%(employee)s: nobody confirms an incident about himself; another "
                    "KPI manager or officer must do it.",
                    employee=own[0].employee_id.name,
                )
            )

    def _check_can_confirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_manager"):
            raise UserError(self.env._("Only a KPI manager or officer confirms incidents."))
        self.check_access("write")
        self._check_not_about_self()

    @kpi_action
    def action_confirm(self):
        self._check_can_confirm()
        self.write({"confirmed": True})
        return True

    @kpi_action
    def action_unconfirm(self):
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer withdraws a confirmation."))
        self.check_access("write")
        self._check_not_about_self()
        self.write({"confirmed": False})
        return True

    @api.model
    def _kpi_import_create(self, vals_list):
        """Create imported rows; rows marked confirmed are confirmed as by Confirm."""
        records = self.create([dict(vals, confirmed=False) for vals in vals_list])
        to_confirm = self.browse(
            record.id
            for record, vals in zip(records, vals_list, strict=True)
            if vals.get("confirmed")
        )
        if to_confirm:
            to_confirm.action_confirm()
        return records

    def _kpi_locked_message(self, locked, fnames):
        if not fnames:
            return self.env._(
                "A confirmed incident cannot be deleted: a KPI officer withdraws the "
                "confirmation first."
            )
        return self.env._(
            "A confirmed incident is locked (%(fields)s): a KPI officer withdraws "
            "the confirmation first.",
            fields=self._kpi_labels(fnames),
        )

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
