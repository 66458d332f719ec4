"""Payroll bridge, the guarantees (RELIABILITY §6.E, issue 10): paid once (the
allocation table and its unique constraints), one payslip holds an employee's
KPI lines, no stale confirm.
"""

import contextlib
from collections import defaultdict

import psycopg2

from odoo import api, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_repr, mute_logger

from .hr_payslip import KPI_CODES, OPEN_PAYSLIP_STATES, _kpi_month, is_payable

# Key, in the cursor's cache, of the payslips whose holder check and allocation
# sync wait for the end of the batch wizard (``_kpi_deferred_guard``).
DEFERRED_KEY = "hr_kpi_service.deferred_guard"


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    # ------------------------------------------------------------------
    # Paid once: the allocation table and its unique constraints
    # ------------------------------------------------------------------
    def _kpi_lock_employees(self):
        """Lock the employees' rows until the transaction ends: two pushes of KPI
        lines for one employee run one after the other (``NO KEY UPDATE`` does not
        block the rows that merely reference the employee)."""
        self._kpi_lock(self.sudo().employee_id)

    @api.model
    def _kpi_lock(self, employees):
        if employees:
            self.env.cr.execute(
                "SELECT id FROM hr_employee WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                [tuple(employees.ids)],
            )

    # ------------------------------------------------------------------
    # The batch wizard: the guards once per batch
    # ------------------------------------------------------------------
    @api.model
    @contextlib.contextmanager
    def _kpi_deferred_guard(self, employees):
        """Run the block (OCA's batch wizard, which creates and computes its payslips
        one at a time) with the holder check and the allocation sync of each payslip
        noted instead of run; when the block ends without error, both run once for
        every noted payslip, with a constant number of queries for the batch.

        The employees are locked first, as a push locks them. Nothing is skipped:
        the same checks run on the same payslips before the transaction can commit,
        and the allocation table's unique constraints still decide. The mark lives
        in the cursor's cache, set by server code only (no client context sets it).
        """
        cache = self.env.cr.cache
        if DEFERRED_KEY in cache:  # nested: the outer block runs the guards
            yield
            return
        self._kpi_lock(employees)
        noted = cache[DEFERRED_KEY] = {"check": set(), "sync": set()}
        try:
            yield
        finally:
            cache.pop(DEFERRED_KEY, None)
        # the payslips' pending writes first (OCA's, one UPDATE per 100 rows), which the
        # guard's first search would flush anyway
        self.env.flush_all()
        checked = self.browse(noted["check"]).exists()
        checked._kpi_check_one_holder(pushing=False, error=ValidationError)
        synced = self.browse(noted["sync"]).exists()
        synced._kpi_sync_allocations(refunded_too=True)

    def _kpi_defer(self, what):
        """Note `self` for the deferred `what` ("check" or "sync") when the batch
        wizard's guard is deferred; True when noted (the caller returns)."""
        noted = self.env.cr.cache.get(DEFERRED_KEY)
        if noted is None:
            return False
        noted[what].update(self.ids)
        return True

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
            "evaluation_id": evaluation.id if is_payable(evaluation) else False,
        }

    def _kpi_sync_allocations(self, refunded_too=False):
        """Record which of these payslips hold KPI lines (one allocation each);
        `refunded_too`: also of the payslips these refund (their refund changed).

        The allocation table is derived data, written as superuser; its unique
        constraints refuse a second holder of an employee's month, or a second
        payslip paying one evaluation, also when the first was written by a
        concurrent transaction: the error is a translated ValidationError."""
        if self._kpi_defer("sync"):
            return
        slips = self.sudo().exists()
        if refunded_too and slips:
            slips |= slips.search([("refunded_id", "in", slips.ids)])
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
        if stale or to_create:
            try:
                # the duplicate key is expected under concurrency: reported below, not logged
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    stale.unlink()
                    Allocation.create(to_create)
            except psycopg2.errors.UniqueViolation as err:
                raise slips._kpi_allocation_error(err.diag.constraint_name) from err
        slips._kpi_sync_paid_once()

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
        """KPI lines typed by hand or built by the forms: still one payslip only
        (in the batch wizard, once for the batch when it ends)."""
        if self._kpi_defer("check"):
            return
        self._kpi_check_one_holder(pushing=False, error=ValidationError)

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
