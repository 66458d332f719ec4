from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kpi_policy import KpiPolicy

APPROVER_TYPES = [
    ("superior", "Superiors of the evaluated employees"),
    ("department_manager", "Manager of the department"),
    ("users", "Named users"),
]


class HrKpiSignoffLevel(models.Model):
    """One level of a sign-off chain and who signs it."""

    _name = "hr.kpi.signoff.level"
    _description = "KPI Results Sign-off Level"
    _order = "chain_id, sequence, id"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(unlink="free", fixed=("chain_id",))

    chain_id = fields.Many2one(
        "hr.kpi.signoff.chain", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="chain_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(
        required=True,
        translate=True,
        help="As printed on the results sheet, e.g. 上级主管, 人力资源总监, 总经理.",
    )
    approver_type = fields.Selection(
        APPROVER_TYPES, string="Signed By", required=True, default="users"
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Signers",
        check_company=True,
        help="Named users: any one of them signs this level.",
    )

    @api.constrains("approver_type", "user_ids")
    def _check_users(self):
        for level in self:
            if level.approver_type == "users" and not level.user_ids:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s of %(chain)s is signed by named users: name at least one.",
                        level=level.name,
                        chain=level.chain_id.name,
                    )
                )
            outsiders = level.user_ids.filtered(
                lambda user: not user.has_group("hr_kpi_service.group_kpi_manager")
            )
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Level %(level)s of %(chain)s: %(users)s cannot sign results sheets "
                        "(they need the group KPI Manager).",
                        level=level.name,
                        chain=level.chain_id.name,
                        users=", ".join(outsiders.mapped("name")),
                    )
                )

    def _signers(self, sheet):
        """The user ids this level allows to sign `sheet` (before four-eyes)."""
        self.ensure_one()
        if self.approver_type == "users":
            return set(self.user_ids.ids)
        if self.approver_type == "superior":
            return set(sheet.evaluation_ids.manager_id.user_id.ids)
        department = sheet.department_id
        evaluated = sheet.evaluation_ids.employee_id
        while department:
            manager = department.manager_id
            if manager.user_id and manager not in evaluated:
                return {manager.user_id.id}
            department = department.parent_id
        return set()
