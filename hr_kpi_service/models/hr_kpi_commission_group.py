from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .kpi_policy import KpiPolicy

MEMBER_TABLE = "hr_kpi_commission_group_member_rel"


class HrKpiCommissionGroup(models.Model):
    """A reception group (业务组) of service advisors (seed 000, 业务接待岗位: 个人提成 =
    (产值提成 + 精品提成) × 个人系数 / 业务组总系数).

    The group's advisors share one commission pool a month, split by their personal
    coefficients. HR (KPI officers) keeps the groups: their names, the manager who
    grades the advisors (the front-desk supervisor, 前台主管) and their members. An
    advisor belongs to one group at a time (PostgreSQL unique index on the members),
    so his month has one pool. The manager records and confirms the months of his
    group's members only; a month stays with the group it was created in.
    """

    _name = "hr.kpi.commission.group"
    _description = "KPI Commission Group"
    _inherit = ["mail.thread", "hr.kpi.protected.mixin"]
    # Configured by KPI officers (access rights); its company stays once months use it.
    _kpi_policy = KpiPolicy(unlink="free")
    _order = "company_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, help="E.g. 接待一组.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    manager_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The front-desk supervisor (前台主管) who records and confirms the months of "
        "the group's members; his user acts in the application.",
    )
    member_ids = fields.Many2many(
        "hr.employee",
        MEMBER_TABLE,
        "group_id",
        "employee_id",
        string="Members",
        check_company=True,
        help="The service advisors sharing the group's commission; each advisor is in one "
        "group at a time.",
    )
    month_ids = fields.One2many("hr.kpi.commission.month", "group_id", string="Months")
    note = fields.Text()

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "A company has one commission group of each name.",
        ),
    ]

    def init(self):
        # an advisor in two groups would have two pools to be paid from
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS hr_kpi_commission_group_one_per_member
                ON %s (employee_id)
                """,
                SQL.identifier(MEMBER_TABLE),
            )
        )

    @api.constrains("member_ids")
    def _check_one_group_per_member(self):
        """Said in words before the unique index refuses it."""
        others = self.search(
            [("id", "not in", self.ids), ("member_ids", "in", self.member_ids.ids)]
        )
        for group in self:
            clash = others.filtered(lambda other, g=group: other.member_ids & g.member_ids)
            if clash:
                employee = (clash[0].member_ids & group.member_ids)[0]
                raise ValidationError(
                    self.env._(
                        "%(employee)s is already a member of the commission group %(group)s: "
                        "an advisor is in one group at a time (remove him there first).",
                        employee=employee.name,
                        group=clash[0].name,
                    )
                )

    def write(self, vals):
        if "company_id" in vals and self.month_ids:
            raise UserError(
                self.env._(
                    "%(group)s has advisor months: its company no longer changes.",
                    group=self[0].name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_months(self):
        used = self.filtered("month_ids")
        if used:
            raise UserError(
                self.env._(
                    "%(group)s has advisor months: it stays as their group.",
                    group=used[0].name,
                )
            )

    def _managed_by(self, user):
        """The groups of ``self`` whose manager is ``user``."""
        return self.filtered(lambda group: group.manager_id.user_id == user)
