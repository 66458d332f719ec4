from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kpi_policy import KpiPolicy

SLA_PRIORITIES = [
    ("urgent", "Urgent"),
    ("general", "General"),
    ("consultation", "Consultation"),
    ("complaint", "Complaint"),
]




class HrKpiSlaRecord(models.Model):
    """A service request and how fast it was answered and solved.

    Seed 001: first response within 30 min (urgent), 2 h (general), 24 h
    (consultation). Seed 004: a complaint is answered within 1 working day and
    solved within 3, counted in working hours on the company calendar. All limits
    are company settings.
    """

    _name = "hr.kpi.sla.record"
    _inherit = ["hr.kpi.protected.mixin"]
    # A recorded service ticket: what it says is typed or imported; compliance is
    # computed.
    _kpi_policy = KpiPolicy(unlink="free")
    _description = "KPI Service-Level Record"
    _order = "received desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True)
    employee_id = fields.Many2one("hr.employee", required=True, index=True, check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    priority = fields.Selection(SLA_PRIORITIES, required=True, default="general", index=True)
    received = fields.Datetime(required=True, index=True)
    first_response = fields.Datetime()
    solved = fields.Datetime()
    response_minutes = fields.Float(compute="_compute_compliance", store=True, digits=(16, 1))
    response_deadline = fields.Datetime(compute="_compute_compliance", store=True)
    solution_deadline = fields.Datetime(compute="_compute_compliance", store=True)
    response_compliant = fields.Boolean(compute="_compute_compliance", store=True)
    solution_compliant = fields.Boolean(compute="_compute_compliance", store=True)
    compliant = fields.Boolean(
        compute="_compute_compliance", store=True, help="Every limit that applies was met."
    )
    import_key = fields.Char(index=True, copy=False, readonly=True)

    _sql_constraints = [
        ("import_key_uniq", "unique(import_key)", "This request row was already imported."),
    ]

    @api.constrains("received", "first_response", "solved")
    def _check_times(self):
        for record in self:
            if record.first_response and record.first_response < record.received:
                raise ValidationError(
                    self.env._(
                        "%(ref)s: the first response is before the request.", ref=record.name
                    )
                )
            if record.solved and record.solved < record.received:
                raise ValidationError(
                    self.env._(
                        "%(ref)s: the request is solved before it was received.", ref=record.name
                    )
                )

    def _working_deadline(self, start, days):
        """`days` working days of the company calendar after `start` (UTC, naive)."""
        calendar = self.company_id.resource_calendar_id
        tz = pytz.timezone(calendar.tz or "UTC")
        aware = pytz.utc.localize(start).astimezone(tz)
        end = calendar.plan_hours(
            days * (calendar.hours_per_day or 8.0), aware, compute_leaves=True
        )
        return end.astimezone(pytz.utc).replace(tzinfo=None) if end else False

    @api.depends("priority", "received", "first_response", "solved", "company_id")
    def _compute_compliance(self):
        for record in self:
            company = record.company_id
            record.response_minutes = (
                (record.first_response - record.received).total_seconds() / 60
                if record.first_response and record.received
                else 0.0
            )
            if not record.received:
                record.response_deadline = record.solution_deadline = False
                record.response_compliant = record.solution_compliant = record.compliant = False
                continue
            if record.priority == "complaint":
                record.response_deadline = record._working_deadline(
                    record.received, company.kpi_sla_complaint_response_days
                )
                record.solution_deadline = record._working_deadline(
                    record.received, company.kpi_sla_complaint_solution_days
                )
            else:
                limit = company[f"kpi_sla_{record.priority}_minutes"]
                record.response_deadline = record.received + timedelta(minutes=limit)
                record.solution_deadline = False
            record.response_compliant = bool(
                record.first_response and record.first_response <= record.response_deadline
            )
            record.solution_compliant = bool(
                not record.solution_deadline
                or (record.solved and record.solved <= record.solution_deadline)
            )
            record.compliant = record.response_compliant and record.solution_compliant

    @api.model
    def _compliance(self, employees, date_from, date_to, priority=False):
        """{employee id: (compliant count, total)} for requests received in the range."""
        # Periods are calendar days of the company (Beijing time for the seeds), not
        # UTC days: a request received at 07:00 on the 1st belongs to that month.
        calendar = (
            employees.company_id[:1].resource_calendar_id or self.env.company.resource_calendar_id
        )
        tz = pytz.timezone(calendar.tz or "UTC")

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        domain = [
            ("employee_id", "in", employees.ids),
            ("received", ">=", utc(date_from)),
            ("received", "<", utc(date_to + timedelta(days=1))),
        ]
        if priority:
            domain.append(("priority", "=", priority))
        groups = self._read_group(domain, ["employee_id", "compliant"], ["__count"])
        result = {}
        for employee, compliant, count in groups:
            done, total = result.get(employee.id, (0, 0))
            result[employee.id] = (done + (count if compliant else 0), total + count)
        return result
