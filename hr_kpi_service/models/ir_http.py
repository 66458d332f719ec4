"""Where a rater lands (issue 20, finding 5).

Odoo 18 opens a user's Home Action (res.users ``action_id``, sent to the web client
as the session's ``home_action_id``) when the address names no action, i.e. after
logging in. A user who is not a KPI officer and has ratings waiting for him lands on
his "To Rate" list while they wait, whatever his Home Action; once he has submitted
them he lands where he did before (his Home Action, or Discuss). Nothing is written to
res.users: the home follows the work, and the Home Action that managers and officers
are given (the overview) is left alone. Officers always keep their Home Action (HR
rates for raters without a login from the evaluations, not from this list).
"""

from odoo import api, models

from .hr_kpi_rating_followup import RATING_OPEN_STATES

TO_RATE_ACTION = "hr_kpi_service.action_hr_kpi_rating_to_rate"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        if info.get("uid") and self._kpi_lands_on_ratings(self.env.user):
            action = self.env.ref(TO_RATE_ACTION, raise_if_not_found=False)
            if action:
                info["home_action_id"] = action.id
        return info

    @api.model
    def _kpi_lands_on_ratings(self, user):
        """Whether `user`'s home is his "To Rate" list now: he is not a KPI officer
        and has ratings waiting for him."""
        if user.share or user.has_group("hr_kpi_service.group_kpi_officer"):
            return False
        # A rater does not read the evaluations: their state through the related
        # field (as _check_rater reads it).
        pending = self.env["hr.kpi.rating"].with_user(user).search(
            [("rater_user_id", "=", user.id), ("state", "=", "todo")]
        )
        return any(rating.evaluation_state in RATING_OPEN_STATES for rating in pending)
