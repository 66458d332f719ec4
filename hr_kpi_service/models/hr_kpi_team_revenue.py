import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .hr_kpi_number_checks import MONEY, check_numbers
from .kpi_policy import KpiPolicy, kpi_action

REVENUE_STATES = [("draft", "Draft"), ("confirmed", "Confirmed")]
OFFICER_GROUP = "hr_kpi_service.group_kpi_officer"


class HrKpiTeamRevenue(models.Model):
    """A team's repair revenue of one month (维修收入), the recorded fact the team
    reward reads (seed 000 目标责任书 5.1: 季度计提维修收入0.3%作为团队奖励).

    HR types it (or the system imports it); another KPI officer than the one who
    typed it confirms it; a team reward then sums the confirmed months of its
    quarter, and nobody who confirmed a month requests the reward of it. A
    confirmed month is locked; one figure per team and month (a unique index).
    """

    _name = "hr.kpi.team.revenue"
    _description = "KPI Team Repair Revenue"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "period_id desc, department_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(
        protected=("state", "confirmed_by_id", "confirmed_date"),
        fixed=("department_id", "period_id", "company_id"),
        locked_when=("state", ("confirmed",)),
        unlink="unlocked",
        bounds={"amount": MONEY},
    )

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Team",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Month",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain=[("period_type", "=", "monthly")],
        tracking=True,
    )
    date_from = fields.Date(related="period_id.date_from", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Repair Revenue", required=True, tracking=True, help="维修收入 of the month."
    )
    note = fields.Char(string="Source", help="Where the figure comes from (finance report).")
    state = fields.Selection(
        REVENUE_STATES, default="draft", required=True, index=True, tracking=True, copy=False
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    confirmed_date = fields.Datetime(readonly=True, copy=False)
    import_key = fields.Char(index=True, copy=False, readonly=True)

    _sql_constraints = [
        (
            "team_month_uniq",
            "unique(department_id, period_id)",
            "A team has one repair revenue per month.",
        ),
        ("import_key_uniq", "unique(import_key)", "This row was already imported."),
    ]

    @api.depends("department_id.name", "period_id.name")
    def _compute_display_name(self):
        for revenue in self:
            revenue.display_name = self.env._(
                "%(team)s · %(month)s",
                team=revenue.department_id.name or "",
                month=revenue.period_id.name or "",
            )

    @api.constrains("amount")
    def _check_amount(self):
        check_numbers(self, {"amount": MONEY})

    @api.constrains("period_id")
    def _check_month(self):
        for revenue in self:
            if revenue.period_id.period_type != "monthly":
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(period)s is not a month.",
                        field=self._fields["period_id"]._description_string(self.env),
                        period=revenue.period_id.display_name,
                    )
                )

    def _kpi_locked_message(self, locked, fnames):
        return self.env._(
            "%(revenue)s is confirmed: it no longer changes.", revenue=locked[0].display_name
        )

    @kpi_action
    def action_confirm(self):
        """Another KPI officer than the one who typed or last changed the figure
        confirms it (four-eyes)."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only HR (a KPI officer) confirms a repair revenue."))
        self.check_access("write")
        for revenue in self:
            if revenue.state != "draft":
                raise UserError(
                    self.env._("%(revenue)s is already confirmed.", revenue=revenue.display_name)
                )
            if self.env.user in (revenue.create_uid | revenue.write_uid):
                raise AccessError(
                    self.env._(
                        "%(revenue)s: who typed the figure does not confirm it; another "
                        "officer does.",
                        revenue=revenue.display_name,
                    )
                )
        self.write(
            {
                "state": "confirmed",
                "confirmed_by_id": self.env.user.id,
                "confirmed_date": fields.Datetime.now(),
            }
        )
        return True

    @kpi_action
    def action_reset_to_draft(self):
        """HR corrects a confirmed figure, unless a team reward requested on it holds it."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(self.env._("Only HR (a KPI officer) corrects a repair revenue."))
        self.check_access("write")
        used = (
            self.env["hr.kpi.team.reward"]
            .sudo()
            .search(
                [
                    ("department_id", "in", self.department_id.ids),
                    ("state", "in", ("requested", "approved")),
                    ("period_id.date_from", "<=", max(self.mapped("date_from"))),
                    ("period_id.date_to", ">=", min(self.mapped("date_from"))),
                ],
                limit=1,
            )
        )
        if used:
            raise UserError(
                self.env._(
                    "The team reward %(reward)s was requested on these figures: refuse it first.",
                    reward=used.name,
                )
            )
        self.write({"state": "draft", "confirmed_by_id": False, "confirmed_date": False})
        return True

    @api.model
    def _quarter_revenue(self, department, quarter):
        """(confirmed amount summed, confirmed records, months without a confirmed
        figure as period-less month starts) of the team over the quarter (superuser:
        the reward's step reads them after its own checks)."""
        records = self.sudo().search(
            [
                ("department_id", "=", department.id),
                ("state", "=", "confirmed"),
                ("date_from", ">=", quarter.date_from),
                ("date_from", "<=", quarter.date_to),
            ]
        )
        starts = set(records.mapped("date_from"))
        month = quarter.date_from.replace(day=1)
        missing = []
        while month <= quarter.date_to:
            if month not in starts:
                missing.append(month)
            month += relativedelta(months=1)
        return math.fsum(records.mapped("amount")), records, missing
