from odoo import api, fields, models
from odoo.exceptions import UserError

APPEAL_STATES = [
    ("submitted", "Submitted"),
    ("upheld", "Upheld"),
    ("rejected", "Rejected"),
]


class HrKpiAppeal(models.Model):
    """An employee's appeal (申诉) against a published evaluation; HR's decision is final."""

    _name = "hr.kpi.appeal"
    _description = "KPI Appeal"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    evaluation_id = fields.Many2one(
        "hr.kpi.evaluation", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="evaluation_id.company_id", store=True)
    employee_id = fields.Many2one(related="evaluation_id.employee_id", store=True)
    reason = fields.Text(required=True)
    state = fields.Selection(APPEAL_STATES, default="submitted", required=True, tracking=True)
    decision_note = fields.Text(tracking=True)
    decided_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decision_date = fields.Datetime(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = self.env["hr.kpi.evaluation"].browse(
            [vals["evaluation_id"] for vals in vals_list]
        )
        now = fields.Datetime.now()
        for evaluation in evaluations:
            if evaluation.state != "published":
                raise UserError(
                    self.env._(
                        "Only a published evaluation can be appealed (%(evaluation)s is not).",
                        evaluation=evaluation.name,
                    )
                )
            if evaluation.appeal_deadline and now > evaluation.appeal_deadline:
                raise UserError(
                    self.env._(
                        "The appeal window of %(evaluation)s closed on %(deadline)s.",
                        evaluation=evaluation.name,
                        deadline=evaluation._local_deadline(),
                    )
                )
        appeals = super().create(vals_list)
        # The record rules let an employee appeal only his own evaluation (checked by
        # the create above); moving it to "under appeal" is the appeal's own effect,
        # which the employee may not write himself.
        appeals.evaluation_id.sudo()._set_state("appealed")
        for appeal in appeals:
            appeal.evaluation_id.sudo().message_post(
                body=self.env._("Appeal lodged: %(reason)s", reason=appeal.reason),
                author_id=self.env.user.partner_id.id,
            )
        return appeals

    def write(self, vals):
        decided = self.filtered(lambda appeal: appeal.state != "submitted")
        if decided and not self.env.context.get("kpi_appeal_deciding"):
            raise UserError(self.env._("An appeal decision is final and cannot be changed."))
        return super().write(vals)

    def _decide(self, state, note):
        """Record HR's final decision; `note` defaults to the appeal's decision note."""
        if not self.env.user.has_group("hr_kpi_service.group_kpi_officer"):
            raise UserError(self.env._("Only HR (KPI officers) decide appeals."))
        if self.filtered(lambda appeal: appeal.state != "submitted"):
            raise UserError(self.env._("An appeal decision is final and cannot be changed."))
        now = fields.Datetime.now()
        for appeal in self:
            decision = (note or appeal.decision_note or "").strip()
            if not decision:
                raise UserError(self.env._("Write the reason of the decision."))
            appeal.with_context(kpi_appeal_deciding=True).write(
                {
                    "state": state,
                    "decision_note": decision,
                    "decided_by_id": self.env.user.id,
                    "decision_date": now,
                }
            )

    def action_uphold(self, note=None):
        """Upheld: the evaluation goes back to HR review to be corrected and rescored."""
        self._decide("upheld", note or self.env.context.get("kpi_decision_note"))
        for appeal in self:
            appeal.evaluation_id.action_reopen(
                self.env._("Appeal upheld: %(note)s", note=appeal.decision_note)
            )
        return True

    def action_reject(self, note=None):
        """Rejected: the evaluation is closed as published."""
        self._decide("rejected", note or self.env.context.get("kpi_decision_note"))
        self.evaluation_id._set_state("closed")
        for appeal in self:
            appeal.evaluation_id.message_post(
                body=self.env._("Appeal rejected: %(note)s", note=appeal.decision_note)
            )
        return True
