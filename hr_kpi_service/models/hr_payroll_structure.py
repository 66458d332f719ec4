from odoo import fields, models


class HrPayrollStructure(models.Model):
    """A salary structure's name is shown to payroll officers and employees in
    their language ("Customer service" / 客服人员): translatable."""

    _inherit = "hr.payroll.structure"

    name = fields.Char(translate=True)
