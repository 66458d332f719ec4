"""Payroll bridge, back-pay paid once (seed 000 补发): the months a payslip's KPI_BACK
line pays back are recorded in ``hr.kpi.back.pay``, whose unique constraint
PostgreSQL enforces across concurrent transactions."""

import psycopg2

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from ..engine import KPI_BACK
from .hr_payslip import _kpi_month


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    def _kpi_sync_back_pay(self):
        """Record the months these payslips pay back (their KPI_BACK lines, while they
        hold KPI lines); forget those of payslips that no longer do (cancelled,
        refunded, lines replaced). Called with the allocations' sync, as superuser."""
        slips = self.sudo()
        slips._kpi_fill_back_pay_months()
        BackPay = self.env["hr.kpi.back.pay"].sudo()
        existing = {
            (row.payslip_id.id, row.evaluation_line_id.id): row
            for row in BackPay.search([("payslip_id", "in", slips.ids)])
        }
        wanted = {}
        for slip in slips:
            if not slip._kpi_is_holder():
                continue
            paid_month = _kpi_month(slip.date_from, slip.date_to)
            for line in slip.input_line_ids.filtered(lambda i: i.code == KPI_BACK):
                for missed in line.kpi_back_pay_line_ids:
                    wanted[(slip.id, missed.id)] = {
                        "payslip_id": slip.id,
                        "employee_id": slip.employee_id.id,
                        "company_id": slip.company_id.id or slip.employee_id.company_id.id,
                        "evaluation_line_id": missed.id,
                        "month": missed.evaluation_id.period_id.date_from,
                        "paid_month": paid_month,
                    }
        stale = BackPay.union(*(row for key, row in existing.items() if key not in wanted))
        to_create = [vals for key, vals in wanted.items() if key not in existing]
        if not (stale or to_create):
            return
        try:
            # the duplicate key is expected under concurrency: reported below, not logged
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                stale.unlink()
                BackPay.create(to_create)
        except psycopg2.errors.UniqueViolation as err:
            raise ValidationError(
                self.env._(
                    "A missed month is paid back once: %(payslips)s would pay back a month "
                    "another payslip already pays back (perhaps saved at the same moment). "
                    "Run Add KPI lines again on %(payslips)s.",
                    payslips=", ".join(self.mapped(lambda slip: slip._kpi_label())),
                )
            ) from err

    def _kpi_fill_back_pay_months(self):
        """A KPI_BACK line that reached the payslip without the months it pays back (a
        client that does not send read-only fields) gets them from the pay plan, so
        that they are recorded, and paid once, all the same."""
        bare = self.filtered(
            lambda slip: (
                slip._kpi_is_holder()
                and any(
                    line.code == KPI_BACK and line.amount and not line.kpi_back_pay_line_ids
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
                for _sequence, (_contract, code), _name, line in expected[slip.id]
                if code == KPI_BACK
                for key in line.keys
            ]
            lines = slip.input_line_ids.filtered(
                lambda i: i.code == KPI_BACK and not i.kpi_back_pay_line_ids
            )
            lines.write({"kpi_back_pay_line_ids": [(6, 0, keys)]})
