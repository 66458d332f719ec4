from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import HIGHER, LOWER
from .hr_kpi_number_checks import MONEY, check_numbers
from .kpi_policy import KpiPolicy

# The scoring methods that compare the actual value with a target (and a stretch).
TARGET_METHODS = ("ratio", "banded")
# A target is a count, a rate or an amount: never negative, never absurd (RELIABILITY #42).
TARGET_LIMITS = {"target": MONEY, "stretch": MONEY}


class HrKpiTargetPlanLine(models.Model):
    """One indicator of a target plan: the person's target and, optionally, the
    stretch target (力争) that banded points reward.

    Changed only while the plan is a draft; afterwards through a revision.
    """

    _name = "hr.kpi.target.plan.line"
    _inherit = ["hr.kpi.protected.mixin"]
    # A line of a target plan stays on its plan; targets are bounded (RELIABILITY #42).
    _kpi_policy = KpiPolicy(fixed=("plan_id",), unlink="free", bounds=TARGET_LIMITS)
    _description = "KPI Personal Target"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    plan_id = fields.Many2one("hr.kpi.target.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True)
    employee_id = fields.Many2one(related="plan_id.employee_id", store=True, index=True)
    state = fields.Selection(related="plan_id.state")
    sequence = fields.Integer(default=10)
    indicator_id = fields.Many2one(
        "hr.kpi.indicator", required=True, ondelete="restrict", check_company=True
    )
    scoring_method = fields.Selection(related="indicator_id.scoring_method")
    direction = fields.Selection(related="indicator_id.direction")
    unit = fields.Char(related="indicator_id.unit")
    scheme_target = fields.Float(
        related="indicator_id.target", string="Scheme Target", help="The indicator's own target."
    )
    target = fields.Float(required=True, aggregator=None)
    stretch = fields.Float(
        string="Stretch Target",
        aggregator=None,
        help="力争: the better-than-target value banded points reward with the top band; "
        "empty: the indicator's own stretch target.",
    )
    note = fields.Char()

    _sql_constraints = [
        (
            "indicator_uniq",
            "unique(plan_id, indicator_id)",
            "An indicator has one target per plan.",
        ),
    ]

    @api.depends("plan_id.display_name", "indicator_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(plan)s · %(indicator)s",
                plan=line.plan_id.display_name or "",
                indicator=line.indicator_id.name or "",
            )

    @api.constrains("target", "stretch", "indicator_id")
    def _check_target(self):
        check_numbers(self, TARGET_LIMITS)
        _ = self.env._
        for line in self:
            indicator = line.indicator_id
            reason = None
            stretch = line.stretch or indicator.stretch
            if indicator.scoring_method in TARGET_METHODS and not line.target:
                reason = _("a target is required and must not be zero.")
            elif indicator.scoring_method == "banded" or line.stretch:
                if indicator.direction == HIGHER and stretch < line.target:
                    reason = _("the stretch target must be at or above the target.")
                if indicator.direction == LOWER and stretch > line.target:
                    reason = _(
                        "the stretch target must be at or below the target when lower is better."
                    )
            if reason:
                raise ValidationError(
                    _("%(indicator)s: %(reason)s", indicator=indicator.name, reason=reason)
                )

    # Targets change while the plan is a draft (before proposing, or a revision).
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.plan_id._check_lines_editable()
        return lines

    def _kpi_fixed_message(self, fnames):
        return self.env._("A target stays in its plan: add it to the other plan instead.")

    def write(self, vals):
        self.plan_id._check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.plan_id._check_lines_editable()
        return super().unlink()
