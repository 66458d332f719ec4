"""Payroll bridge: KPI results as OCA payroll input lines (DESIGN §7).

The shipped structure "Customer service" declares one ``hr.rule.input`` per KPI
code; its rules read ``inputs.CODE.amount``. This module fills those inputs:

* ``action_add_kpi_lines()`` on payslips and payslip batches replaces the input
  lines whose code is a KPI code (other inputs are left alone), so running it
  again, after a recompute or after a score changed, never duplicates a line;
* ``get_inputs()`` fills the same amounts when OCA payroll builds a payslip's
  inputs itself (employee / dates / structure onchanges, the batch wizard).

Guarantees (RELIABILITY §6.E):

* one holder (#29): OCA lets two payslips of an employee overlap; the KPI lines
  go to one of them only. A push to a second one is refused, naming the
  payslip that holds them; ``get_inputs()`` leaves them out of a second one;
* no stale confirm (#31): confirming a payslip whose KPI lines differ from the
  amounts it would get now, or whose lines changed since its sheet was
  computed (when the sheet is not recomputed on confirm), is refused;
* rounding (#33): every amount is rounded once, with the company currency.

Payroll locks (issue 10):

* paid once (#29, #38): the payslip holding an employee's KPI lines of a month is
  recorded in ``hr.kpi.payslip.allocation``, whose unique constraints (one holder
  per employee and month, one payslip per evaluation) PostgreSQL enforces across
  concurrent transactions; pushes lock the employee rows first (``FOR NO KEY
  UPDATE``), and a concurrent second push ends in a clean ValidationError;
* done and cancelled payslips refuse changes to their input lines (KPI or not)
  and computed lines (create, write, unlink), recomputation (``compute_sheet``)
  and confirmation again; a done payslip is not set back to draft (refund it, or
  cancel it when payroll allows); its employee, contract, structure, dates,
  company and refund links are frozen;
* ``kpi_evaluation_id``, ``state`` and the fingerprint of the computed sheet are
  protected fields (``hr.kpi.protected.mixin``): they change only through the
  compute and the payslip actions, never by a write from a client. The evaluation
  is the one of the payslip's employee, company and month (constraint);
* two schemes: an employee with two payable evaluations in the payslip's month is
  refused, naming both evaluations, when KPI lines are built or confirmed (nothing
  is chosen silently); the payslip shows no evaluation until one is reopened.

Every amount comes from ``engine.pay`` (and ``engine.stars`` for probation);
the ORM only gathers the facts, for all payslips at once, with a constant
number of queries.
"""

from collections import defaultdict
from contextvars import ContextVar

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_repr, mute_logger

from ..engine import (
    ContractTerms,
    KpiEngineError,
    PayMonth,
    PayRules,
    full_attendance,
    pay_plan,
)
from ..engine.payplan import (
    KPI_ANNUAL,
    KPI_ATT,
    KPI_AWARD,
    KPI_CODES,
    KPI_COMPLAINT,
    KPI_DEFER,
    KPI_LOW,
    KPI_PERF,
    KPI_POOL,
    KPI_STAR,
)
from .hr_kpi_evaluation import LOCKED_STATES
from .hr_kpi_protected_mixin import kpi_action
from .hr_kpi_star_level import LEAD
from .hr_kpi_star_review import ATTENDANCE_INCIDENT_TYPES

# Payslip input codes (DESIGN §7, §10: stable names), defined by the engine's pay plan.
__all__ = [
    "KPI_ANNUAL",
    "KPI_ATT",
    "KPI_AWARD",
    "KPI_CODES",
    "KPI_COMPLAINT",
    "KPI_DEFER",
    "KPI_LOW",
    "KPI_PERF",
    "KPI_POOL",
    "KPI_STAR",
]
# Evaluations that pay: approved and later (their scores are locked).
PAYABLE_STATES = LOCKED_STATES
# Payslips that may still change.
OPEN_PAYSLIP_STATES = ("draft", "verify")
PAYROLL_GROUP = "payroll.group_payroll_user"
# Key of the batch wizard's prefetched KPI amounts in the cursor cache.
PREFETCH_KEY = "hr_kpi_service.payslip_inputs"
# Recorded facts (hr.kpi.incident type codes) read by the pay formulas.
COMPLAINT_TYPES = ("valid_complaint", "major_complaint", "attitude_complaint")
ABSENCE_TYPES = ("absenteeism",)
INCIDENT_TYPES = COMPLAINT_TYPES + ATTENDANCE_INCIDENT_TYPES + ABSENCE_TYPES
# Fields of a done payslip that only its actions (refund) change.
DONE_FROZEN_FIELDS = frozenset(
    (
        "employee_id",
        "contract_id",
        "struct_id",
        "date_from",
        "date_to",
        "company_id",
        "credit_note",
        "refunded_id",
    )
)
# Fields whose change may move the KPI lines' allocation.
ALLOCATION_FIELDS = frozenset(
    ("state", "employee_id", "date_from", "date_to", "company_id", "credit_note", "refunded_id")
)
# Set while a payslip is copied as a new payslip (not a refund): its KPI input
# lines are not copied along (they go to one payslip only).
COPY_WITHOUT_KPI = ContextVar("hr_kpi_service_copy_without_kpi", default=False)


def _kpi_month(date_from, date_to):
    """First day of the calendar month the dates overlap most (the later on a tie),
    as ``HrPayslip._kpi_months`` picks the monthly KPI period."""
    best = None
    month = date_from.replace(day=1)
    while month <= date_to:
        end = month + relativedelta(months=1, days=-1)
        key = ((min(end, date_to) - max(month, date_from)).days, month)
        best = max(best or key, key)
        month += relativedelta(months=1)
    return best[1]


def _contracts_by_employee(contracts):
    """{employee id: {contract ids}}: the same contracts of an employee give the
    same KPI amounts (one of them carries them)."""
    by_employee = defaultdict(set)
    for contract in contracts:
        by_employee[contract.employee_id.id].add(contract.id)
    return dict(by_employee)


class HrPayslip(models.Model):
    _name = "hr.payslip"
    _inherit = ["hr.payslip", "hr.kpi.protected.mixin"]
    _kpi_protected_fields = ("kpi_evaluation_id", "state", "kpi_input_fingerprint")

    kpi_evaluation_id = fields.Many2one(
        "hr.kpi.evaluation",
        string="KPI Evaluation",
        compute="_compute_kpi_evaluation_id",
        store=True,
        readonly=False,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups=PAYROLL_GROUP,
        domain=f"[('employee_id', '=', employee_id), ('state', 'in', {list(PAYABLE_STATES)})]",
        help="The employee's approved monthly evaluation for the payslip's month; its score "
        "sets the KPI input lines. Set by the payslip's employee and dates, never by hand.",
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
    kpi_input_fingerprint = fields.Char(
        string="KPI Inputs at Compute",
        readonly=True,
        copy=False,
        groups=PAYROLL_GROUP,
        help="The KPI input amounts the sheet was last computed with; a payslip whose KPI "
        "inputs changed since is not confirmed without computing the sheet again.",
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
            found = self._kpi_evaluations(
                group.employee_id, group.company_id, date_from, date_to, strict=False
            )
            for slip in group:
                evaluation = found.get(slip.employee_id.id)
                slip.kpi_evaluation_id = (
                    evaluation if evaluation and evaluation.company_id == slip.company_id else False
                )

    @api.constrains("kpi_evaluation_id", "employee_id", "company_id", "date_from", "date_to")
    def _check_kpi_evaluation(self):
        """The evaluation a payslip pays is its employee's, of its company and of
        its month (the monthly KPI period its dates overlap most; RELIABILITY #16)."""
        for slip in self.sudo().filtered("kpi_evaluation_id"):
            evaluation = slip.kpi_evaluation_id
            if evaluation.employee_id != slip.employee_id:
                raise ValidationError(
                    self.env._(
                        "The KPI evaluation %(evaluation)s of payslip %(payslip)s belongs to "
                        "another employee.",
                        evaluation=evaluation.display_name,
                        payslip=slip.display_name,
                    )
                )
            if evaluation.company_id != slip.company_id:
                raise ValidationError(
                    self.env._(
                        "The KPI evaluation %(evaluation)s (company %(company)s) cannot be "
                        "paid by payslip %(payslip)s of company %(payslip_company)s.",
                        evaluation=evaluation.display_name,
                        company=evaluation.company_id.name,
                        payslip=slip.display_name,
                        payslip_company=slip.company_id.name,
                    )
                )
            month = self._kpi_months(slip.company_id, slip.date_from, slip.date_to).get(
                slip.company_id.id
            )
            if evaluation.period_id != month:
                raise ValidationError(
                    self.env._(
                        "The KPI evaluation %(evaluation)s is of period %(period)s; payslip "
                        "%(payslip)s (%(date_from)s – %(date_to)s) pays %(month)s.",
                        evaluation=evaluation.display_name,
                        period=evaluation.period_id.display_name,
                        payslip=slip.display_name,
                        date_from=slip.date_from,
                        date_to=slip.date_to,
                        month=month.display_name if month else self.env._("no KPI month"),
                    )
                )

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
        if not self._kpi_may_read():
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

        Refuses done and cancelled payslips, and a payslip overlapping another
        payslip of the same employee that holds KPI lines (RELIABILITY #29): all
        or nothing. Lines with other codes are kept.
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
        # concurrent pushes for the same employees wait here, one after the other
        self._kpi_lock_employees()
        self._kpi_check_one_holder(pushing=True)
        self._kpi_add_lines()
        return True

    @kpi_action
    def action_payslip_done(self):
        """Refuse to confirm payslips that are not open, or whose KPI lines are
        stale (RELIABILITY #31)."""
        self._kpi_check_open("confirm")
        self._kpi_check_confirm()
        return super().action_payslip_done()

    @kpi_action
    def compute_sheet(self):
        """Compute open payslips only (OCA would put a done one back to waiting with
        new amounts), then remember the KPI input amounts the sheet was computed with."""
        self._kpi_check_open("compute")
        res = super().compute_sheet()
        self._kpi_store_fingerprints()
        return res

    @kpi_action
    def action_payslip_draft(self):
        """A done payslip is what was paid: it is refunded, or cancelled first (when
        payroll allows cancelling done payslips), never set back to draft."""
        done = self.filtered(lambda slip: slip.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "A done payslip is not set back to draft: %(payslips)s. Refund it, or "
                    "cancel it first when payroll allows cancelling done payslips.",
                    payslips=", ".join(done.mapped(lambda slip: slip._kpi_label())),
                )
            )
        return super().action_payslip_draft()

    @kpi_action
    def action_payslip_cancel(self):
        return super().action_payslip_cancel()

    @kpi_action
    def refund_sheet(self):
        return super().refund_sheet()

    def copy(self, default=None):
        """A copy does not take the KPI lines along (they go to one payslip only),
        except a refund (credit note), which must reverse them."""
        token = COPY_WITHOUT_KPI.set(not (default or {}).get("credit_note"))
        try:
            return super().copy(default)
        finally:
            COPY_WITHOUT_KPI.reset(token)

    def write(self, vals):
        """Freeze what a done payslip paid; keep the KPI lines' allocation current."""
        frozen = DONE_FROZEN_FIELDS.intersection(vals)
        if frozen and self._kpi_protection_applies():
            done = self.filtered(lambda slip: slip.state == "done")
            if done:
                labels = ", ".join(
                    self._fields[name]._description_string(self.env) for name in sorted(frozen)
                )
                raise UserError(
                    self.env._(
                        "%(fields)s of a done payslip cannot change (%(payslips)s): refund "
                        "it instead.",
                        fields=labels,
                        payslips=", ".join(done.mapped(lambda slip: slip._kpi_label())),
                    )
                )
        res = super().write(vals)
        if ALLOCATION_FIELDS.intersection(vals):
            refunded = self.sudo().search([("refunded_id", "in", self.ids)])
            (self | refunded)._kpi_sync_allocations()
        return res

    def _kpi_check_open(self, action):
        """Refuse to compute or confirm (`action`) done and cancelled payslips."""
        closed = self.filtered(lambda slip: slip.state not in OPEN_PAYSLIP_STATES)
        if not closed:
            return
        payslips = ", ".join(closed.mapped(lambda slip: slip._kpi_label()))
        if action == "compute":
            message = self.env._(
                "Only draft or waiting payslips are computed; these are done or cancelled: "
                "%(payslips)s. Refund a done payslip; set a cancelled one back to draft first.",
                payslips=payslips,
            )
        else:
            message = self.env._(
                "Only draft or waiting payslips are confirmed; these are done or cancelled: "
                "%(payslips)s. Set a cancelled payslip back to draft first.",
                payslips=payslips,
            )
        raise UserError(message)

    def _kpi_check_lines_open(self):
        """Refuse to change the input or computed lines of done or cancelled payslips."""
        locked = self.sudo().filtered(lambda slip: slip.state not in OPEN_PAYSLIP_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "The input and computed lines of a done or cancelled payslip are what was "
                    "paid: they cannot be created, changed or deleted (%(payslips)s). Refund "
                    "the payslip, or cancel it and set it back to draft first.",
                    payslips=", ".join(locked.mapped(lambda slip: slip._kpi_label())),
                )
            )

    def _kpi_check_codes_once(self):
        """One input line per KPI code and payslip (RELIABILITY #28): OCA's rules
        read ``inputs.CODE`` from a dictionary keyed by code, where a second line
        of the same code would silently hide the first."""
        for slip in self.sudo():
            codes = [line.code for line in slip.input_line_ids if line.code in KPI_CODES]
            twice = sorted({code for code in codes if codes.count(code) > 1})
            if twice:
                raise ValidationError(
                    self.env._(
                        "Payslip %(payslip)s has several input lines of %(codes)s: the salary "
                        "rules read one line per code and would drop the others. Keep one "
                        "line per KPI code (Add KPI Lines writes them so).",
                        payslip=slip._kpi_label(),
                        codes=", ".join(twice),
                    )
                )

    # ------------------------------------------------------------------
    # Paid once: the allocation table and its unique constraints
    # ------------------------------------------------------------------
    def _kpi_lock_employees(self):
        """Lock the employees' rows until the transaction ends: two pushes of KPI
        lines for one employee run one after the other (``NO KEY UPDATE`` does not
        block the rows that merely reference the employee)."""
        employees = self.sudo().employee_id
        if employees:
            self.env.cr.execute(
                "SELECT id FROM hr_employee WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                [tuple(employees.ids)],
            )

    def _kpi_allocation_vals(self):
        """The allocation row of a payslip holding KPI lines, else None."""
        self.ensure_one()
        if not (self.employee_id and self.date_from and self.date_to and self._kpi_is_holder()):
            return None
        evaluation = self.kpi_evaluation_id
        return {
            "payslip_id": self.id,
            "employee_id": self.employee_id.id,
            "company_id": self.company_id.id or self.employee_id.company_id.id,
            "month": _kpi_month(self.date_from, self.date_to),
            "evaluation_id": evaluation.id if evaluation.state in PAYABLE_STATES else False,
        }

    def _kpi_sync_allocations(self):
        """Record which of these payslips hold KPI lines (one allocation each).

        The allocation table is derived data, written as superuser; its unique
        constraints refuse a second holder of an employee's month, or a second
        payslip paying one evaluation, also when the first was written by a
        concurrent transaction: the error is a translated ValidationError."""
        slips = self.sudo().exists()
        if not slips:
            return
        slips._kpi_lock_employees()
        Allocation = self.env["hr.kpi.payslip.allocation"].sudo()
        existing = {
            allocation.payslip_id.id: allocation
            for allocation in Allocation.search([("payslip_id", "in", slips.ids)])
        }
        stale = Allocation
        to_create = []
        for slip in slips:
            vals = slip._kpi_allocation_vals()
            current = existing.get(slip.id)
            if current and vals and vals == {
                "payslip_id": slip.id,
                "employee_id": current.employee_id.id,
                "company_id": current.company_id.id,
                "month": current.month,
                "evaluation_id": current.evaluation_id.id or False,
            }:
                continue
            if current:
                stale |= current
            if vals:
                to_create.append(vals)
        if not (stale or to_create):
            return
        try:
            # the duplicate key is expected under concurrency: reported below, not logged
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                stale.unlink()
                Allocation.create(to_create)
        except psycopg2.errors.UniqueViolation as err:
            raise slips._kpi_allocation_error(err.diag.constraint_name) from err

    def _kpi_allocation_error(self, constraint):
        """The clean error of a unique constraint of the allocation table."""
        names = ", ".join(self.mapped(lambda slip: slip._kpi_label()))
        if constraint and constraint.endswith("evaluation_uniq"):
            return ValidationError(
                self.env._(
                    "An evaluation is paid once: %(payslips)s would pay %(evaluations)s, which "
                    "another payslip already pays (perhaps saved at the same moment). Reload "
                    "the payslips and check which one should pay it.",
                    payslips=names,
                    evaluations=", ".join(self.kpi_evaluation_id.mapped("display_name")),
                )
            )
        return ValidationError(
            self.env._(
                "The KPI lines of an employee go to one payslip per month: another payslip "
                "of %(employees)s already holds them for the month of %(payslips)s (perhaps "
                "saved at the same moment). Reload the payslips and try again.",
                employees=", ".join(self.employee_id.mapped("name")),
                payslips=names,
            )
        )

    @api.constrains("input_line_ids", "employee_id", "date_from", "date_to")
    def _check_kpi_one_holder(self):
        """KPI lines typed by hand or built by the forms: still one payslip only.

        Inside the batch wizard (one payslip created per employee, the holders of
        its dates read beforehand by ``_kpi_prefetch``), a new payslip is checked
        against those holders without a query each."""
        if self._kpi_holds_prefetched_dates():
            return
        self._kpi_check_one_holder(pushing=False, error=ValidationError)

    def _kpi_holds_prefetched_dates(self):
        """True when every payslip of `self` is new in the batch wizard now running:
        its dates were prefetched, its employee held no KPI lines then, and it is
        the only payslip of its employee among those created since (the wizard
        gives each employee one payslip)."""
        cache = self.env.cr.cache.get(PREFETCH_KEY)
        if not cache:
            return False
        for slip in self:
            cached = cache.get((slip.date_from, slip.date_to))
            if not cached or slip.employee_id.id in cached["held"]:
                return False
            if slip.employee_id.id in cached["created"]:
                return False
            if slip._kpi_is_holder():
                cached["created"].add(slip.employee_id.id)
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
        An employee whose KPI lines another payslip over these dates already holds
        gets no KPI input here (RELIABILITY #29): they stay on that payslip.
        """
        res = super().get_inputs(contracts, date_from, date_to)
        if not self:
            # the structure chosen on the batch, if any, else the contracts'
            batch_structure = self.env["hr.payroll.structure"].browse(
                self.env.context.get("kpi_batch_structure_id")
            )
            present = {(vals.get("contract_id"), vals.get("code")) for vals in res}
            res = list(res) + [
                vals
                for vals in self._kpi_declared_inputs(contracts, batch_structure)
                if (vals["contract_id"], vals["code"]) not in present
            ]
        if not any(vals.get("code") in KPI_CODES for vals in res):
            return res
        self._kpi_check_payroll_rights()
        contracts.check_access("read")
        prefetched = self._kpi_prefetched(contracts, date_from, date_to)
        if prefetched:
            values, held_ids = prefetched
        else:
            values = self._kpi_input_values(contracts, date_from, date_to)
            held_ids = self._kpi_holders(
                contracts.employee_id,
                fields.Date.to_date(date_from),
                fields.Date.to_date(date_to),
            ).employee_id.ids
        held_contracts = contracts.filtered(lambda c: c.employee_id.id in held_ids).ids
        filled = []
        for vals in res:
            code = vals.get("code")
            if code not in KPI_CODES:
                filled.append(vals)
                continue
            key = (vals.get("contract_id"), code)
            # one contract per employee carries the KPI amounts, on one payslip
            if key in values and key[0] not in held_contracts:
                line = values[key]
                filled.append(
                    dict(vals, amount=line.amount, kpi_explanation=line.explanation)
                )
        return filled

    # ------------------------------------------------------------------
    # Batch wizard: the KPI amounts of all its employees read at once
    # ------------------------------------------------------------------
    @api.model
    def _kpi_prefetch(self, contracts, date_from, date_to):
        """Read the KPI amounts and the holders of `contracts` over the dates once,
        for the get_inputs calls that follow (OCA's batch wizard calls it once per
        employee); kept in the cursor's cache until `_kpi_prefetch_clear`."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        values = self._kpi_input_values(contracts, date_from, date_to)
        held = self._kpi_holders(contracts.employee_id, date_from, date_to).employee_id.ids
        self.env.cr.cache.setdefault(PREFETCH_KEY, {})[(date_from, date_to)] = {
            "values": values,
            "held": set(held),
            "contracts": _contracts_by_employee(contracts),
            "created": set(),  # employees whose new payslip took the KPI lines
        }

    @api.model
    def _kpi_may_read(self):
        """Only payroll officers (and the superuser) read KPI data into payslips."""
        return self.env.su or self.env.user.has_group(PAYROLL_GROUP)

    @api.model
    def _kpi_wizard_contracts(self, employees, run):
        """The contracts OCA's ``get_payslip_vals`` passes to ``get_inputs`` for
        each employee: the current contract, or (context ``contract``) those of
        the batch dates."""
        if not self.env.context.get("contract"):
            return employees.contract_id
        contracts = self.env["hr.contract"]
        for employee in employees:
            contracts |= employee._get_contracts(date_from=run.date_start, date_to=run.date_end)
        return contracts

    @api.model
    def _kpi_prefetch_clear(self, date_from, date_to):
        key = (fields.Date.to_date(date_from), fields.Date.to_date(date_to))
        self.env.cr.cache.get(PREFETCH_KEY, {}).pop(key, None)

    def _kpi_prefetched(self, contracts, date_from, date_to):
        """(values, held employee ids) read by `_kpi_prefetch` for exactly these
        contracts of each of their employees (the same contracts give the same
        amounts), else None."""
        key = (fields.Date.to_date(date_from), fields.Date.to_date(date_to))
        cached = self.env.cr.cache.get(PREFETCH_KEY, {}).get(key)
        if not cached or self:  # a payslip's own evaluation may differ from the batch's
            return None
        asked = _contracts_by_employee(contracts)
        if any(cached["contracts"].get(emp) != ids for emp, ids in asked.items()):
            return None
        return cached["values"], cached["held"]

    # ------------------------------------------------------------------
    # One payslip holds the KPI lines (RELIABILITY #29)
    # ------------------------------------------------------------------
    def _kpi_is_holder(self):
        """Whether this payslip holds the KPI lines of its employee and dates: it has
        KPI input lines and counts (not cancelled, not a refund, not refunded)."""
        self.ensure_one()
        refunded = self.refunded_id and self.refunded_id.state != "cancel"
        return (
            self.state != "cancel"
            and not self.credit_note
            and not refunded
            and any(line.code in KPI_CODES for line in self.input_line_ids)
        )

    def _kpi_holders(self, employees, date_from, date_to):
        """Payslips other than `self` holding KPI lines of `employees` and overlapping
        the dates (one query). `self` may hold new records (form onchanges)."""
        return self.env["hr.payslip"].search(
            [
                ("id", "not in", [origin for origin in self._origin.ids if origin]),
                ("employee_id", "in", employees.ids),
                ("state", "!=", "cancel"),
                ("credit_note", "=", False),
                "|",
                ("refunded_id", "=", False),
                ("refunded_id.state", "=", "cancel"),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
                ("input_line_ids.code", "in", KPI_CODES),
            ]
        )

    def _kpi_overlapping_holders(self, pushing):
        """{payslip id: the payslips holding KPI lines of its employee over
        overlapping dates}, other payslips of `self` included: as holders when
        `pushing` (they are about to hold them), else when they do hold them.
        One query for the whole batch."""
        slips = self.filtered(lambda s: s.employee_id and s.date_from and s.date_to)
        if not slips:
            return {}
        found = slips._kpi_holders(
            slips.employee_id, min(slips.mapped("date_from")), max(slips.mapped("date_to"))
        )
        candidates = found | (slips if pushing else slips.filtered(lambda s: s._kpi_is_holder()))
        by_employee = defaultdict(list)
        for candidate in candidates:
            by_employee[candidate.employee_id.id].append(candidate)
        return {
            slip.id: self.browse(
                other.id
                for other in by_employee[slip.employee_id.id]
                if other != slip
                and other.date_from <= slip.date_to
                and other.date_to >= slip.date_from
            )
            for slip in slips
        }

    def _kpi_check_one_holder(self, pushing, error=UserError, overlaps=None):
        """Raise `error` naming the payslip that holds the KPI lines when one of
        `self` would be a second holder for its employee and dates.

        When `pushing`, every payslip of `self` is about to hold KPI lines;
        otherwise only those that do are checked. `overlaps`: the result of
        ``_kpi_overlapping_holders(pushing)`` on `self`, when the caller has it.
        """
        checked = self if pushing else self.filtered(lambda s: s._kpi_is_holder())
        if overlaps is None:
            overlaps = checked._kpi_overlapping_holders(pushing)
        states = dict(self._fields["state"]._description_selection(self.env))
        conflicts = []
        for slip in checked:
            holders = overlaps.get(slip.id)
            if not holders:
                continue
            holder = holders[0]
            label = slip._kpi_label()
            employee = slip.employee_id.name
            if holder in self and pushing:
                other = holder._kpi_label()
                conflicts.append(
                    self.env._(
                        "%(payslip)s and %(other)s: two payslips of %(employee)s for "
                        "overlapping dates",
                        payslip=label,
                        other=other,
                        employee=employee,
                    )
                )
            else:
                reference = holder.number or holder.name or holder._kpi_label()
                state = states.get(holder.state, holder.state)
                conflicts.append(
                    self.env._(
                        "%(payslip)s: the KPI lines of %(employee)s for these dates are "
                        "already on payslip %(holder)s (%(state)s)",
                        payslip=label,
                        employee=employee,
                        holder=reference,
                        state=state,
                    )
                )
        if conflicts:
            listed = "; ".join(conflicts)
            raise error(
                self.env._(
                    "The KPI lines of an employee go to one payslip per period. Refused: "
                    "%(conflicts)s. Add them on the payslip that holds them, or cancel that "
                    "payslip first.",
                    conflicts=listed,
                )
            )

    # ------------------------------------------------------------------
    # Stale confirm (RELIABILITY #31)
    # ------------------------------------------------------------------
    def _kpi_fingerprint(self):
        """The KPI input amounts of the payslip, as text: "v1|CODE:contract:amount…"
        (non-zero amounts, summed per code and contract, rounded to the currency)."""
        self.ensure_one()
        currency = self.company_id.currency_id
        totals = defaultdict(float)
        for line in self.input_line_ids:
            if line.code in KPI_CODES:
                totals[(line.code, line.contract_id.id or 0)] += line.amount
        parts = [
            f"{code}:{contract_id}:{float_repr(currency.round(amount), currency.decimal_places)}"
            for (code, contract_id), amount in sorted(totals.items())
            if not currency.is_zero(amount)
        ]
        return "|".join(["v1", *parts])

    def _kpi_store_fingerprints(self):
        by_print = defaultdict(list)
        for slip in self:
            by_print[slip._kpi_fingerprint()].append(slip.id)
        for fingerprint, ids in by_print.items():
            self.browse(ids).write({"kpi_input_fingerprint": fingerprint})

    def _kpi_check_confirm(self):
        """Refuse to confirm payslips whose KPI lines are stale, with a constant
        number of queries for the batch:

        * a second payslip holding the KPI lines of the same employee and dates;
        * KPI input amounts that differ from those Add KPI lines would write now
          (an evaluation approved, amended or reopened since); a payslip without
          KPI lines whose employee's lines are on another payslip is not checked;
        * when the sheet is not recomputed on confirm (``prevent_compute_on_confirm``
          or ``without_compute_sheet``): KPI inputs changed since the sheet was
          computed.

        Refunds (credit notes) are not checked: they reverse what was paid.
        """
        slips = self.filtered(
            lambda s: not s.credit_note
            and s.state in OPEN_PAYSLIP_STATES
            and s.employee_id
            and s.date_from
            and s.date_to
        )
        if not slips:
            return
        overlaps = slips._kpi_overlapping_holders(pushing=False)
        slips._kpi_check_one_holder(pushing=False, overlaps=overlaps)
        declared = {}

        def declares_kpi(slip):
            structure = slip.struct_id or slip.contract_id.struct_id
            if structure not in declared:
                declared[structure] = bool(self._kpi_structure_inputs(structure))
            return declared[structure]

        # payslips holding KPI lines, and those that should (their structure takes
        # KPI inputs and no other payslip holds the employee's)
        checked = slips.filtered(
            lambda s: s._kpi_is_holder() or (not overlaps.get(s.id) and declares_kpi(s))
        )
        expected = checked._kpi_expected()
        changed = []
        for slip in checked:
            currency = slip.company_id.currency_id
            held = defaultdict(float)
            for line in slip.input_line_ids:
                if line.code in KPI_CODES:
                    held[(line.contract_id.id, line.code)] += line.amount
            wanted = {key: line.amount for _seq, key, _name, line in expected[slip.id]}
            differences = []
            for key in sorted(set(held) | set(wanted), key=lambda k: (k[1], k[0] or 0)):
                before, now = held.get(key, 0.0), wanted.get(key, 0.0)
                if float_compare(before, now, precision_rounding=currency.rounding):
                    code = key[1]
                    before_text = float_repr(before, currency.decimal_places)
                    now_text = float_repr(now, currency.decimal_places)
                    differences.append(f"{code} {before_text} → {now_text}")
            if differences:
                changed.append((slip, ", ".join(differences)))
        if changed:
            listed = "; ".join(
                self._kpi_slip_entry(slip, details) for slip, details in changed
            )
            raise UserError(
                self.env._(
                    "KPI amounts changed since the payslip was computed: %(payslips)s — run "
                    "Add KPI lines and Compute Sheet again.",
                    payslips=listed,
                )
            )
        without_compute = self.env.context.get("without_compute_sheet")
        outdated = slips.filtered(
            lambda s: (without_compute or s.prevent_compute_on_confirm)
            and (s.kpi_input_fingerprint or "v1") != s._kpi_fingerprint()
        )
        if outdated:
            listed = "; ".join(
                self._kpi_slip_entry(slip, slip._kpi_fingerprint_codes()) for slip in outdated
            )
            raise UserError(
                self.env._(
                    "KPI input lines changed after the sheet was computed: %(payslips)s — "
                    "run Compute Sheet again before confirming.",
                    payslips=listed,
                )
            )

    @api.model
    def _kpi_slip_entry(self, slip, details):
        """"payslip (employee): details", for the stale-confirm errors."""
        label = slip._kpi_label()
        employee = slip.employee_id.name
        return self.env._(
            "%(payslip)s (%(employee)s): %(details)s",
            payslip=label,
            employee=employee,
            details=details,
        )

    def _kpi_fingerprint_codes(self):
        """The KPI codes whose input amounts differ from those the sheet was
        computed with, as "CODE, CODE"."""
        self.ensure_one()

        def codes(fingerprint):
            return {
                part.split(":", 1)[0]: part for part in (fingerprint or "").split("|")[1:]
            }

        before, now = codes(self.kpi_input_fingerprint), codes(self._kpi_fingerprint())
        changed = {code for code in set(before) | set(now) if before.get(code) != now.get(code)}
        return ", ".join(sorted(changed)) or "KPI"

    # ------------------------------------------------------------------
    # Input lines
    # ------------------------------------------------------------------
    @api.model
    def _kpi_declared_inputs(self, contracts, structure=None):
        """[{name, code, contract_id}] of the KPI inputs `structure` (default: each
        contract's structure) declares."""
        res = []
        by_structure = {}
        for contract in contracts:
            structure = structure or contract.struct_id
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

    def _kpi_expected(self):
        """{payslip id: [(sequence, (contract id, code), name, PayLine)]}: the KPI
        input lines Add KPI lines writes on each payslip, with a constant number
        of queries for the batch.

        One line per KPI code the payslip's structure declares and whose amount is
        not zero (a rule of an absent input computes 0, DESIGN §7).
        """
        unlinked = self.filtered(lambda s: not s.kpi_evaluation_id)
        if unlinked:  # evaluations approved since the payslip was created
            self.env.add_to_compute(self._fields["kpi_evaluation_id"], unlinked)
        declared = {}
        res = {}
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
                res[slip.id] = [
                    (sequence, (contract.id, code), name, values[(contract.id, code)])
                    for contract in contracts_of[slip]
                    for sequence, (code, name) in enumerate(declared[structure], start=100)
                    if (contract.id, code) in values and values[(contract.id, code)].amount
                ]
        return res

    def _kpi_add_lines(self):
        """Replace the KPI input lines of `self` (open payslips) in one batch."""
        expected = self._kpi_expected()
        to_create = [
            {
                "payslip_id": slip.id,
                "contract_id": contract_id,
                "sequence": sequence,
                "code": code,
                "name": name,
                "amount": line.amount,
                "amount_qty": 0.0,
                "kpi_explanation": line.explanation,
            }
            for slip in self
            for sequence, (contract_id, code), name, line in expected[slip.id]
        ]
        self.input_line_ids.filtered(lambda line: line.code in KPI_CODES).unlink()
        return self.env["hr.payslip.input"].create(to_create)

    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------
    def _kpi_input_values(self, contracts, date_from, date_to):
        """{(contract id, code): engine PayLine (amount, formula)} of every KPI code,
        for the contracts' employees over the payslip dates: the engine's
        ``pay_plan`` once per employee-month.

        Every amount is rounded once, by the engine, to the company currency's
        rounding step (RELIABILITY #33), half away from zero as
        ``res.currency.round`` does.

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
        rules = {
            company: PayRules.from_settings(
                company._kpi_pay_settings(), rounding=company.currency_id.rounding
            )
            for company in contracts.company_id
        }
        values = {}
        for contract in primary.values():
            try:
                plan = pay_plan(
                    self._kpi_month(contract, facts),
                    self._kpi_terms(contract),
                    rules[contract.company_id],
                )
            except KpiEngineError as err:
                raise UserError(
                    self.env._(
                        "KPI lines of %(employee)s: %(reason)s",
                        employee=contract.employee_id.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
            values.update({(contract.id, code): line for code, line in plan.items()})
        return values

    @api.model
    def _kpi_notes(self, line):
        """The translated notes of an engine PayLine, as one text."""
        return " ".join(
            self.env._(template, **params) for template, params in line.notes
        ).strip()

    @api.model
    def _kpi_evaluations(self, employees, companies, date_from, date_to, months=None, strict=True):
        """{employee id: evaluation}: the payable monthly evaluation of each employee
        for the month of the dates (the month overlapping them most).

        Two schemes: an employee with two payable evaluations in the month (one per
        scheme) is not paid on either silently. `strict`: refuse with a UserError
        naming both; otherwise (the payslip's displayed evaluation) leave him out.
        """
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
        by_employee = defaultdict(lambda: self.env["hr.kpi.evaluation"])
        for evaluation in evaluations:
            if months.get(evaluation.company_id.id) == evaluation.period_id:
                by_employee[evaluation.employee_id.id] |= evaluation
        several = {emp: found for emp, found in by_employee.items() if len(found) > 1}
        if several and strict:
            raise UserError(
                self.env._(
                    "An employee is paid on one evaluation per month; these have several "
                    "payable evaluations (one per scheme): %(employees)s. Reopen the "
                    "evaluation that should not pay, then add the KPI lines again.",
                    employees="; ".join(
                        self.env._(
                            "%(employee)s: %(evaluations)s",
                            employee=found.employee_id.name,
                            evaluations=", ".join(
                                f"{e.display_name} ({e.scheme_id.name})" for e in found
                            ),
                        )
                        for found in several.values()
                    ),
                )
            )
        return {emp: found for emp, found in by_employee.items() if emp not in several}

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
        """{(employee id, period id): [(award name, amount)]} of the month's awards."""
        if not periods:
            return {}
        awards = (
            self.env["hr.kpi.award"]
            .sudo()
            .search(
                [("employee_id", "in", employees.ids), ("period_id", "in", periods.ids)],
                order="id",
            )
        )
        names = dict(awards._fields["award_type"]._description_selection(self.env))
        res = defaultdict(list)
        for award in awards:
            key = (award.employee_id.id, award.period_id.id)
            res[key].append((names.get(award.award_type, award.award_type), award.amount))
        return res

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
    def _kpi_full_attendance(self, employee_id, facts, settings):
        """Seed 003 全勤, the engine's ``full_attendance`` (also the monthly awards'
        condition) on the recorded facts of one employee."""
        events, absences = self._kpi_attendance(employee_id, facts)
        return full_attendance(events, absences, settings["attendance_limit"])

    @api.model
    def _kpi_attendance(self, employee_id, facts):
        """(attendance events, absences) of one employee: approved time off, late
        arrivals and early leaves; absenteeism."""
        incidents = facts["incidents"]
        absences = sum(incidents.get((employee_id, code), 0) for code in ABSENCE_TYPES)
        events = facts["leaves"].get(employee_id, 0) + sum(
            incidents.get((employee_id, code), 0) for code in ATTENDANCE_INCIDENT_TYPES
        )
        return events, absences

    @api.model
    def _kpi_terms(self, contract):
        """The contract's KPI settings, as the engine takes them."""
        return ContractTerms(
            wage=contract.wage,
            performance_base=contract.kpi_performance_base,
            performance_method=contract.kpi_performance_method or "",
            reception_staff=contract.kpi_reception_staff,
            annual_bonus_base=contract.kpi_annual_bonus_base,
            pool_position=contract.kpi_pool_position or "",
        )

    @api.model
    def _kpi_month(self, contract, facts):
        """The facts of the contract's employee-month (a PayMonth), read from `facts`."""
        employee_id = contract.employee_id.id
        evaluation = facts["evaluations"].get(employee_id)
        period = evaluation.period_id if evaluation else facts["months"].get(contract.company_id.id)
        star = facts["stars"].get((employee_id, period.id)) if evaluation else None
        events, absences = self._kpi_attendance(employee_id, facts)
        incidents = facts["incidents"]
        holders = facts["pool_holders"].get(contract.company_id.id, ()) if evaluation else ()
        return PayMonth(
            evaluated=bool(evaluation),
            score=evaluation.total_score if evaluation else 0.0,
            vetoed=bool(evaluation and evaluation.vetoed),
            stars=star.stars if star else None,
            star_pay=star.pay if star else 0.0,
            probation=bool(star and star.probation),
            lead=bool(star and star.role == LEAD),
            attendance_events=events,
            absences=absences,
            complaints=sum(incidents.get((employee_id, code), 0) for code in COMPLAINT_TYPES),
            awards=tuple(facts["awards"].get((employee_id, period.id), ())) if period else (),
            annual_score=facts["annual"].get(employee_id),
            pool_gross_profit=period.pool_gross_profit if evaluation else 0.0,
            pool_revenue=period.pool_revenue if evaluation else 0.0,
            pool_holders=tuple((h.id, h.kpi_pool_position) for h in holders),
            pool_key=contract.id,
        )
