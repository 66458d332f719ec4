"""Payroll bridge, standby days deducted once (seed 004 待岗培训): the decisions a
payslip's KPI_STANDBY line deducts are recorded in ``hr.kpi.standby.deduction``,
whose unique constraint PostgreSQL enforces across concurrent transactions. A month
decided after its payslip was done is deducted by the next payslip holding KPI
lines (``hr.kpi.consequence._standby_decisions``)."""

import psycopg2

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from ..engine import KPI_STANDBY
from .hr_payslip import _kpi_month


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    def _kpi_sync_standby(self):
        """Record the standby decisions these payslips deduct (their KPI_STANDBY
        lines, while they hold KPI lines); forget those of payslips that no longer
        do (cancelled, refunded, lines replaced). Called with the allocations' sync,
        as superuser."""
        slips = self.sudo()
        slips._kpi_fill_standby_decisions()
        Deduction = self.env["hr.kpi.standby.deduction"].sudo()
        existing = {
            (row.payslip_id.id, row.consequence_id.id): row
            for row in Deduction.search([("payslip_id", "in", slips.ids)])
        }
        wanted = {}
        for slip in slips:
            if not slip._kpi_is_holder():
                continue
            paid_month = _kpi_month(slip.date_from, slip.date_to)
            for line in slip.input_line_ids.filtered(lambda i: i.code == KPI_STANDBY):
                for decision in line.kpi_standby_consequence_ids:
                    wanted[(slip.id, decision.id)] = {
                        "payslip_id": slip.id,
                        "employee_id": slip.employee_id.id,
                        "company_id": slip.company_id.id or slip.employee_id.company_id.id,
                        "consequence_id": decision.id,
                        "days": decision.standby_days,
                        "month": decision.standby_period_id.date_from,
                        "paid_month": paid_month,
                    }
        stale = Deduction.union(*(row for key, row in existing.items() if key not in wanted))
        to_create = [vals for key, vals in wanted.items() if key not in existing]
        if not (stale or to_create):
            return
        try:
            # the duplicate key is expected under concurrency: reported below, not logged
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                stale.unlink()
                Deduction.create(to_create)
        except psycopg2.errors.UniqueViolation as err:
            raise ValidationError(
                self.env._(
                    "Standby days are deducted once: %(payslips)s would deduct days another "
                    "payslip already deducts (perhaps saved at the same moment). Run Add KPI "
                    "lines again on %(payslips)s.",
                    payslips=", ".join(self.mapped(lambda slip: slip._kpi_label())),
                )
            ) from err

    def _kpi_fill_standby_decisions(self):
        """A KPI_STANDBY line that reached the payslip without its decisions (a client
        that does not send read-only fields) gets them from the pay plan, so that
        they are recorded, and deducted once, all the same."""
        bare = self.filtered(
            lambda slip: (
                slip._kpi_is_holder()
                and any(
                    line.code == KPI_STANDBY
                    and line.amount
                    and not line.kpi_standby_consequence_ids
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
                if code == KPI_STANDBY
                for key in line.keys
            ]
            lines = slip.input_line_ids.filtered(
                lambda i: i.code == KPI_STANDBY and not i.kpi_standby_consequence_ids
            )
            lines.write({"kpi_standby_consequence_ids": [(6, 0, keys)]})
