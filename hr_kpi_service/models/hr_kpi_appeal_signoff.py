from odoo import models
from odoo.exceptions import AccessError, UserError

from .kpi_policy import kpi_action


class HrKpiAppeal(models.Model):
    """Appeals after calibration go back to the 考核委员会, whose review is final
    (seed 004 考核流程): where the evaluation's results sheet was calibrated by a
    committee, its members decide the appeal instead of HR."""

    _inherit = "hr.kpi.appeal"

    def _kpi_committee(self):
        self.ensure_one()
        return self.sudo().evaluation_id.results_sheet_id.chain_id.committee_id

    def _kpi_committee_appeals(self):
        """The appeals of `self` a committee decides (all or none of them)."""
        mine = self.filtered(lambda appeal: appeal._kpi_committee())
        if mine and mine != self:
            raise UserError(
                self.env._(
                    "Decide the appeals that go to the calibration committee apart from the others."
                )
            )
        return mine

    def _check_decider(self):
        if not self._kpi_committee_appeals():
            return super()._check_decider()
        for appeal in self:
            committee = appeal._kpi_committee()
            if self.env.user not in committee.member_ids:
                raise AccessError(
                    self.env._(
                        "Appeals after calibration go to %(committee)s: its members decide "
                        "them, and their decision is final.",
                        committee=committee.name,
                    )
                )
        return None

    def _decide(self, state, note):
        if self._kpi_committee_appeals():
            # the committee's decision: its members checked in _check_decider, the
            # appeal written by the system (members need no write right on appeals)
            return super(HrKpiAppeal, self.sudo())._decide(state, note)
        return super()._decide(state, note)

    @kpi_action
    def action_uphold(self, note=None):
        if not self._kpi_committee_appeals():
            return super().action_uphold(note)
        self._decide("upheld", note or self.env.context.get("kpi_decision_note"))
        for appeal in self.sudo():
            appeal.evaluation_id._kpi_committee_reopen(
                self.env._("Appeal upheld by the committee: %(note)s", note=appeal.decision_note)
            )
        return True

    @kpi_action
    def action_reject(self, note=None):
        if not self._kpi_committee_appeals():
            return super().action_reject(note)
        self._decide("rejected", note or self.env.context.get("kpi_decision_note"))
        for appeal in self.sudo():
            appeal.evaluation_id._kpi_committee_close(
                self.env._("Appeal rejected by the committee: %(note)s", note=appeal.decision_note)
            )
        return True
