"""Payroll bridge, what a payslip pays or deducts once, recorded where PostgreSQL
enforces it across concurrent transactions:

* KPI_BACK (seed 000 补发): the missed months its line pays back, one
  ``hr.kpi.back.pay`` row per evaluation line, unique;
* KPI_STANDBY (seed 004 待岗培训): the standby decisions its line deducts, one
  ``hr.kpi.standby.deduction`` row per decision, unique; a month decided after its
  payslip was done is deducted by the next payslip holding KPI lines
  (``hr.kpi.consequence._standby_decisions``).

The rows are derived from the payslips holding KPI lines, with the allocations'
sync (``hr_payslip_guard``): a cancelled or refunded payslip, or a line replaced,
frees what it recorded.
"""

from collections import namedtuple

import psycopg2

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from ..engine import KPI_BACK, KPI_STANDBY
from .hr_payslip import KEY_FIELDS, _kpi_month

# model: the record of what is paid once; key_field: its unique link to what is paid
# (the records of the input line's KEY_FIELDS field); values(key): its other values.
PaidOnce = namedtuple("PaidOnce", "model key_field values")
PAID_ONCE = {
    KPI_BACK: PaidOnce(
        "hr.kpi.back.pay",
        "evaluation_line_id",
        lambda missed: {"month": missed.evaluation_id.period_id.date_from},
    ),
    KPI_STANDBY: PaidOnce(
        "hr.kpi.standby.deduction",
        "consequence_id",
        lambda decision: {
            "days": decision.standby_days,
            "month": decision.standby_period_id.date_from,
        },
    ),
}


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    def _kpi_sync_paid_once(self):
        """Record what these payslips pay or deduct once (their KPI_BACK and
        KPI_STANDBY lines, while they hold KPI lines); forget what payslips that no
        longer do recorded. Called with the allocations' sync, as superuser."""
        for code in PAID_ONCE:
            self._kpi_sync_paid_once_code(code)

    def _kpi_sync_paid_once_code(self, code):
        spec, line_field = PAID_ONCE[code], KEY_FIELDS[code]
        slips = self.sudo()
        slips._kpi_fill_paid_once_keys(code)
        Record = self.env[spec.model].sudo()
        existing = {
            (row.payslip_id.id, row[spec.key_field].id): row
            for row in Record.search([("payslip_id", "in", slips.ids)])
        }
        wanted = {}
        for slip in slips:
            if not slip._kpi_is_holder():
                continue
            paid_month = _kpi_month(slip.date_from, slip.date_to)
            for line in slip.input_line_ids.filtered(lambda i: i.code == code):
                for key in line[line_field]:
                    wanted[(slip.id, key.id)] = {
                        "payslip_id": slip.id,
                        "employee_id": slip.employee_id.id,
                        "company_id": slip.company_id.id or slip.employee_id.company_id.id,
                        spec.key_field: key.id,
                        "paid_month": paid_month,
                        **spec.values(key),
                    }
        stale = Record.union(*(row for key, row in existing.items() if key not in wanted))
        to_create = [vals for key, vals in wanted.items() if key not in existing]
        if not (stale or to_create):
            return
        try:
            # the duplicate key is expected under concurrency: reported below, not logged
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                stale.unlink()
                Record.create(to_create)
        except psycopg2.errors.UniqueViolation as err:
            raise ValidationError(self._kpi_paid_twice_message(code)) from err

    def _kpi_paid_twice_message(self, code):
        payslips = ", ".join(self.mapped(lambda slip: slip._kpi_label()))
        if code == KPI_BACK:
            return self.env._(
                "A missed month is paid back once: %(payslips)s would pay back a month "
                "another payslip already pays back (perhaps saved at the same moment). "
                "Run Add KPI lines again on %(payslips)s.",
                payslips=payslips,
            )
        return self.env._(
            "Standby days are deducted once: %(payslips)s would deduct days another "
            "payslip already deducts (perhaps saved at the same moment). Run Add KPI "
            "lines again on %(payslips)s.",
            payslips=payslips,
        )

    def _kpi_fill_paid_once_keys(self, code):
        """A KPI_BACK or KPI_STANDBY line that reached the payslip without what it pays
        (a client that does not send read-only fields) gets it from the pay plan, so
        that it is recorded, and paid once, all the same."""
        line_field = KEY_FIELDS[code]
        bare = self.filtered(
            lambda slip: (
                slip._kpi_is_holder()
                and any(
                    line.code == code and line.amount and not line[line_field]
                    for line in slip.input_line_ids
                )
            )
        )
        if not bare:
            return
        expected = bare._kpi_expected()
        for slip in bare:
            keys = [
                key
                for _sequence, (_contract, line_code), _name, line in expected[slip.id]
                if line_code == code
                for key in line.keys
            ]
            lines = slip.input_line_ids.filtered(
                lambda i, fname=line_field: i.code == code and not i[fname]
            )
            lines.write({line_field: [(6, 0, keys)]})
