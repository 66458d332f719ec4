from odoo import models

from .hr_kpi_rating_followup import RATING_OPEN_STATES


class ResUsers(models.Model):
    _inherit = "res.users"

    def _kpi_lands_on_ratings(self):
        """Whether this user's home is his "To Rate" list now (ir_http.py): he is not
        a KPI officer and has ratings waiting for him."""
        self.ensure_one()
        if self.share or self.has_group("hr_kpi_service.group_kpi_officer"):
            return False
        # A rater does not read the evaluations: their state through the related
        # field (as _check_rater reads it).
        pending = self.env["hr.kpi.rating"].with_user(self).search(
            [("rater_user_id", "=", self.id), ("state", "=", "todo")]
        )
        return any(rating.evaluation_state in RATING_OPEN_STATES for rating in pending)
