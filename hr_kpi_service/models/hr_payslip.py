"""Payroll bridge: KPI results as OCA payroll input lines (DESIGN §7).

The shipped structure "Customer service" declares one ``hr.rule.input`` per KPI
code; its rules read ``inputs.CODE.amount``. This module fills those inputs:

* ``action_add_kpi_lines()`` on payslips and payslip batches replaces the input
  lines whose code is a KPI code (other inputs are left alone), so running it
  again, after a recompute or after a score changed, never duplicates a line;
* ``get_inputs()`` fills the same amounts when OCA payroll builds a payslip's
  inputs itself (employee / dates / structure onchanges, the batch wizard).

Every amount comes from ``engine.pay`` (and ``engine.stars`` for probation);
the ORM only gathers the facts, for all payslips at once, with a constant
number of queries.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import (
    LEAD_PROBATION_FLOOR,
    REP_PROBATION_FLOOR,
    KpiEngineError,
    annual_bonus,
    check_result_table,
    complaint_cut,
    deferral,
    low_score_cut,
    performance_pay,
    probation_score,
    profit_pool,
    result_table_rate,
    star_pay,
)
from .hr_kpi_evaluation import LOCKED_STATES
from .hr_kpi_star_level import LEAD
from .hr_kpi_star_review import ATTENDANCE_INCIDENT_TYPES

# Payslip input codes (DESIGN §7, §10: stable names).
KPI_STAR = "KPI_STAR"  # star performance pay x month score %
KPI_PERF = "KPI_PERF"  # performance pay / commission base x score % (or result table)
KPI_LOW = "KPI_LOW"  # score < 60: -30 % of the performance pay; result table < 70: fixed pay cut
KPI_ATT = "KPI_ATT"  # full-attendance bonus
KPI_AWARD = "KPI_AWARD"  # monthly awards (服务明星, 进步之星, 效能之星, ranking awards)
KPI_ANNUAL = "KPI_ANNUAL"  # annual bonus base x annual score %
KPI_COMPLAINT = "KPI_COMPLAINT"  # commission cut for complaints (and reception score)
KPI_DEFER = "KPI_DEFER"  # commission above the base salary held to year end (positive)
KPI_POOL = "KPI_POOL"  # profit pool share
KPI_CODES = (
    KPI_STAR,
    KPI_PERF,
    KPI_LOW,
    KPI_ATT,
    KPI_AWARD,
    KPI_ANNUAL,
    KPI_COMPLAINT,
    KPI_DEFER,
    KPI_POOL,
)
# Evaluations that pay: approved and later (their scores are locked).
PAYABLE_STATES = LOCKED_STATES
# Payslips that may still change.
OPEN_PAYSLIP_STATES = ("draft", "verify")
PAYROLL_GROUP = "payroll.group_payroll_user"
# Recorded facts (hr.kpi.incident type codes) read by the pay formulas.
COMPLAINT_TYPES = ("valid_complaint", "major_complaint", "attitude_complaint")
ABSENCE_TYPES = ("absenteeism",)
INCIDENT_TYPES = COMPLAINT_TYPES + ATTENDANCE_INCIDENT_TYPES + ABSENCE_TYPES


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    kpi_evaluation_id = fields.Many2one(
        "hr.kpi.evaluation",
        string="KPI Evaluation",
        compute="_compute_kpi_evaluation_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        groups=PAYROLL_GROUP,
        domain=f"[('employee_id', '=', employee_id), ('state', 'in', {list(PAYABLE_STATES)})]",
        help="The employee's approved monthly evaluation for the payslip's month; its score "
        "sets the KPI input lines.",
    )
    kpi_score = fields.Float(
        related="kpi_evaluation_id.total_score", string="KPI Score", groups=PAYROLL_GROUP
    )
    kpi_grade = fields.Char(
        related="kpi_evaluation_id.grade", string="KPI Grade", groups=PAYROLL_GROUP
    )
    kpi_vetoed = fields.Boolean(
        related="kpi_evaluation_id.vetoed", string="KPI Veto", groups=PAYROLL_GROUP
    )
    kpi_stars = fields.Integer(
        string="Star",
        compute="_compute_kpi_stars",
        compute_sudo=True,
        groups=PAYROLL_GROUP,
        help="The employee's effective star of the month (star review and monthly adjustments).",
    )

    # ------------------------------------------------------------------
    # Evaluation link
    # ------------------------------------------------------------------
    @api.depends("employee_id", "date_from", "date_to", "company_id")
    def _compute_kpi_evaluation_id(self):
        slips = self.filtered(lambda s: s.employee_id and s.date_from and s.date_to)
        (self - slips).kpi_evaluation_id = False
        groups = defaultdict(list)
        for slip in slips:
            groups[(slip.date_from, slip.date_to)].append(slip)
        for (date_from, date_to), members in groups.items():
            group = self.concat(*members)
            found = self._kpi_evaluations(group.employee_id, group.company_id, date_from, date_to)
            for slip in group:
                evaluation = found.get(slip.employee_id.id)
                slip.kpi_evaluation_id = (
                    evaluation if evaluation and evaluation.company_id == slip.company_id else False
                )

    @api.constrains("kpi_evaluation_id", "employee_id", "company_id")
    def _check_kpi_evaluation(self):
        for slip in self.sudo().filtered("kpi_evaluation_id"):
            if slip.kpi_evaluation_id.employee_id != slip.employee_id:
                raise ValidationError(
                    self.env._(
                        "The KPI evaluation %(evaluation)s of payslip %(payslip)s belongs to "
                        "another employee.",
                        evaluation=slip.kpi_evaluation_id.display_name,
                        payslip=slip.display_name,
                    )
                )
        self._check_company(["kpi_evaluation_id"])

    def _compute_kpi_stars(self):
        evaluations = self.kpi_evaluation_id
        star_months = {
            key: month.stars
            for key, month in self._kpi_star_months(
                evaluations.employee_id, evaluations.period_id
            ).items()
        }
        for slip in self:
            evaluation = slip.kpi_evaluation_id
            slip.kpi_stars = star_months.get(
                (evaluation.employee_id.id, evaluation.period_id.id), 0
            )

    # ------------------------------------------------------------------
    # Rights (public methods are RPC-callable: check explicitly)
    # ------------------------------------------------------------------
    @api.model
    def _kpi_check_payroll_rights(self):
        """Only payroll officers (OCA payroll's group) read KPI data into payslips."""
        if not (self.env.su or self.env.user.has_group(PAYROLL_GROUP)):
            raise AccessError(
                self.env._(
                    "Only payroll officers can add KPI lines to payslips (group %(group)s).",
                    group=self.env.ref(PAYROLL_GROUP).sudo().display_name,
                )
            )

    # ------------------------------------------------------------------
    # Public actions
    # ------------------------------------------------------------------
    def action_add_kpi_lines(self):
        """Write the KPI input lines of these payslips (replacing their KPI lines).

        Refuses done and cancelled payslips. Lines with other codes are kept.
        """
        self._kpi_check_payroll_rights()
        self.check_access("write")
        locked = self.filtered(lambda s: s.state not in OPEN_PAYSLIP_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "KPI lines can only be added to draft or waiting payslips; these are done "
                    "or cancelled: %(payslips)s",
                    payslips=", ".join(locked.mapped(lambda s: s._kpi_label())),
                )
            )
        self._kpi_add_lines()
        return True

    def _kpi_label(self):
        """How an error names a payslip: its reference, else employee and dates."""
        self.ensure_one()
        return self.number or self.env._(
            "%(employee)s (%(date_from)s – %(date_to)s)",
            employee=self.employee_id.name,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    @api.model
    def get_inputs(self, contracts, date_from, date_to):
        """OCA's inputs of the structure's rules, with the KPI codes' amounts filled.

        The batch wizard calls this on an empty payslip recordset, where OCA finds
        no structure: the KPI inputs are then taken from the contracts' structures.
        """
        res = super().get_inputs(contracts, date_from, date_to)
        if not self:
            present = {(vals.get("contract_id"), vals.get("code")) for vals in res}
            res = list(res) + [
                vals
                for vals in self._kpi_declared_inputs(contracts)
                if (vals["contract_id"], vals["code"]) not in present
            ]
        if not any(vals.get("code") in KPI_CODES for vals in res):
            return res
        self._kpi_check_payroll_rights()
        contracts.check_access("read")
        values = self._kpi_input_values(contracts, date_from, date_to)
        filled = []
        for vals in res:
            code = vals.get("code")
            if code not in KPI_CODES:
                filled.append(vals)
                continue
            key = (vals.get("contract_id"), code)
            if key in values:  # one contract per employee carries the KPI amounts
                filled.append(dict(vals, amount=values[key]))
        return filled

    # ------------------------------------------------------------------
    # Input lines
    # ------------------------------------------------------------------
    @api.model
    def _kpi_declared_inputs(self, contracts):
        """[{name, code, contract_id}] of the KPI inputs the contracts' structures declare."""
        res = []
        by_structure = {}
        for contract in contracts:
            structure = contract.struct_id
            if structure not in by_structure:
                by_structure[structure] = self._kpi_structure_inputs(structure)
            res += [
                {"name": name, "code": code, "contract_id": contract.id}
                for code, name in by_structure[structure]
            ]
        return res

    @api.model
    def _kpi_structure_inputs(self, structures):
        """[(code, name)] of the KPI inputs declared by the rules of `structures`."""
        rules = structures.get_structure_with_parents().get_all_rules()
        seen, res = set(), []
        for rule_input in rules.input_ids:
            if rule_input.code in KPI_CODES and rule_input.code not in seen:
                seen.add(rule_input.code)
                res.append((rule_input.code, rule_input.name))
        return res

    def _kpi_add_lines(self):
        """Replace the KPI input lines of `self` (open payslips) in one batch.

        One line per KPI code the payslip's structure declares and whose amount is
        not zero (a rule of an absent input computes 0, DESIGN §7).
        """
        unlinked = self.filtered(lambda s: not s.kpi_evaluation_id)
        if unlinked:  # evaluations approved since the payslip was created
            self.env.add_to_compute(self._fields["kpi_evaluation_id"], unlinked)
        declared = {}
        to_create = []
        groups = defaultdict(list)
        for slip in self:
            groups[(slip.date_from, slip.date_to)].append(slip.id)
        for (date_from, date_to), ids in groups.items():
            group = self.browse(ids)
            contracts_of = {
                slip: slip.contract_id or slip._get_employee_contracts() for slip in group
            }
            contracts = self.env["hr.contract"].union(*contracts_of.values())
            values = group._kpi_input_values(contracts, date_from, date_to)
            for slip in group:
                structure = slip.struct_id or contracts_of[slip].struct_id
                if structure not in declared:
                    declared[structure] = self._kpi_structure_inputs(structure)
                to_create += [
                    {
                        "payslip_id": slip.id,
                        "contract_id": contract.id,
                        "sequence": sequence,
                        "code": code,
                        "name": name,
                        "amount": values[(contract.id, code)],
                        "amount_qty": 0.0,
                    }
                    for contract in contracts_of[slip]
                    for sequence, (code, name) in enumerate(declared[structure], start=100)
                    if values.get((contract.id, code))
                ]
        self.input_line_ids.filtered(lambda line: line.code in KPI_CODES).unlink()
        return self.env["hr.payslip.input"].create(to_create)

    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------
    def _kpi_input_values(self, contracts, date_from, date_to):
        """{(contract id, code): amount} of every KPI code, for the contracts'
        employees over the payslip dates.

        One contract per employee (the latest started) carries the amounts: OCA
        payroll evaluates the rules once per contract and looks inputs up by code
        only, so a second contract would pay them twice or hide them. When `self`
        holds payslips, their chosen KPI evaluation wins over the one found.
        Facts are read for all contracts at once, as superuser (the callers check
        the payroll group), with a constant number of queries.
        """
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        contracts = contracts.sudo()
        primary = {}
        for contract in contracts.sorted(lambda c: (c.date_start or date_from, c.id)):
            primary[contract.employee_id.id] = contract
        if not primary:
            return {}
        facts = self._kpi_facts(contracts, date_from, date_to)
        settings = {company: company._kpi_pay_settings() for company in contracts.company_id}
        values = {}
        for contract in primary.values():
            try:
                amounts = self._kpi_amounts(contract, facts, settings[contract.company_id])
            except KpiEngineError as err:
                raise UserError(
                    self.env._(
                        "KPI lines of %(employee)s: %(reason)s",
                        employee=contract.employee_id.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
            values.update({(contract.id, code): amount for code, amount in amounts.items()})
        return values

    @api.model
    def _kpi_evaluations(self, employees, companies, date_from, date_to, months=None):
        """{employee id: evaluation}: the payable monthly evaluation of each employee
        for the month of the dates (the month overlapping them most)."""
        if months is None:
            months = self._kpi_months(companies, date_from, date_to)
        if not months:
            return {}
        evaluations = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", employees.ids),
                    ("period_id", "in", [m.id for m in months.values()]),
                    ("state", "in", PAYABLE_STATES),
                ],
                order="id desc",
            )
        )
        found = {}
        for evaluation in evaluations:
            if months.get(evaluation.company_id.id) == evaluation.period_id:
                found.setdefault(evaluation.employee_id.id, evaluation)
        return found

    @api.model
    def _kpi_months(self, companies, date_from, date_to):
        """{company id: monthly KPI period} overlapping the dates most (the later on a tie)."""
        periods = (
            self.env["hr.kpi.period"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("period_type", "=", "monthly"),
                    ("date_from", "<=", date_to),
                    ("date_to", ">=", date_from),
                ]
            )
        )

        def overlap(period):
            days = (min(period.date_to, date_to) - max(period.date_from, date_from)).days
            return (days, period.date_from)

        months = {}
        for period in periods:
            best = months.get(period.company_id.id)
            if not best or overlap(period) > overlap(best):
                months[period.company_id.id] = period
        return months

    def _kpi_facts(self, contracts, date_from, date_to):
        """Everything the pay formulas need for `contracts` (sudo), in constant queries."""
        env = self.sudo().env
        employees = contracts.employee_id
        companies = contracts.company_id
        months = self._kpi_months(companies, date_from, date_to)
        evaluations = self._kpi_evaluations(employees, companies, date_from, date_to, months)
        for slip in self.sudo():
            chosen = slip.kpi_evaluation_id
            if chosen and chosen.state in PAYABLE_STATES:
                evaluations[slip.employee_id.id] = chosen
        periods = env["hr.kpi.period"].union(
            *months.values(), *(e.period_id for e in evaluations.values())
        )
        return {
            "months": months,
            "evaluations": evaluations,
            "stars": self._kpi_star_months(employees, periods),
            "awards": self._kpi_awards(employees, periods),
            "annual": self._kpi_annual_scores(contracts, date_from, date_to),
            "incidents": self._kpi_incident_counts(employees, date_from, date_to),
            "leaves": self._kpi_leave_counts(employees, date_from, date_to),
            "pool_holders": self._kpi_pool_holders(contracts, date_from, date_to),
        }

    @api.model
    def _kpi_star_months(self, employees, periods):
        """{(employee id, period id): hr.kpi.star.month} (star reviews, when installed)."""
        if not periods:
            return {}
        records = (
            self.env["hr.kpi.star.month"]
            .sudo()
            .search([("employee_id", "in", employees.ids), ("period_id", "in", periods.ids)])
        )
        return {(m.employee_id.id, m.period_id.id): m for m in records}

    @api.model
    def _kpi_awards(self, employees, periods):
        """{(employee id, period id): total of the month's awards}."""
        if not periods:
            return {}
        groups = (
            self.env["hr.kpi.award"]
            .sudo()
            ._read_group(
                [("employee_id", "in", employees.ids), ("period_id", "in", periods.ids)],
                ["employee_id", "period_id"],
                ["amount:sum"],
            )
        )
        return {(employee.id, period.id): total for employee, period, total in groups}

    @api.model
    def _kpi_annual_scores(self, contracts, date_from, date_to):
        """{employee id: annual score} of the KPI years ending within the dates:
        the annual result (mean of the quarters), else an approved annual evaluation."""
        employees = contracts.filtered("kpi_annual_bonus_base").employee_id
        if not employees:
            return {}
        domain = [
            ("employee_id", "in", employees.ids),
            ("period_id.period_type", "=", "annual"),
            ("period_id.date_to", ">=", date_from),
            ("period_id.date_to", "<=", date_to),
        ]
        scores = {}
        evaluations = (
            self.env["hr.kpi.evaluation"]
            .sudo()
            .search([*domain, ("state", "in", PAYABLE_STATES)], order="id")
        )
        for evaluation in evaluations:
            scores[evaluation.employee_id.id] = evaluation.total_score
        for result in self.env["hr.kpi.result"].sudo().search(domain, order="id"):
            scores[result.employee_id.id] = result.score
        return scores

    @api.model
    def _kpi_incident_counts(self, employees, date_from, date_to):
        """{(employee id, type code): confirmed incidents within the dates}."""
        groups = (
            self.env["hr.kpi.incident"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", employees.ids),
                    ("confirmed", "=", True),
                    ("type_code", "in", INCIDENT_TYPES),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                ["employee_id", "type_code"],
                ["__count"],
            )
        )
        return {(employee.id, code): count for employee, code, count in groups}

    @api.model
    def _kpi_leave_counts(self, employees, date_from, date_to):
        """{employee id: approved time off overlapping the dates}, of the types each
        company counts for attendance: the star review's own count (one query per
        company)."""
        Review = self.env["hr.kpi.star.review"]
        counts = {}
        for company in employees.company_id:
            counts.update(
                Review._leave_counts(
                    employees.filtered(lambda e, c=company: e.company_id == c),
                    date_from,
                    date_to,
                    company,
                )
            )
        return counts

    @api.model
    def _kpi_pool_holders(self, contracts, date_from, date_to):
        """{company id: contracts holding a profit pool position within the dates}."""
        pooled = contracts.filtered("kpi_pool_position")
        if not pooled:
            return {}
        holders = (
            self.env["hr.contract"]
            .sudo()
            .search(
                [
                    ("company_id", "in", pooled.company_id.ids),
                    ("kpi_pool_position", "!=", False),
                    ("state", "in", ("open", "close")),
                    ("date_start", "<=", date_to),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", date_from),
                ]
            )
        )
        res = defaultdict(lambda: self.env["hr.contract"])
        for contract in holders | pooled:
            res[contract.company_id.id] |= contract
        return res

    @api.model
    def _kpi_probation_floor(self, star_month):
        """Seed 003: a probation month counts as at least 70 (reps) or 80 (leads)."""
        return LEAD_PROBATION_FLOOR if star_month.role == LEAD else REP_PROBATION_FLOOR

    @api.model
    def _kpi_full_attendance(self, employee_id, facts, settings):
        """Seed 003 全勤: no absenteeism, and at most the company's number of attendance
        events (approved time off, late arrivals, early leaves) in the month."""
        incidents = facts["incidents"]
        if any(incidents.get((employee_id, code), 0) for code in ABSENCE_TYPES):
            return False
        events = facts["leaves"].get(employee_id, 0) + sum(
            incidents.get((employee_id, code), 0) for code in ATTENDANCE_INCIDENT_TYPES
        )
        return events <= settings["attendance_limit"]

    @api.model
    def _kpi_commission_cuts(self, contract, commission, score, facts, settings):
        """KPI_COMPLAINT and KPI_DEFER of a commission (seed 000)."""
        employee_id = contract.employee_id.id
        complaints = sum(facts["incidents"].get((employee_id, code), 0) for code in COMPLAINT_TYPES)
        return {
            KPI_COMPLAINT: complaint_cut(
                commission,
                complaints,
                settings["complaint_steps"],
                score if contract.kpi_reception_staff else None,
                settings["reception_threshold"],
                settings["reception_cut"],
            ),
            KPI_DEFER: deferral(commission, contract.wage, settings["deferral"]),
        }

    @api.model
    def _kpi_amounts(self, contract, facts, settings):
        """{code: amount} of one contract, every amount from the engine."""
        employee_id = contract.employee_id.id
        evaluation = facts["evaluations"].get(employee_id)
        period = evaluation.period_id if evaluation else facts["months"].get(contract.company_id.id)
        amounts = dict.fromkeys(KPI_CODES, 0.0)
        if evaluation:
            amounts.update(self._kpi_score_amounts(contract, evaluation, facts, settings))
        if self._kpi_full_attendance(employee_id, facts, settings):
            amounts[KPI_ATT] = settings["attendance_bonus"]
        if period:
            amounts[KPI_AWARD] = facts["awards"].get((employee_id, period.id), 0.0)
        annual = facts["annual"].get(employee_id)
        if annual is not None and contract.kpi_annual_bonus_base:
            amounts[KPI_ANNUAL] = annual_bonus(contract.kpi_annual_bonus_base, annual)
        return amounts

    @api.model
    def _kpi_score_amounts(self, contract, evaluation, facts, settings):
        """The amounts that follow from the month's score: star pay, performance pay
        and their cuts, commission cuts, profit pool."""
        score = evaluation.total_score
        # A veto item not achieved zeroes the rewards linked to the evaluation.
        paid = not evaluation.vetoed
        star = facts["stars"].get((contract.employee_id.id, evaluation.period_id.id))
        base = contract.kpi_performance_base
        amounts = {}
        pay_score = score
        if star and star.probation:
            pay_score = probation_score(score, self._kpi_probation_floor(star))
        amounts[KPI_STAR] = star_pay(star.pay, pay_score) if star and paid else 0.0
        if contract.kpi_performance_method == "table":
            # Seed 003 department manager: a bonus share by row; below the last row
            # no bonus and the fixed pay is cut.
            table = settings["result_table"]
            bonus_pct, _cut_pct = result_table_rate(score, table, settings["result_cut"])
            amounts[KPI_PERF] = performance_pay(base, bonus_pct) if base and paid else 0.0
            lowest = check_result_table(table)[-1][0]
            amounts[KPI_LOW] = low_score_cut(contract.wage, score, lowest, settings["result_cut"])
        else:
            amounts[KPI_PERF] = performance_pay(base, score) if base and paid else 0.0
            amounts[KPI_LOW] = low_score_cut(
                amounts[KPI_STAR] + amounts[KPI_PERF],
                pay_score,
                settings["low_threshold"],
                settings["low_cut"],
            )
            # Seed 000: complaints and the year-end deferral concern commissions.
            amounts.update(
                self._kpi_commission_cuts(contract, amounts[KPI_PERF], score, facts, settings)
            )
        amounts[KPI_POOL] = self._kpi_pool_share(contract, evaluation, facts, settings)
        return amounts

    @api.model
    def _kpi_pool_share(self, contract, evaluation, facts, settings):
        """Seed 000 profit pool: (gross profit - revenue x 34 %) x 3 % x score, split
        between the company's position holders by their coefficients (3 : 5 : 2)."""
        period = evaluation.period_id
        if not contract.kpi_pool_position or not (period.pool_gross_profit or period.pool_revenue):
            return 0.0
        coefficients = settings["pool_coefficients"]
        holders = facts["pool_holders"][contract.company_id.id]
        shares = profit_pool(
            period.pool_gross_profit,
            period.pool_revenue,
            evaluation.total_score,
            {holder.id: coefficients[holder.kpi_pool_position] for holder in holders},
            settings["pool_ratio"],
            settings["pool_pct"],
        )
        return shares[contract.id]
