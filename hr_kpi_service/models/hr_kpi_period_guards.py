"""Period steps wait for their data (issue 20, finding 4): what a quarter's or a year's
results, a star review, a team reward and a payslip batch still miss, named before
they run (the rules are engine/readiness.py)."""

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..engine import KpiEngineError
from ..engine.readiness import check_quarter_ended, month_gaps, pool_gaps, required_months
from .hr_kpi_result import AGGREGATED_STATES
from .hr_payslip import PAYABLE_STATES

OFFICER = "hr_kpi_service.group_kpi_officer"


class HrKpiPeriod(models.Model):
    _inherit = "hr.kpi.period"

    # ------------------------------------------------------------------
    # Results: every month in them approved and published
    # ------------------------------------------------------------------
    def _first_evaluated_month(self):
        """The first month the company evaluated (a company starting mid-year has
        results from then on)."""
        first = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("period_id.period_type", "=", "monthly"),
                ],
                order="period_date_from",
                limit=1,
            )
        )
        return first.period_date_from or None

    def _results_gaps(self):
        """{quarter or year: [what is missing]} of these periods (others: none)."""
        gaps = {}
        for period in self.filtered(lambda p: p.period_type in ("quarterly", "annual")):
            starts, start = [], period.date_from
            while start <= period.date_to:
                starts.append(start)
                start += relativedelta(months=1)
            required = required_months(starts, period._first_evaluated_month())
            if not required:
                gaps[period] = [
                    self.env._("%(period)s has no evaluated month.", period=period.name)
                ]
                continue
            months = {
                month.date_from: month
                for month in self.search(
                    [
                        ("company_id", "=", period.company_id.id),
                        ("period_type", "=", "monthly"),
                        ("date_from", "in", required),
                    ]
                )
            }
            counts = {
                (month.id, state in AGGREGATED_STATES): count
                for month, state, count in self.env["hr.kpi.evaluation"]
                .sudo()
                ._read_group(
                    [("period_id", "in", [m.id for m in months.values()])],
                    ["period_id", "state"],
                    ["__count"],
                )
            }
            facts = []
            for start in required:
                month = months.get(start)
                name = month.name if month else self._period_name(start, "monthly")
                done = counts.get((month.id, True), 0) if month else 0
                still_open = counts.get((month.id, False), 0) if month else 0
                facts.append((name, done + still_open, still_open))
            texts = []
            for name, reason, count in month_gaps(facts):
                if reason == "none":
                    texts.append(self.env._("%(month)s has no evaluations yet", month=name))
                else:
                    texts.append(
                        self.env._(
                            "%(month)s: %(count)s evaluations not approved and published yet",
                            month=name,
                            count=count,
                        )
                    )
            if texts:
                gaps[period] = texts
        return gaps

    def _results_gaps_text(self, gaps):
        return "\n".join(
            f"• {period.name}: {'; '.join(texts)}"
            for period, texts in sorted(gaps.items(), key=lambda item: item[0].date_from)
        )

    def _results_targets(self):
        return self._aggregated_periods().filtered(
            lambda p: p.period_type in ("quarterly", "annual")
        )

    def _check_results_complete(self):
        """Refuse Aggregate Results when none of its quarters and years is complete,
        naming what each misses."""
        targets = self._results_targets()
        gaps = targets._results_gaps()
        if targets and set(targets) <= set(gaps):
            raise UserError(
                self.env._(
                    "Aggregate Results: the results count once every month in them is "
                    "approved and published. Missing:\n%(missing)s\nRun Provisional "
                    "Results for figures to date (marked provisional, no consequences).",
                    missing=self._results_gaps_text(gaps),
                )
            )

    # ------------------------------------------------------------------
    # Quarter steps: after the quarter
    # ------------------------------------------------------------------
    def _check_quarter_ended(self, step):
        """Refuse `step` of this quarter before it has ended."""
        self.ensure_one()
        try:
            check_quarter_ended(self.date_to, fields.Date.context_today(self), step)
        except KpiEngineError as err:
            raise UserError(
                self.env._(
                    "%(period)s: %(reason)s",
                    period=self.name,
                    reason=self.env._(err.message, **err.params),
                )
            ) from err

    # ------------------------------------------------------------------
    # Payslips: evaluations and commission months of the month
    # ------------------------------------------------------------------
    def _payslip_evaluation_gaps(self, employees):
        """[what the payslips of `employees` miss of this period's evaluations]."""
        texts = []
        Evaluation = self.env["hr.kpi.evaluation"].sudo()
        evaluations = Evaluation.search(
            [("period_id", "=", self.id), ("employee_id", "in", employees.ids)]
        )
        without = (Evaluation._generate_employees(self) & employees) - evaluations.employee_id
        if without:
            texts.append(
                self.env._(
                    "%(count)s employees have no evaluation of %(month)s: %(names)s",
                    count=len(without),
                    month=self.name,
                    names=", ".join(without.sorted("name").mapped("name")),
                )
            )
        unapproved = evaluations.filtered(lambda e: e.state not in PAYABLE_STATES)
        if unapproved:
            texts.append(
                self.env._(
                    "%(count)s evaluations are not approved (no KPI pay for them): %(names)s",
                    count=len(unapproved),
                    names=", ".join(unapproved.employee_id.sorted("name").mapped("name")),
                )
            )
        unsigned = (evaluations - unapproved).filtered("signoff_pending")
        if unsigned:
            texts.append(
                self.env._(
                    "%(count)s evaluations of %(period)s wait for their results sheet's "
                    "sign-off (no KPI pay for them until the last signature): %(names)s",
                    count=len(unsigned),
                    period=self.name,
                    names=", ".join(unsigned.employee_id.sorted("name").mapped("name")),
                )
            )
        return texts

    def _payslip_gaps(self, employees):
        """[what the month's payslips of `employees` would miss]: evaluations (of the
        month, and of the quarter the month ends) not generated, not approved or
        waiting for their results sheet's sign-off, advisors' months not confirmed,
        and commission groups whose pool the present members would share alone."""
        self.ensure_one()
        texts = []
        for period in self | self.env["hr.payslip"]._kpi_quarter_ending(self):
            texts += period._payslip_evaluation_gaps(employees)
        groups = (
            self.env["hr.kpi.commission.group"].sudo().search([("member_ids", "in", employees.ids)])
        )
        if groups:
            confirmed = (
                self.env["hr.kpi.commission.month"]
                .sudo()
                .search(
                    [
                        ("period_id", "=", self.id),
                        ("group_id", "in", groups.ids),
                        ("confirmed", "=", True),
                    ]
                )
            )
            facts = {
                group: (
                    set(group.member_ids.mapped("name")),
                    set(
                        confirmed.filtered(lambda m, g=group: m.group_id == g).employee_id.mapped(
                            "name"
                        )
                    ),
                )
                for group in groups
            }
            missing_own = [
                member.name
                for group in groups
                for member in group.member_ids & employees
                if member.name not in facts[group][1]
            ]
            if missing_own:
                texts.append(
                    self.env._(
                        "No confirmed commission month of %(month)s (no commission): %(names)s",
                        month=self.name,
                        names=", ".join(sorted(missing_own)),
                    )
                )
            for group, missing in pool_gaps(facts).items():
                texts.append(
                    self.env._(
                        "%(group)s: %(missing)s have no confirmed month of %(month)s, so "
                        "%(present)s would share the group's whole pool.",
                        group=group.name,
                        missing=", ".join(missing),
                        month=self.name,
                        present=", ".join(sorted(facts[group][1])),
                    )
                )
        return texts

    # ------------------------------------------------------------------
    # The month's checklist on the cockpit
    # ------------------------------------------------------------------
    check_missing_evaluation_count = fields.Integer(
        string="Employees Without Evaluation", compute="_compute_checklist"
    )
    check_pending_rating_count = fields.Integer(
        string="Ratings Pending", compute="_compute_checklist"
    )
    check_missing_value_count = fields.Integer(
        string="Lines Without Value", compute="_compute_checklist"
    )
    check_unapproved_count = fields.Integer(
        string="Evaluations Not Approved", compute="_compute_checklist"
    )
    check_unpublished_count = fields.Integer(
        string="Approved, Not Published", compute="_compute_checklist"
    )
    check_commission_count = fields.Integer(
        string="Commission Months Not Confirmed", compute="_compute_checklist"
    )
    check_results_missing = fields.Text(string="Results Waiting For", compute="_compute_checklist")
    check_done = fields.Boolean(string="Month Complete", compute="_compute_checklist")

    def _checklist_records(self, item):
        """The records behind one item of the month's checklist (the user's rights)."""
        self.ensure_one()
        Evaluation = self.env["hr.kpi.evaluation"]
        open_states = ("draft", "self_assessment", "rating", "hr_review")
        if item == "missing_evaluation":
            eligible = Evaluation.sudo()._generate_employees(self)
            present = Evaluation.sudo().search([("period_id", "=", self.id)]).employee_id
            return self.env["hr.employee"].browse((eligible - present).ids)
        if item == "pending_rating":
            return self.env["hr.kpi.rating"].search(
                [("evaluation_id.period_id", "=", self.id), ("state", "=", "todo")]
            )
        if item == "missing_value":
            return (
                self.env["hr.kpi.evaluation.line"]
                .search(
                    [
                        ("evaluation_id.period_id", "=", self.id),
                        ("evaluation_id.state", "in", open_states),
                        ("has_actual", "=", False),
                    ]
                )
                .filtered(lambda line: not line.no_rater)
            )
        if item == "unapproved":
            return Evaluation.search([("period_id", "=", self.id), ("state", "in", open_states)])
        if item == "unpublished":
            return Evaluation.search([("period_id", "=", self.id), ("state", "=", "approved")])
        if item == "commission":
            return self.env["hr.kpi.commission.month"].search(
                [("period_id", "=", self.id), ("confirmed", "=", False)]
            )
        raise UserError(self.env._("Unknown checklist item %(item)s.", item=item))

    def _compute_checklist(self):
        for period in self:
            if period.period_type != "monthly" or not period.id:
                period.update(
                    {
                        "check_missing_evaluation_count": 0,
                        "check_pending_rating_count": 0,
                        "check_missing_value_count": 0,
                        "check_unapproved_count": 0,
                        "check_unpublished_count": 0,
                        "check_commission_count": 0,
                        "check_results_missing": False,
                        "check_done": False,
                    }
                )
                continue
            counts = {
                item: len(period._checklist_records(item))
                for item in (
                    "missing_evaluation",
                    "pending_rating",
                    "missing_value",
                    "unapproved",
                    "unpublished",
                    "commission",
                )
            }
            gaps = period._results_targets()._results_gaps()
            period.update(
                {f"check_{item}_count": count for item, count in counts.items()}
                | {
                    "check_results_missing": period._results_gaps_text(gaps) or False,
                    "check_done": not any(counts.values()),
                }
            )

    def action_open_checklist(self):
        """The records of the checklist item named in the context (a filter of what
        the user may read, not a permission)."""
        self.ensure_one()
        item = self.env.context.get("checklist_item")
        records = self._checklist_records(item)
        views = (
            [(self.env.ref("hr_kpi_service.hr_kpi_evaluation_line_view_list_missing").id, "list")]
            if item == "missing_value"
            else [(False, "list"), (False, "form")]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("%(period)s: to do", period=self.name),
            "res_model": records._name,
            "view_mode": "list,form",
            "views": views,
            "domain": [("id", "in", records.ids)],
            "context": {"create": False},
        }
