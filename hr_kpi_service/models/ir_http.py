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

from odoo import models

TO_RATE_ACTION = "hr_kpi_service.action_hr_kpi_rating_to_rate"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def session_info(self):
        info = super().session_info()
        user = self.env.user
        if info.get("uid") and user._kpi_lands_on_ratings():
            action = self.env.ref(TO_RATE_ACTION, raise_if_not_found=False)
            if action:
                info["home_action_id"] = action.id
        return info
