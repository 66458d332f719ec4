"""KPI managers and officers land on the KPI overview: their home action is set when
they get the group (and, on install, for those who have it already). A home action
already set is kept (one chosen by hand, or a lead's "to rate" list); a user who
leaves the group no longer lands on the overview. Plain users' home actions are
otherwise never touched."""

from odoo import api, models

OVERVIEW = "hr_kpi_service_reports.action_hr_kpi_overview_client"
MANAGER = "hr_kpi_service.group_kpi_manager"
GROUP_KEYS = ("groups_id",)
GROUP_KEY_PREFIXES = ("in_group_", "sel_groups_")


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._kpi_land_on_overview()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(key in GROUP_KEYS or key.startswith(GROUP_KEY_PREFIXES) for key in vals):
            self._kpi_land_on_overview()
        return result

    @api.model
    def _kpi_land_all_managers_on_overview(self):
        """On install: every KPI manager and officer (demo users included)."""
        group = self.env.ref(MANAGER, raise_if_not_found=False)
        if group:
            self.with_context(active_test=False).search(
                [("groups_id", "in", group.ids)]
            )._kpi_land_on_overview()

    def _kpi_land_on_overview(self):
        overview = self.env.ref(OVERVIEW, raise_if_not_found=False)
        group = self.env.ref(MANAGER, raise_if_not_found=False)
        if not overview or not group:
            return
        managers = self.filtered(lambda user: group in user.groups_id)
        # out of the group: not left on a screen that is no longer his
        (self - managers).filtered(lambda user: user.action_id.id == overview.id).write(
            {"action_id": False}
        )
        landing = managers.filtered(lambda user: not user.action_id)
        if landing:
            landing.write({"action_id": overview.id})
