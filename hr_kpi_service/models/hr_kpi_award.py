from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import (
    EFFICIENCY_STAR,
    EXCELLENCE,
    GOOD,
    PROGRESS_STAR,
    SERVICE_STAR,
    KpiEngineError,
    award_winners,
    full_attendance,
)
from .hr_kpi_number_checks import MONEY, check_numbers
from .hr_kpi_star_level import REP, SCHEME_STAR_ROLES, engine_message, fmt_number
from .hr_kpi_star_review import ATTENDANCE_INCIDENT_TYPES, employee_key
from .kpi_policy import KpiPolicy, kpi_action

AWARD_TYPES = [
    (SERVICE_STAR, "Service Star (服务明星)"),
    (PROGRESS_STAR, "Progress Star (进步之星)"),
    (EFFICIENCY_STAR, "Efficiency Star (效能之星)"),
    (EXCELLENCE, "Excellence (top 10 %)"),
    (GOOD, "Good Performance (10–30 %)"),
    ("five_star", "Five Stars (one-time)"),
]
# Seed 003 4.1.4: a commendation that lifts a rep to five stars earns a one-time award.
FIVE_STAR = "five_star"
# Incident types that make a rep ineligible for the monthly awards (seed 003
# 参评条件), by the engine's candidate count they feed.
INELIGIBLE_TYPES = {
    "absenteeism": ("absenteeism",),
    "unapproved_swaps": ("unapproved_swap",),
    "complaints": (
        "valid_complaint",
        "major_complaint",
        "attitude_complaint",
        "repeat_complaint",
    ),
    "major_errors": ("major_error",),
}


# Limits of the numeric fields (shared check: finite, within these bounds).
NUMBER_LIMITS = {
    "amount": MONEY,
}
# Fields only Compute Monthly Awards sets (hr.kpi.protected.mixin): an award is
# never created or changed by hand, payroll pays its amount (KPI_AWARD).
PROTECTED_FIELDS = (
    "period_id",
    "company_id",
    "award_type",
    "employee_id",
    "evaluation_id",
    "amount",
    "reason",
)


class HrKpiAward(models.Model):
    """A monthly award (月度评比): a star award among eligible reps, or a ranking award."""

    _name = "hr.kpi.award"
    _description = "KPI Award"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    _order = "period_date_from desc, award_type, employee_id"
    _check_company_auto = True
    _kpi_policy = KpiPolicy(bounds=NUMBER_LIMITS, protected=PROTECTED_FIELDS, unlink="action")

    name = fields.Char(compute="_compute_name", store=True)
    period_id = fields.Many2one(
        "hr.kpi.period",
        string="Month",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        domain=[("period_type", "=", "monthly")],
    )
    period_date_from = fields.Date(related="period_id.date_from", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    award_type = fields.Selection(AWARD_TYPES, required=True, tracking=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    department_id = fields.Many2one(related="employee_id.department_id")
    evaluation_id = fields.Many2one("hr.kpi.evaluation", check_company=True, ondelete="set null")
    amount = fields.Monetary(currency_field="currency_id", tracking=True)
    reason = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "period_type_employee_uniq",
            "unique(period_id, award_type, employee_id)",
            "An employee wins an award once a month.",
        ),
    ]

    @api.depends("award_type", "employee_id.name", "period_id.name")
    def _compute_name(self):
        labels = dict(self._fields["award_type"]._description_selection(self.env))
        for award in self:
            award.name = self.env._(
                "%(award)s %(month)s: %(employee)s",
                award=labels.get(award.award_type, ""),
                month=award.period_id.name or "",
                employee=award.employee_id.name or "",
            )

    def _kpi_unlink_message(self):
        return self.env._(
            "Awards are replaced by Compute Monthly Awards; they are not deleted one by one."
        )

    def _check_not_own(self, vals_list):
        """Four-eyes: nobody computes the awards of a month in which he wins one."""
        winners = self.env["hr.employee"].browse({vals["employee_id"] for vals in vals_list})
        own = winners.filtered(lambda employee: employee.user_id == self.env.user)
        if own:
            raise AccessError(
                self.env._(
                    "%(employee)s wins an award this month: nobody grants himself an "
                    "award; another KPI officer must compute them.",
                    employee=own[0].name,
                )
            )

    # ------------------------------------------------------------------
    @api.model
    def _compute_awards(self, period):
        """Replace the awards of a month (one company) and return them.

        The three star awards go to eligible reps through the engine's
        ``award_winners``; the ranking awards to the evaluations flagged
        excellence / good by the company ranking. Refused once the month is closed.
        """
        period.ensure_one()
        if period.period_type != "monthly":
            raise UserError(
                self.env._("Awards are given per month, not for %(period)s.", period=period.name)
            )
        if period.state == "closed":
            raise UserError(
                self.env._(
                    "The month %(month)s is closed: its awards can no longer change.",
                    month=period.name,
                )
            )
        company = period.company_id
        evaluations = self.env["hr.kpi.star.review"]._scored_evaluations(
            company, period.date_from, period.date_from
        )
        vals_list = self._star_award_values(period, evaluations)
        vals_list += self._ranking_award_values(period, evaluations)
        vals_list += self._five_star_award_values(period)
        # An award the company gives no amount for is not paid, nor created at 0 (the
        # ranking flags stay on the evaluations).
        vals_list = [vals for vals in vals_list if vals["amount"] > 0]
        self._check_not_own(vals_list)
        self.search([("period_id", "=", period.id), ("company_id", "=", company.id)]).unlink()
        return self.create(vals_list)

    def _star_award_values(self, period, evaluations):
        """The three star awards of the month among the eligible reps.

        Full attendance (参评条件 5.2.1 全勤) is the rule of the full-attendance
        bonus KPI_ATT, the engine's ``full_attendance``: seed 003 defines 全勤 once,
        as at most the company's ``kpi_full_attendance_limit`` (3) late arrivals,
        early leaves and approved time off in the month, and no absenteeism.
        """
        company = period.company_id
        reps = evaluations.filtered(lambda e: SCHEME_STAR_ROLES.get(e.scheme_id.role_type) == REP)
        if not reps:
            return []
        employees = reps.employee_id
        previous = self.env["hr.kpi.evaluation"]._previous_scores(reps)
        skills = {
            month.employee_id.id: month.skill_score
            for month in self.env["hr.kpi.star.month"].search(
                [("period_id", "=", period.id), ("employee_id", "in", employees.ids)]
            )
            if month.skill_score
        }
        leaves = self.env["hr.kpi.star.review"]._leave_counts(
            employees, period.date_from, period.date_to, company
        )
        counts = self._incident_counts(employees, period)
        limit = company.kpi_full_attendance_limit
        candidates, by_key = {}, {}
        for evaluation in reps:
            employee = evaluation.employee_id
            key = employee_key(employee)
            by_key[key] = evaluation
            late = sum(counts[employee.id].get(code, 0) for code in ATTENDANCE_INCIDENT_TYPES)
            ineligible = {
                field: sum(counts[employee.id].get(code, 0) for code in codes)
                for field, codes in INELIGIBLE_TYPES.items()
            }
            candidate = {
                "score": evaluation.total_score,
                "full_attendance": full_attendance(
                    leaves.get(employee.id, 0) + late, ineligible["absenteeism"], limit
                ),
                **ineligible,
            }
            if evaluation.id in previous:
                candidate["previous_score"] = previous[evaluation.id]
            if employee.id in skills:
                candidate["skill"] = skills[employee.id]
            candidates[key] = candidate
        try:
            winners = award_winners(candidates)
        except KpiEngineError as err:
            raise UserError(engine_message(self.env, err, subject=period.name)) from err
        amount = company.kpi_award_amount
        vals_list = []
        for award_type, key in winners.items():
            if key is None:
                continue
            evaluation = by_key[key]
            vals_list.append(
                {
                    "period_id": period.id,
                    "company_id": company.id,
                    "award_type": award_type,
                    "employee_id": evaluation.employee_id.id,
                    "evaluation_id": evaluation.id,
                    "amount": amount,
                    "reason": self._star_reason(award_type, candidates[key], len(reps), limit),
                }
            )
        return vals_list

    def _incident_counts(self, employees, period):
        """{employee id: {type code: count}} of the month's confirmed incidents (one query)."""
        codes = list(ATTENDANCE_INCIDENT_TYPES) + [
            code for codes in INELIGIBLE_TYPES.values() for code in codes
        ]
        counts = defaultdict(dict)
        for employee, code, count in self.env["hr.kpi.incident"]._read_group(
            [
                ("employee_id", "in", employees.ids),
                ("confirmed", "=", True),
                ("type_code", "in", codes),
                ("date", ">=", period.date_from),
                ("date", "<=", period.date_to),
            ],
            ["employee_id", "type_code"],
            ["__count"],
        ):
            counts[employee.id][code] = count
        return counts

    def _star_reason(self, award_type, candidate, reps, limit):
        _ = self.env._
        conditions = _(
            "Among the %(reps)s representatives scored this month, only those with full "
            "attendance (at most %(limit)s late arrivals, early leaves or approved time off "
            "in the month), no absenteeism or unapproved shift swap, no complaint and no "
            "major error compete. Ties: the higher monthly score wins, then the lower "
            "badge ID.",
            reps=reps,
            limit=limit,
        )
        if award_type == SERVICE_STAR:
            text = _("Top monthly score: %(score)s.", score=fmt_number(candidate["score"]))
        elif award_type == PROGRESS_STAR:
            text = _(
                "Largest gain over last month: %(previous)s → %(score)s.",
                previous=fmt_number(candidate["previous_score"]),
                score=fmt_number(candidate["score"]),
            )
        else:
            text = _("Top skill test result: %(skill)s.", skill=fmt_number(candidate["skill"]))
        return f"{text} {conditions}"

    def _ranking_award_values(self, period, evaluations):
        company = period.company_id
        amounts = {
            EXCELLENCE: company.kpi_excellence_award_amount,
            GOOD: company.kpi_good_award_amount,
        }
        ranked = evaluations.filtered("rank_flag")
        count = len(evaluations)
        vals_list = []
        for evaluation in ranked:
            if evaluation.rank_flag == EXCELLENCE:
                reason = self.env._(
                    "Ranked %(rank)s of %(count)s in the company: top 10 %%.",
                    rank=evaluation.rank_company,
                    count=count,
                )
            else:
                reason = self.env._(
                    "Ranked %(rank)s of %(count)s in the company: within 10–30 %%.",
                    rank=evaluation.rank_company,
                    count=count,
                )
            vals_list.append(
                {
                    "period_id": period.id,
                    "company_id": company.id,
                    "award_type": evaluation.rank_flag,
                    "employee_id": evaluation.employee_id.id,
                    "evaluation_id": evaluation.id,
                    "amount": amounts[evaluation.rank_flag],
                    "reason": reason,
                }
            )
        return vals_list

    def _five_star_award_values(self, period):
        """The one-time award of the reps whom a written commendation lifted to five
        stars this month (the month's stars must be computed first)."""
        company = period.company_id
        months = self.env["hr.kpi.star.month"].search(
            [
                ("period_id", "=", period.id),
                ("company_id", "=", company.id),
                ("one_time_award", "=", True),
            ]
        )
        reason = self.env._(
            "A written commendation lifted the star to five this month: one-time award."
        )
        return [
            {
                "period_id": period.id,
                "company_id": company.id,
                "award_type": FIVE_STAR,
                "employee_id": month.employee_id.id,
                "amount": company.kpi_five_star_award_amount,
                "reason": reason,
            }
            for month in months
        ]

    @api.model
    @kpi_action
    def _action_compute_periods(self, periods):
        """Server action on periods: replace the awards of their months (officers,
        never for a month in which the officer himself wins an award)."""
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only a KPI officer computes awards."))
        self.check_access("write")
        awards = self.browse()
        for month in periods._months():
            awards |= self._compute_awards(month)
        return awards

    @api.constrains(*NUMBER_LIMITS)
    def _check_numbers(self):
        check_numbers(self, NUMBER_LIMITS)
