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

Every amount and its formula come from the engine's pay plan
(``engine/payplan.py``); ``hr_payslip_pay_plan.py`` gathers its facts for all
payslips at once, with a constant number of queries, and calls it once per
employee-month. The guarantees above live in ``hr_payslip_guard.py``.
"""

from collections import defaultdict
from contextvars import ContextVar

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine.payplan import (
    KPI_ANNUAL,
    KPI_ATT,
    KPI_AWARD,
    KPI_BACK,
    KPI_CODES,
    KPI_COMPLAINT,
    KPI_DEFER,
    KPI_LOW,
    KPI_PERF,
    KPI_POOL,
    KPI_STANDBY,
    KPI_STAR,
)
from .hr_kpi_evaluation import APPROVED_STATES
from .hr_kpi_star_review import ATTENDANCE_INCIDENT_TYPES
from .kpi_policy import KpiPolicy, kpi_action, kpi_action_scope

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
# Evaluations that pay: approved and later (their scores are locked), and signed
# off where their scheme has a sign-off chain (hr_kpi_evaluation_signoff).
PAYABLE_STATES = APPROVED_STATES
PAYABLE_DOMAIN = [("state", "in", list(PAYABLE_STATES)), ("signoff_pending", "=", False)]


def is_payable(evaluation):
    """Whether `evaluation` (one record or empty) pays, as PAYABLE_DOMAIN selects."""
    return bool(
        evaluation and evaluation.state in PAYABLE_STATES and not evaluation.signoff_pending
    )

# The input line field recording what a code's amount pays once (the engine's keys).
KEY_FIELDS = {
    KPI_BACK: "kpi_back_pay_line_ids",
    KPI_STANDBY: "kpi_standby_consequence_ids",
}
# Payslips that may still change.
OPEN_PAYSLIP_STATES = ("draft", "verify")
PAYROLL_GROUP = "payroll.group_payroll_user"
# Key of the batch wizard's prefetched KPI amounts in the cursor cache.
PREFETCH_KEY = "hr_kpi_service.payslip_inputs"
# Recorded facts (hr.kpi.incident type codes) read by the pay formulas.
COMPLAINT_TYPES = ("valid_complaint", "major_complaint", "attitude_complaint")
ABSENCE_TYPES = ("absenteeism",)
INCIDENT_TYPES = COMPLAINT_TYPES + ATTENDANCE_INCIDENT_TYPES + ABSENCE_TYPES
# Fields whose change may move the KPI lines' allocation.
ALLOCATION_FIELDS = frozenset(
    ("state", "employee_id", "date_from", "date_to", "company_id", "credit_note", "refunded_id")
)
# Set while a payslip is copied as a new payslip (not a refund): its KPI input
# lines are not copied along (they go to one payslip only).
COPY_WITHOUT_KPI = ContextVar("hr_kpi_service_copy_without_kpi", default=False)
# Set by server code only (the reference path of the identity test and the
# benchmark): compute_sheet runs OCA's own loop, one payslip at a time.
ONE_BY_ONE = ContextVar("hr_kpi_service_compute_one_by_one", default=False)


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


def _kpi_keys_vals(code, line):
    """The input line's link to what its amount pays, once (the months paid back, the
    standby decisions deducted), from the engine PayLine's keys."""
    fname = KEY_FIELDS.get(code)
    return {fname: [(6, 0, list(line.keys))]} if fname and line.keys else {}


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
    # What a done payslip paid changes only through its actions (refund).
    _kpi_policy = KpiPolicy(
        protected=("kpi_evaluation_id", "state", "kpi_input_fingerprint"),
        locked_when=("state", ("done",)),
        locked_fields=(
            "employee_id",
            "contract_id",
            "struct_id",
            "date_from",
            "date_to",
            "company_id",
            "credit_note",
            "refunded_id",
        ),
        unlink="free",
        action_scope=("hr.payslip.line", "hr.payslip.input", "hr.kpi.payslip.allocation"),
    )

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
        domain=f"[('employee_id', '=', employee_id), ('state', 'in', {list(PAYABLE_STATES)}), "
        "('signoff_pending', '=', False)]",
        help="The employee's approved evaluation for the payslip's month, or for the quarter "
        "the month ends (a quarterly scheme); its score sets the KPI input lines. Set by the "
        "payslip's employee and dates, never by hand.",
    )
    kpi_score = fields.Float(
        related="kpi_evaluation_id.total_score", string="KPI Score", groups=PAYROLL_GROUP
    )
    kpi_grade = fields.Char(
        related="kpi_evaluation_id.grade_band_id.name", string="KPI Grade", groups=PAYROLL_GROUP
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
            if evaluation.period_id != month and (
                not month or evaluation.period_id != self._kpi_quarter_ending(month)
            ):
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
        self._kpi_check_add_lines()
        self._kpi_add_lines()
        return True

    def _kpi_check_add_lines(self):
        """The checks of Add KPI Lines (also made for a whole payslip batch before
        its background jobs, hr.payslip.run)."""
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
        new amounts), all at once (hr_payslip_bulk: OCA's rule evaluation per
        payslip, the rest for the batch), then remember the KPI input amounts the
        sheet was computed with."""
        if ONE_BY_ONE.get():
            return self._kpi_compute_sheet_one_by_one()
        self._kpi_check_open("compute")
        # the guards run once for the batch
        with self._kpi_deferred_guard(self.sudo().employee_id):
            self._kpi_compute_sheet_bulk()
            self._kpi_store_fingerprints()
        return True

    def _kpi_compute_sheet_one_by_one(self):
        """OCA's own ``compute_sheet`` (one payslip at a time) with the same checks:
        the reference the bulk path is compared with (identity test, benchmark)."""
        self._kpi_check_open("compute")
        with kpi_action_scope(self), self._kpi_deferred_guard(self.sudo().employee_id):
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
        """Keep the KPI lines' allocation current (the policy freezes a done one)."""
        res = super().write(vals)
        if ALLOCATION_FIELDS.intersection(vals):
            self._kpi_sync_allocations(refunded_too=True)
        return res

    def _kpi_locked_message(self, locked, fnames):
        return self.env._(
            "%(fields)s of a done payslip cannot change (%(payslips)s): refund it instead.",
            fields=self._kpi_labels(fnames),
            payslips=", ".join(locked.mapped(lambda slip: slip._kpi_label())),
        )

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
        # the structure chosen on the batch (the wizard), else the payslip's, else
        # the contracts'; the KPI inputs named in the payslip's language
        structure = (
            self.struct_id
            if self
            else self.env["hr.payroll.structure"].browse(
                self.env.context.get("kpi_batch_structure_id")
            )
        )
        declared = {
            (vals["contract_id"], vals["code"]): vals
            for vals in self._kpi_declared_inputs(contracts, structure[:1] or None)
        }
        if not self:
            present = {(vals.get("contract_id"), vals.get("code")) for vals in res}
            res = list(res) + [vals for key, vals in declared.items() if key not in present]
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
                    dict(
                        vals,
                        name=declared.get(key, vals)["name"],
                        amount=line.amount,
                        kpi_explanation=line.explanation,
                        **_kpi_keys_vals(code, line),
                    )
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
    # Input lines
    # ------------------------------------------------------------------
    @api.model
    def _kpi_declared_inputs(self, contracts, structure=None):
        """[{name, code, contract_id}] of the KPI inputs `structure` (default: each
        contract's structure) declares, named in the payslip's language (`self`'s
        when it is one payslip, else that of a new payslip of the contract's
        employee)."""
        res = []
        declared = {}
        for contract in contracts:
            key = (
                structure or contract.struct_id,
                self._kpi_lang()
                if len(self) == 1
                else self._kpi_lang_of(contract.employee_id, contract.company_id),
            )
            if key not in declared:
                declared[key] = self.with_context(lang=key[1])._kpi_structure_inputs(key[0])
            res += [
                {"name": name, "code": code, "contract_id": contract.id}
                for code, name in declared[key]
            ]
        return res

    def _kpi_structure_carries_kpi(self):
        """Whether this payslip's structure (its contract's when it has none) has a
        rule reading a KPI input: the KPI appendix and amounts concern it."""
        self.ensure_one()
        structure = self.struct_id or self.contract_id.struct_id
        return bool(structure and self.sudo()._kpi_structure_inputs(structure.sudo()))

    @api.model
    def _kpi_structure_inputs(self, structures):
        """[(code, name)] of the KPI inputs declared by the rules of `structures`."""
        rules = structures.with_env(self.env).get_structure_with_parents().get_all_rules()
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
                key = (structure, slip._kpi_lang())  # names in the payslip's language
                if key not in declared:
                    declared[key] = self.with_context(lang=key[1])._kpi_structure_inputs(
                        structure
                    )
                res[slip.id] = [
                    (sequence, (contract.id, code), name, values[(contract.id, code)])
                    for contract in contracts_of[slip]
                    for sequence, (code, name) in enumerate(declared[key], start=100)
                    if (contract.id, code) in values and values[(contract.id, code)].amount
                ]
        return res

    # ------------------------------------------------------------------
    # The payslip's language (issue 13)
    # ------------------------------------------------------------------
    @api.model
    def _kpi_lang_of(self, employee, company=None, creator=None):
        """The language a payslip of `employee` speaks: his user's, else his
        company's (its partner's), else its creator's (default: the current user);
        an installed language, or en_US (the source of every term)."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()} | {"en_US"}
        employee, company = employee.sudo(), (company or employee.company_id).sudo()
        creator = (creator or self.env.user).sudo()
        for lang in (employee.user_id.lang, company.partner_id.lang, creator.lang):
            if lang in installed:
                return lang
        return self.env.lang or "en_US"

    def _kpi_lang(self):
        """The language of this payslip (see ``_kpi_lang_of``)."""
        self.ensure_one()
        return self._kpi_lang_of(self.employee_id, self.company_id, self.create_uid)

    def _kpi_by_lang(self):
        """{language: payslips of `self` in that language}."""
        groups = defaultdict(list)
        for slip in self:
            groups[slip._kpi_lang()].append(slip.id)
        return {lang: self.browse(ids) for lang, ids in groups.items()}

    def get_lines_dict(self):
        """OCA's payslip lines, named in the payslip's language.

        OCA payroll evaluates each rule through ``api.call_kw``, which drops the
        context: a rule's name comes out in English whatever the language. A line
        carrying its rule's name gets the name in its payslip's language (a name
        set by the rule's own code, ``result_name``, is kept)."""
        lines = super().get_lines_dict()
        lang_of = {slip.employee_id.id: slip._kpi_lang() for slip in self}
        rules = self.env["hr.salary.rule"].browse(
            {vals["salary_rule_id"] for vals in lines.values()}
        )
        untranslated = {rule.id: rule.name for rule in rules.with_context(lang=None)}
        translated = {
            lang: {rule.id: rule.name for rule in rules.with_context(lang=lang)}
            for lang in set(lang_of.values())
        }
        for vals in lines.values():
            rule_id, lang = vals["salary_rule_id"], lang_of.get(vals["employee_id"])
            if lang and vals.get("name") == untranslated[rule_id]:
                vals["name"] = translated[lang][rule_id]
        return lines

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
                **_kpi_keys_vals(code, line),
            }
            for slip in self
            for sequence, (contract_id, code), name, line in expected[slip.id]
        ]
        self.input_line_ids.filtered(lambda line: line.code in KPI_CODES).unlink()
        return self.env["hr.payslip.input"].create(to_create)
