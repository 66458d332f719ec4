from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.errors import KpiEngineError
from ..engine.signoff import check_chain
from .kpi_policy import KpiPolicy


class HrKpiSignoffChain(models.Model):
    """The approval chain of the results sheets (《绩效考核结果处理表》) of the schemes
    that use it: seed 004 第17条 上级主管 → 职能部门经理 → 人力资源总监 → 总经理, seed 000
    3.2 公司领导. A scheme without a chain pays after HR's approval alone."""

    _name = "hr.kpi.signoff.chain"
    _description = "KPI Results Sign-off Chain"
    _order = "sequence, id"
    _inherit = ["hr.kpi.protected.mixin"]
    _check_company_auto = True
    # Configuration of the company (KPI officers).
    _kpi_policy = KpiPolicy(unlink="free")

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many("hr.kpi.signoff.level", "chain_id", string="Levels", copy=True)
    scheme_ids = fields.One2many("hr.kpi.scheme", "signoff_chain_id", string="Schemes")
    committee_id = fields.Many2one(
        "hr.kpi.calibration.committee",
        string="Calibration Committee",
        check_company=True,
        help="The 考核委员会 that calibrates the sheets before they are signed, and decides "
        "the appeals that follow (seed 004 考核流程). Empty: no calibration.",
    )
    publish_scores = fields.Boolean(
        string="公示 Shows Scores",
        help="When the signed sheet is published (公示), the department sees names and "
        "grades; with this, the scores too. Notes, ratings and consequences never.",
    )
    note = fields.Text(translate=True)

    @api.constrains("level_ids")
    def _check_levels(self):
        for chain in self:
            try:
                check_chain([(level.name, level.approver_type) for level in chain.level_ids])
            except KpiEngineError as err:
                raise ValidationError(
                    self.env._(
                        "Sign-off chain %(name)s: %(reason)s",
                        name=chain.name,
                        reason=self.env._(err.message, **err.params),
                    )
                ) from err
            if not chain.level_ids:
                raise ValidationError(
                    self.env._(
                        "Sign-off chain %(name)s has no level; a scheme without sign-off "
                        "simply has no chain.",
                        name=chain.name,
                    )
                )
