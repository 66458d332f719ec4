from odoo import fields, models


class HrKpiScheme(models.Model):
    _inherit = "hr.kpi.scheme"

    signoff_chain_id = fields.Many2one(
        "hr.kpi.signoff.chain",
        string="Sign-off Chain",
        check_company=True,
        tracking=True,
        help="Who signs the results sheet of each period before the results pay (seed 004: "
        "上级主管 → 职能部门经理 → 人力资源总监 → 总经理; seed 000: 公司领导). Empty: HR's "
        "approval alone.",
    )
