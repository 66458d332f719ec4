from odoo import fields, models


class HrRuleInput(models.Model):
    """The name of a salary rule's input is copied onto the payslip's input lines
    (in the payslip's language, see ``hr.payslip._kpi_declared_inputs``):
    translatable."""

    _inherit = "hr.rule.input"

    name = fields.Char(translate=True)
