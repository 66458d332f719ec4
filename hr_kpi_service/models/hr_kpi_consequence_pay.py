"""末位 and 差 reach pay through approval (seed 004 第20条 考核结果运用).

* 末位处理 (``bottom_rank``): 待岗时间至少为三天, 待岗培训期间不予发工资. HR (a KPI
  officer, never about himself) decides the standby-training days (at least 3) and
  the month they fall in; the payslip holding that month's KPI lines deducts them
  (KPI_STANDBY: −wage / the month's working days × days, ``engine/sanctions.py``).
* 工资晋升 (``salary_down``): 考核结果为差的下调一级工资. A KPI officer proposes the
  contract wage one grade down (the company's wage step, else its percentage);
  another officer who may change contracts approves it, which writes the contract's
  wage (tracked in the contract's chatter), or dismisses it with a reason. The
  contract never changes silently: the wage approved is written only while the
  contract still has the wage the proposal started from.
"""

from dataclasses import replace

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine import BOTTOM_RANK, SALARY_DOWN, KpiEngineError, check_standby_days, one_grade_down
from .hr_kpi_consequence import HrKpiConsequence as BaseConsequence
from .kpi_policy import kpi_action

OFFICER_GROUP = "hr_kpi_service.group_kpi_officer"
WAGE_FIELDS = ("contract_id", "current_wage", "proposed_wage", "wage_proposed_by_id")


class HrKpiConsequence(models.Model):
    _inherit = "hr.kpi.consequence"
    # the base policy, the proposal's wage fields protected too (a decided
    # suggestion is history, its standby days and wage included)
    _kpi_policy = replace(
        BaseConsequence._kpi_policy,
        protected=BaseConsequence._kpi_policy.protected + WAGE_FIELDS,
    )

    currency_id = fields.Many2one(related="company_id.currency_id")
    standby_days = fields.Integer(
        string="Standby Training Days",
        tracking=True,
        help="待岗培训: days of standby training HR decides (at least 3); they are unpaid "
        "and deducted on the payslip of the month chosen (KPI_STANDBY).",
    )
    standby_period_id = fields.Many2one(
        "hr.kpi.period",
        string="Standby Month",
        check_company=True,
        domain=[("period_type", "=", "monthly")],
        tracking=True,
        help="The month whose payslip deducts the standby days.",
    )
    contract_id = fields.Many2one("hr.contract", readonly=True, check_company=True, tracking=True)
    current_wage = fields.Monetary(
        string="Wage Before",
        readonly=True,
        tracking=True,
        help="The contract wage when the grade-down was proposed.",
    )
    proposed_wage = fields.Monetary(
        readonly=True,
        tracking=True,
        help="One salary grade down: the company's wage step, else its percentage.",
    )
    wage_proposed_by_id = fields.Many2one(
        "res.users", string="Proposed By", readonly=True, tracking=True
    )

    # ------------------------------------------------------------------
    # 末位: unpaid standby training
    # ------------------------------------------------------------------
    def _engine_user_error(self, err):
        return UserError(
            self.env._(
                "%(consequence)s: %(reason)s",
                consequence=self[:1].display_name,
                reason=self.env._(err.message, **err.params),
            )
        )

    @kpi_action
    def action_decide_standby(self, note=None):
        """HR decides the standby-training days of a bottom-rank suggestion: at least
        3 days, in a month of the employee's company; the suggestion is then done and
        the month's payslip deducts them."""
        self._check_can_resolve()
        for consequence in self:
            if consequence.rule != BOTTOM_RANK:
                raise UserError(
                    self.env._(
                        "%(consequence)s: standby training follows a bottom-rank result only.",
                        consequence=consequence.display_name,
                    )
                )
            month = consequence.standby_period_id
            if not month or month.period_type != "monthly":
                raise UserError(
                    self.env._(
                        "%(consequence)s: choose the month of the standby training (%(field)s).",
                        consequence=consequence.display_name,
                        field=self._fields["standby_period_id"]._description_string(self.env),
                    )
                )
            try:
                check_standby_days(consequence.standby_days)
            except KpiEngineError as err:
                raise consequence._engine_user_error(err) from err
        return self._resolve("done", note or self.env._("Standby training decided."), False)

    @api.model
    def _standby_decisions(self, employees, periods, paying_slips):
        """{employee id: decisions}: the bottom-rank decisions whose unpaid standby
        days fall in `periods` or before and no payslip other than `paying_slips`
        deducts yet (``hr.kpi.standby.deduction``): the month's own, and those HR
        decided after their month's payslip was done. One query each; superuser, the
        payroll bridge checks the payroll group."""
        if not periods:
            return {}
        decided = self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("rule", "=", BOTTOM_RANK),
                ("state", "=", "done"),
                ("standby_period_id.date_from", "<=", max(periods.mapped("date_from"))),
                ("standby_days", ">", 0),
            ],
            order="id",
        )
        deducted = set(
            self.env["hr.kpi.standby.deduction"]
            .sudo()
            .search(
                [
                    ("consequence_id", "in", decided.ids),
                    # the payslips being computed (new ones of a form have no id yet)
                    ("payslip_id", "not in", [i for i in paying_slips._origin.ids if i]),
                ]
            )
            .consequence_id.ids
        )
        res = {}
        for decision in decided:
            if decision.id not in deducted:
                res.setdefault(decision.employee_id.id, []).append(decision)
        return res

    # ------------------------------------------------------------------
    # 差: one salary grade down
    # ------------------------------------------------------------------
    def _check_salary_down(self):
        for consequence in self:
            if consequence.rule != SALARY_DOWN:
                raise UserError(
                    self.env._(
                        "%(consequence)s: only a 差 result proposes a lower wage.",
                        consequence=consequence.display_name,
                    )
                )

    @kpi_action
    def action_propose_wage_down(self):
        """A KPI officer proposes the running contract's wage one grade down."""
        self._check_can_resolve()
        self._check_salary_down()
        for consequence in self:
            contract = consequence.employee_id.sudo().contract_id
            if not contract or contract.state != "open":
                raise UserError(
                    self.env._(
                        "%(employee)s has no running contract whose wage could go down.",
                        employee=consequence.employee_id.name,
                    )
                )
            company = consequence.company_id
            try:
                lower = one_grade_down(
                    contract.wage,
                    company.kpi_salary_grade_step,
                    company.kpi_salary_grade_pct,
                    rounding=company.currency_id.rounding,
                )
            except KpiEngineError as err:
                raise consequence._engine_user_error(err) from err
            consequence.write(
                {
                    "contract_id": contract.id,
                    "current_wage": contract.wage,
                    "proposed_wage": lower,
                    "wage_proposed_by_id": self.env.user.id,
                }
            )
        return True

    @kpi_action
    def action_apply_wage_down(self, note=None):
        """Another officer, who may change contracts, approves the proposal: the
        contract's wage becomes the proposed one (tracked on the contract)."""
        self._check_can_resolve()
        self._check_salary_down()
        for consequence in self:
            if not consequence.wage_proposed_by_id:
                raise UserError(
                    self.env._(
                        "%(consequence)s: propose the lower wage first.",
                        consequence=consequence.display_name,
                    )
                )
            if consequence.wage_proposed_by_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "%(consequence)s: the officer who proposed the lower wage does not "
                        "approve it; another officer does.",
                        consequence=consequence.display_name,
                    )
                )
            contract = consequence.contract_id
            contract.check_access("write")
            currency = consequence.currency_id
            if currency.compare_amounts(contract.wage, consequence.current_wage):
                raise UserError(
                    self.env._(
                        "%(consequence)s: the contract's wage changed since the proposal "
                        "(%(before)s, now %(now)s); dismiss it and propose again.",
                        consequence=consequence.display_name,
                        before=consequence.current_wage,
                        now=contract.wage,
                    )
                )
            contract.write({"wage": consequence.proposed_wage})
            contract.message_post(
                body=self.env._(
                    "Wage one salary grade down (%(before)s → %(after)s), approved by "
                    "%(approver)s on the proposal of %(proposer)s: %(consequence)s.",
                    before=consequence.current_wage,
                    after=consequence.proposed_wage,
                    approver=self.env.user.name,
                    proposer=consequence.wage_proposed_by_id.name,
                    consequence=consequence.display_name,
                )
            )
        return self._resolve("done", note or self.env._("Wage one grade down applied."), False)
