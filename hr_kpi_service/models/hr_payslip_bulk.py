"""The payslip batch in bulk (issue 23).

OCA payroll's batch wizard builds one payslip per employee (``get_payslip_vals``:
contract, structure, worked days, inputs), creates it, and its ``compute_sheet``
then computes one payslip at a time (number, old lines deleted, the rules
evaluated, the lines written): about seventeen queries per payslip. Here the
same is done for a whole batch of payslips, with OCA's own methods, so that the
payslips and their lines are the same (tests/test_payslip_bulk_identity.py
compares every stored field with OCA's one-at-a-time path):

* ``_kpi_bulk_payslip_vals``: the contracts of all the employees read at once;
  OCA's ``get_worked_day_lines`` and ``get_inputs`` called once for all their
  contracts (both work contract by contract; each line names its contract),
  the work days and leaves they ask for read beforehand for the whole batch
  (``hr_employee_work_days``); the payslips are then created in one ``create``;
* ``_kpi_compute_sheet_bulk``: the numbers drawn for the batch, the facts the
  rules read (contracts, employees, input and worked-days lines, rules) loaded
  into the ORM cache for the batch, OCA's ``get_lines_dict`` (its localdict and
  rule evaluation) called for each payslip, and all the lines created in one
  ``create``.

OCA's path stays callable (``_kpi_compute_sheet_one_by_one`` on payslips and on
the wizard): the identity test and the benchmark run it as the reference.
"""

from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models

from .hr_employee_work_days import WORK_DAYS_KEY

SEQUENCE_CODE = "salary.slip"


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    # ------------------------------------------------------------------
    # The payslips of a batch, in one create
    # ------------------------------------------------------------------
    @api.model
    def _kpi_bulk_create(self, employees, run):
        """Create and return the payslips OCA's batch wizard creates for `employees`
        in `run` (the same values, in the same order), in one ``create``."""
        vals_list = self._kpi_bulk_payslip_vals(employees, run)
        return self.create(vals_list)

    @api.model
    def _kpi_bulk_payslip_vals(self, employees, run):
        """[payslip values] as OCA's wizard builds them from ``get_payslip_vals``,
        one per employee, with a constant number of queries for the batch."""
        date_from, date_to = run.date_start, run.date_end
        struct_id = run.struct_id.id
        contracts_of = self._kpi_bulk_contracts(employees, date_from, date_to)
        # employees whose payslip gets worked days and inputs: a contract and a structure
        computed = [
            employee
            for employee in employees
            if contracts_of.get(employee.id)
            and (struct_id or contracts_of[employee.id][0].struct_id)
        ]
        contracts = self.env["hr.contract"].browse(
            [contract.id for employee in computed for contract in contracts_of[employee.id]]
        )
        with self._kpi_batch_work_days(contracts, date_from, date_to):
            worked_days = self._kpi_bulk_lines(
                contracts, contracts_of, computed, "get_worked_day_lines", date_from, date_to
            )
        inputs = self._kpi_bulk_lines(
            contracts, contracts_of, computed, "get_inputs", date_from, date_to
        )
        vals_list = []
        for employee in employees:
            first = contracts_of.get(employee.id, [self.env["hr.contract"]])[0]
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "name": "",
                    "struct_id": (struct_id or first.struct_id.id) if first else False,
                    "contract_id": first.id or False,
                    "payslip_run_id": run.id,
                    "input_line_ids": [(0, 0, vals) for vals in inputs.get(employee.id, [])],
                    "worked_days_line_ids": [
                        (0, 0, vals) for vals in worked_days.get(employee.id, [])
                    ],
                    "date_from": date_from,
                    "date_to": date_to,
                    "credit_note": run.credit_note,
                    "company_id": employee.company_id.id,
                }
            )
        return vals_list

    @api.model
    def _kpi_bulk_contracts(self, employees, date_from, date_to):
        """{employee id: [contracts]} as ``get_payslip_vals`` picks them: the current
        contract, or (context ``contract``) those of the dates, in one read."""
        if not self.env.context.get("contract"):
            return {
                employee.id: [employee.contract_id]
                for employee in employees
                if employee.contract_id
            }
        res = defaultdict(list)
        for contract in employees._get_contracts(date_from=date_from, date_to=date_to):
            res[contract.employee_id.id].append(contract)
        return dict(res)

    @api.model
    def _kpi_bulk_lines(self, contracts, contracts_of, employees, method, date_from, date_to):
        """{employee id: [line values]}: OCA's `method` (``get_worked_day_lines`` or
        ``get_inputs``) called once for all `contracts` and shared out by the
        contract each line names, as one call per employee would give them (both
        methods work contract by contract). A line naming no contract of the
        batch: one call per employee, as OCA does."""
        if not contracts:
            return {}
        lines = getattr(self.browse(), method)(contracts, date_from, date_to)
        employee_of = {contract.id: contract.employee_id.id for contract in contracts}
        res = defaultdict(list)
        for vals in lines:
            employee_id = employee_of.get(vals.get("contract_id"))
            if employee_id is None:
                return {
                    employee.id: list(
                        getattr(self.browse(), method)(
                            self.env["hr.contract"].union(*contracts_of[employee.id]),
                            date_from,
                            date_to,
                        )
                    )
                    for employee in employees
                }
            res[employee_id].append(vals)
        return dict(res)

    @api.model
    def _kpi_batch_work_days(self, contracts, date_from, date_to):
        """Read the work days and the leaves OCA's worked days ask for, for all
        `contracts` at once (``hr_employee_work_days``), for the block."""
        cache = self.env.cr.cache
        if WORK_DAYS_KEY in cache:
            return _Restore(cache, WORK_DAYS_KEY, cache[WORK_DAYS_KEY])
        day_from, day_to = (
            datetime.combine(date_from, time.min),
            datetime.combine(date_to, time.max),
        )
        groups = defaultdict(lambda: self.env["hr.employee"])
        calendared = contracts.filtered("resource_calendar_id")
        for contract in calendared:
            start = max(day_from, datetime.combine(contract.date_start, time.min))
            groups[(contract.resource_calendar_id, start)] |= contract.employee_id
        # as OCA's _compute_worked_days asks (context of get_worked_day_lines on no payslip)
        Employee = self.env["hr.employee"].with_context(
            employee_id=False, exclude_public_holidays=True
        )
        work_days = {
            (calendar.id, start, day_to): Employee.browse(employees.ids)._get_work_days_data_batch(
                start, day_to, calendar=calendar, compute_leaves=False
            )
            for (calendar, start), employees in groups.items()
        }
        resources = calendared.employee_id.resource_id
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("time_type", "=", "leave"),
                ("calendar_id", "in", [False, *calendared.resource_calendar_id.ids]),
                ("resource_id", "in", [False, *resources.ids]),
                ("date_from", "<=", fields.Datetime.to_string(day_to)),
                ("date_to", ">=", fields.Datetime.to_string(day_from)),
            ]
        )
        with_leaves = {leave.resource_id.id for leave in leaves if leave.resource_id}
        public = {leave.calendar_id.id for leave in leaves if not leave.resource_id}
        if any(not leave.resource_id and not leave.calendar_id for leave in leaves):
            public = None  # a leave of every calendar: everyone asks Odoo
        without_leaves = {
            (contract.employee_id.id, contract.resource_calendar_id.id)
            for contract in calendared
            if public is not None
            and contract.employee_id.resource_id.id not in with_leaves
            and contract.resource_calendar_id.id not in public
        }
        cache[WORK_DAYS_KEY] = {
            "work_days": work_days,
            "start": day_from,
            "end": day_to,
            "without_leaves": without_leaves,
        }
        return _Restore(cache, WORK_DAYS_KEY, None)

    # ------------------------------------------------------------------
    # The sheets of a batch, computed together
    # ------------------------------------------------------------------
    def _kpi_compute_sheet_bulk(self):
        """What OCA's ``compute_sheet`` does payslip by payslip, for all of `self`:
        old lines deleted, numbers drawn, OCA's ``get_lines_dict`` for each payslip
        on facts loaded for the batch, all lines created at once, and the payslips
        put to waiting."""
        self.line_ids.unlink()
        numbers = self._kpi_draw_numbers()
        self._kpi_prefetch_rule_facts()
        lines = [
            dict(vals, slip_id=slip.id) for slip in self for vals in slip.get_lines_dict().values()
        ]
        self.env["hr.payslip.line"].create(lines)
        for slip in self:
            if slip.id in numbers:
                slip.number = numbers[slip.id]
        self.write({"state": "verify", "compute_date": fields.Date.today()})
        return True

    def _kpi_draw_numbers(self):
        """{payslip id: number} for the payslips of `self` without a number, drawn
        in their order from the payslip sequence as ``next_by_code`` draws them."""
        todo = self.filtered(lambda slip: not slip.number)
        if not todo:
            return {}
        Sequence = self.env["ir.sequence"]
        Sequence.browse().check_access("read")
        sequence = Sequence.search(
            [("code", "=", SEQUENCE_CODE), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )
        if sequence and sequence.implementation == "standard" and not sequence.use_date_range:
            # Raw SQL, measured to matter: next_by_code costs a search and a nextval
            # per payslip (two of OCA's seventeen queries per payslip); here one
            # statement draws the batch's numbers from the same PostgreSQL sequence.
            self.env.cr.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                [f"ir_sequence_{sequence.id:03d}", len(todo)],
            )
            numbers = [sequence.get_next_char(row[0]) for row in self.env.cr.fetchall()]
        else:
            numbers = [Sequence.next_by_code(SEQUENCE_CODE) for _slip in todo]
        return dict(zip(todo.ids, numbers, strict=True))

    def _kpi_prefetch_rule_facts(self):
        """Load into the ORM cache, for all of `self` at once, what OCA's rule
        evaluation reads payslip by payslip: the input and worked-days lines, the
        contracts and employees, the structures' rules (also as the rules see
        themselves: OCA evaluates them through ``call_kw``, without context)."""
        self.worked_days_line_ids.mapped("code")
        self.input_line_ids.mapped("code")
        self.mapped("employee_id.name")
        contracts = self.contract_id
        contracts.mapped("wage")
        contracts.mapped("employee_id.name")
        structures = (self.struct_id | contracts.struct_id).get_structure_with_parents()
        rules = structures.get_all_rules()
        rules.mapped("name")
        # as call_kw sees them (a context replaced by an empty one)
        rules.with_context({}).mapped("name")  # pylint: disable=context-overridden
        categories = rules.category_id
        while categories:
            categories = categories.parent_id


class _Restore:
    """Context manager putting `key` of `cache` back to `value` (None: removed)."""

    def __init__(self, cache, key, value):
        self.cache, self.key, self.value = cache, key, value

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.value is None:
            self.cache.pop(self.key, None)
        else:
            self.cache[self.key] = self.value
        return False
