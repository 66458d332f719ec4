"""Worked days of a payslip batch, read once for the batch (issue 23).

OCA payroll's ``get_worked_day_lines`` asks, for every contract, the employee's
``list_leaves`` and ``_get_work_days_data_batch`` (three searches per employee).
The bulk payslip batch (``hr_payslip_bulk``) reads both for all its contracts
first; while it runs, these two methods answer OCA's per-employee calls from
what was read, and fall back to Odoo's own code for anything else:

* ``_get_work_days_data_batch``: Odoo's own method, called once per calendar and
  start date for all the batch's employees (it is a batch method: every
  employee's figures are the same as when asked alone);
* ``list_leaves``: one search of the leaves of the batch's resources and
  calendars over the batch's dates; an employee with none of them (no own leave,
  no public leave of his calendar) has no leave (Odoo's method would find none
  either); the others ask Odoo's method.

The prefetched figures live in the cursor's cache under WORK_DAYS_KEY, set by
server code only and removed when the batch ends.
"""

from odoo import models

WORK_DAYS_KEY = "hr_kpi_service.batch_work_days"


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def _get_work_days_data_batch(
        self, from_datetime, to_datetime, compute_leaves=True, calendar=None, domain=None
    ):
        batch = self.env.cr.cache.get(WORK_DAYS_KEY)
        if batch and calendar and not compute_leaves and domain is None:
            known = batch["work_days"].get((calendar.id, from_datetime, to_datetime))
            if known is not None and all(employee_id in known for employee_id in self.ids):
                return {employee_id: dict(known[employee_id]) for employee_id in self.ids}
        return super()._get_work_days_data_batch(
            from_datetime,
            to_datetime,
            compute_leaves=compute_leaves,
            calendar=calendar,
            domain=domain,
        )

    def list_leaves(self, from_datetime, to_datetime, calendar=None, domain=None):
        batch = self.env.cr.cache.get(WORK_DAYS_KEY)
        if (
            batch
            and len(self) == 1
            and calendar
            and domain is None
            and from_datetime.tzinfo is None
            and to_datetime.tzinfo is None
            and batch["start"] <= from_datetime
            and to_datetime <= batch["end"]
            and (self.id, calendar.id) in batch["without_leaves"]
        ):
            return []
        return super().list_leaves(from_datetime, to_datetime, calendar=calendar, domain=domain)
