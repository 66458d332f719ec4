from collections import defaultdict

from odoo import api, fields, models

from .hr_kpi_number_checks import HOURS, check_numbers
from .kpi_policy import KpiPolicy

ACTIVITY_TYPES = [
    ("training", "Training"),
    ("knowledge_sharing", "Knowledge sharing"),
    ("supplier_exchange", "Supplier exchange"),
    ("external_visit", "External visit"),
    ("database_update", "Customer database update"),
    ("analysis_report", "Customer analysis report"),
]


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "hours": HOURS,
}




class HrKpiActivityRecord(models.Model):
    """Training, exchange and visit record card (公司卡 3) and business record card 7.1."""

    _name = "hr.kpi.activity.record"
    _description = "KPI Activity Record"
    _inherit = ["hr.kpi.protected.mixin"]
    # who recorded the activity is the user who typed or imported it
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS, protected=("recorded_by_id",))
    _order = "date desc, id desc"
    _check_company_auto = True

    activity_type = fields.Selection(ACTIVITY_TYPES, required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    hours = fields.Float(digits=(16, 2))
    place = fields.Char()
    participant_ids = fields.Many2many("hr.employee", string="Participants", check_company=True)
    content = fields.Text()
    recorded_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    import_key = fields.Char(index=True, copy=False, readonly=True)

    _sql_constraints = [
        ("import_key_uniq", "unique(import_key)", "This activity row was already imported."),
    ]

    @api.depends("activity_type", "date", "place")
    def _compute_display_name(self):
        labels = dict(self._fields["activity_type"]._description_selection(self.env))
        for record in self:
            name = self.env._(
                "%(type)s · %(date)s",
                type=labels.get(record.activity_type, ""),
                date=record.date or "",
            )
            record.display_name = f"{name} · {record.place}" if record.place else name

    @api.model
    def _totals(self, employees, date_from, date_to, activity_type):
        """{employee id: (count, hours)} of the records the employees took part in."""
        records = self.search(
            [
                ("activity_type", "=", activity_type),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("participant_ids", "in", employees.ids),
            ]
        )
        wanted = set(employees.ids)
        totals = defaultdict(lambda: [0, 0.0])
        for record in records:
            for employee_id in set(record.participant_ids.ids) & wanted:
                totals[employee_id][0] += 1
                totals[employee_id][1] += record.hours
        return {key: tuple(value) for key, value in totals.items()}

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
