from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kpi_policy import KpiPolicy

MEMBER_GROUP = "hr_kpi_service.group_kpi_manager"


class HrKpiCalibrationCommittee(models.Model):
    """The 考核委员会 (seed 004 考核流程): its members calibrate the results sheets of
    the chains that name it, against the distribution ranges configured here, and
    decide the appeals that follow a calibration."""

    _name = "hr.kpi.calibration.committee"
    _description = "KPI Calibration Committee"
    _order = "name, id"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    _kpi_policy = KpiPolicy(unlink="free")

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    member_ids = fields.Many2many(
        "res.users", string="Members", check_company=True, help="KPI managers or officers."
    )
    rule_ids = fields.One2many(
        "hr.kpi.distribution.rule", "committee_id", string="Distribution Ranges", copy=True
    )

    @api.constrains("member_ids")
    def _check_members(self):
        for committee in self:
            if len(committee.member_ids) < 2:
                raise ValidationError(
                    self.env._(
                        "Committee %(name)s needs at least two members: each move is "
                        "confirmed by another member.",
                        name=committee.name,
                    )
                )
            outsiders = committee.member_ids.filtered(lambda u: not u.has_group(MEMBER_GROUP))
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Committee %(name)s: %(users)s cannot calibrate (they need the group "
                        "KPI Manager).",
                        name=committee.name,
                        users=", ".join(outsiders.mapped("name")),
                    )
                )
