"""The payslip's name in the language it is made in (issue 13).

OCA payroll names a payslip "Salary Slip of %(name)s for %(dt)s", the month written
"MMMM-y", and ships no zh_CN translation of it: a Chinese payroll office got
"Salary Slip of 赵敏 for 十月-2026". The same name is built here, in the payslip's
language, from a term of this module (translated in its .po) and the month written
as the language writes a month and a year ("2026年10月", "October 2026").
"""

from datetime import datetime, time

from babel.dates import format_skeleton

from odoo import models
from odoo.tools.misc import get_lang


class HrPayslip(models.Model):
    _inherit = "hr.payslip"

    def _compute_name(self):
        """Named in the payslip's language (_kpi_lang), not in the language of
        whoever generates the batch."""
        for lang, payslips in self._kpi_by_lang().items():
            payslips.with_context(lang=lang)._kpi_compute_name()

    def _kpi_compute_name(self):
        lang = get_lang(self.env).code
        for payslip in self:
            if not payslip.date_from:
                payslip.name = False
                continue
            month = format_skeleton(
                "yMMMM", datetime.combine(payslip.date_from, time.min), locale=lang
            )
            payslip.name = self.env._(
                "Salary Slip of %(employee)s for %(month)s",
                employee=payslip.employee_id.name or "",
                month=month,
            )
