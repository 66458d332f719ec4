from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .hr_kpi_protected_mixin import kpi_action

PERIOD_TYPES = [
    ("monthly", "Month"),
    ("quarterly", "Quarter"),
    ("semiannual", "Half-year"),
    ("annual", "Year"),
]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
# The period a period rolls up into (a month into its quarter, a quarter into its year).
PARENT_TYPE = {"monthly": "quarterly", "quarterly": "annual", "semiannual": "annual"}


class HrKpiPeriod(models.Model):
    """An evaluation period (考核周期) of one company."""

    _name = "hr.kpi.period"
    _description = "KPI Period"
    _order = "date_from desc, period_type"
    _check_company_auto = True

    name = fields.Char(required=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="monthly")
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    parent_id = fields.Many2one(
        "hr.kpi.period",
        string="Rolls Up Into",
        check_company=True,
        ondelete="restrict",
        help="A month's quarter, a quarter's year.",
    )
    child_ids = fields.One2many("hr.kpi.period", "parent_id", string="Sub-periods")
    collection_date_from = fields.Date(
        string="Data Collection From", help="Seed 001: the 10th of the following month."
    )
    collection_date_to = fields.Date(
        string="Data Collection To", help="Seed 001: the 15th of the following month."
    )
    pay_date = fields.Date(help="Seed 001: bonuses are paid by the 20th of the following month.")
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")], default="open", required=True
    )

    _sql_constraints = [
        (
            "period_uniq",
            "unique(company_id, period_type, date_from)",
            "This period already exists for the company.",
        ),
    ]

    @api.constrains("date_from", "date_to", "period_type")
    def _check_dates(self):
        for period in self:
            if period.date_from > period.date_to:
                raise ValidationError(
                    self.env._("Period %(name)s ends before it starts.", name=period.name)
                )
            expected = period.date_from + relativedelta(
                months=PERIOD_MONTHS[period.period_type], days=-1
            )
            if period.date_from.day != 1 or period.date_to != expected:
                raise ValidationError(
                    self.env._(
                        "Period %(name)s must run from the first day of a month to the "
                        "last day of its %(months)s month(s).",
                        name=period.name,
                        months=PERIOD_MONTHS[period.period_type],
                    )
                )

    # What a period is: once evaluations belong to it, their pay month follows from
    # these fields, so they no longer change (collection and pay dates still may).
    FROZEN_FIELDS = ("period_type", "date_from", "date_to", "company_id", "parent_id")

    def write(self, vals):
        frozen = [name for name in self.FROZEN_FIELDS if name in vals]
        if frozen and not self.env.su:
            used = self.env["hr.kpi.evaluation"].sudo().search(
                [("period_id", "in", self.ids)], limit=1
            )
            if used:
                raise UserError(
                    self.env._(
                        "The period %(period)s already has evaluations: %(fields)s no longer "
                        "change.",
                        period=used.period_id.name,
                        fields=", ".join(
                            self._fields[name]._description_string(self.env) for name in frozen
                        ),
                    )
                )
        return super().write(vals)

    @api.model
    def _period_start(self, day, period_type):
        months = PERIOD_MONTHS[period_type]
        first_month = (day.month - 1) // months * months + 1
        return date(day.year, first_month, 1)

    @api.model
    def _period_name(self, start, period_type):
        if period_type == "monthly":
            return self.env._("%(year)s-%(month)02d", year=start.year, month=start.month)
        if period_type == "quarterly":
            return self.env._(
                "%(year)s Q%(quarter)s", year=start.year, quarter=(start.month + 2) // 3
            )
        if period_type == "semiannual":
            return self.env._("%(year)s H%(half)s", year=start.year, half=(start.month + 5) // 6)
        return str(start.year)

    @api.model
    def _default_dates(self, start, period_type):
        """Collection 10th-15th and pay date 20th of the month after the period (seed 001)."""
        company = self.env.company
        end = start + relativedelta(months=PERIOD_MONTHS[period_type], days=-1)
        following = end + relativedelta(days=1)
        return {
            "date_from": start,
            "date_to": end,
            "collection_date_from": following.replace(day=company.kpi_collection_day_from),
            "collection_date_to": following.replace(day=company.kpi_collection_day_to),
            "pay_date": following.replace(day=company.kpi_pay_day),
        }

    @api.model
    def _get_or_create(self, day, period_type="monthly", company=None):
        """The period of `period_type` containing `day`, created with its parents if needed."""
        company = company or self.env.company
        start = self._period_start(day, period_type)
        period = self.search(
            [
                ("company_id", "=", company.id),
                ("period_type", "=", period_type),
                ("date_from", "=", start),
            ],
            limit=1,
        )
        if period:
            return period
        parent = False
        if period_type in PARENT_TYPE:
            parent = self._get_or_create(day, PARENT_TYPE[period_type], company)
        vals = self.with_company(company)._default_dates(start, period_type)
        vals.update(
            name=self._period_name(start, period_type),
            period_type=period_type,
            company_id=company.id,
            parent_id=parent.id if parent else False,
        )
        return self.create(vals)

    def _months(self):
        """The monthly periods inside these periods (a year through its quarters)."""
        months = self.filtered(lambda p: p.period_type == "monthly")
        others = self - months
        if others:
            months |= self.search(
                [
                    ("period_type", "=", "monthly"),
                    ("company_id", "in", others.company_id.ids),
                    ("date_from", ">=", min(others.mapped("date_from"))),
                    ("date_to", "<=", max(others.mapped("date_to"))),
                ]
            ).filtered(
                lambda m: any(
                    p.company_id == m.company_id
                    and p.date_from <= m.date_from
                    and m.date_to <= p.date_to
                    for p in others
                )
            )
        return months

    @kpi_action
    def action_aggregate(self):
        """Quarterly and annual results of these periods (officers only)."""
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer aggregates results."))
        quarters = self.filtered(lambda p: p.period_type == "quarterly")
        years = self.filtered(lambda p: p.period_type == "annual")
        results = self.env["hr.kpi.result"]._aggregate(quarters | years.child_ids)
        results |= self.env["hr.kpi.result"]._aggregate(years)
        self.env["hr.kpi.consequence"]._detect_annual(results)
        return True

    # Seed 000 服务经理 profit pool: the month's figures, supplied by finance.
    pool_gross_profit = fields.Float(
        string="Gross Profit",
        digits="Payroll",
        help="The month's actual gross profit (总实际毛利), for the profit pool (KPI_POOL).",
    )
    pool_revenue = fields.Float(
        string="Revenue",
        digits="Payroll",
        help="The month's actual revenue (总实营金额), for the profit pool (KPI_POOL).",
    )
