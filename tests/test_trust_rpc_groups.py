"""Issue 19 examples 2 and 3 over real XML-RPC calls: the commission month of another
group, a coefficient of 100, a re-pointed month and a target plan moved to a colleague
are refused with a clean message (RELIABILITY #43, #42).

Runs with ``--odoo-http`` (``make test`` passes it).
"""

from odoo.tests import HttpCase, tagged

from .common import XmlRpcMixin
from .test_kpi_commission_group import CommissionGroupCase
from .test_kpi_target_plan import TargetPlanCase

MONTH = "hr.kpi.commission.month"


@tagged("post_install", "-at_install")
class TestCommissionGroupRpc(XmlRpcMixin, CommissionGroupCase, HttpCase):
    def test_another_groups_pool_over_rpc(self):
        """RELIABILITY #43: the body-shop lead's month in A组 and a coefficient of 100
        in his own B组 are refused cleanly; so is moving his month into A组."""
        lead = self.other_lead_user
        self.assertCleanFault(
            lambda: self._call(lead, MONTH, "create", self._month_vals(self.other_rep, self.group)),
            "you do not manage this group",
        )
        self.assertCleanFault(
            lambda: self._call(
                lead, MONTH, "create", self._month_vals(self.other_rep, self.other_group, 100)
            ),
            "cannot be above 3",
        )
        month_id = self._call(
            lead, MONTH, "create", self._month_vals(self.other_rep, self.other_group)
        )
        self.assertCleanFault(
            lambda: self._call(lead, MONTH, "write", [month_id], {"group_id": self.group.id}),
            "keeps its",
        )
        self.assertCleanFault(
            lambda: self._call(lead, MONTH, "write", [month_id], {"coefficient": "9" * 100000}),
            "must be a number",
        )
        month = self.env[MONTH].browse(month_id)
        self.assertEqual((month.group_id, month.coefficient), (self.other_group, 1.0))
        self.assertFalse(self.env[MONTH].search([("group_id", "=", self.group.id)]))


@tagged("post_install", "-at_install")
class TestTargetPlanRpc(XmlRpcMixin, TargetPlanCase, HttpCase):
    def test_plan_moved_to_a_colleague_over_rpc(self):
        """RELIABILITY #43 and #42: the rep's revision moved to his colleague, and a
        NaN-like or endless target, are refused cleanly."""
        plan = self._approved()
        revision_id = plan.action_revise()["res_id"]
        self.assertCleanFault(
            lambda: self._call(
                self.user,
                "hr.kpi.target.plan",
                "write",
                [revision_id],
                {"employee_id": self.colleague.id},
            ),
            "keeps its",
        )
        line = self.env["hr.kpi.target.plan"].browse(revision_id).line_ids[0]
        for bad in (1e308, -1, "9" * 100000, "abc"):
            self.assertCleanFault(
                lambda b=bad: self._call(
                    self.user, "hr.kpi.target.plan.line", "write", line.ids, {"target": b}
                ),
                "Target",
            )
        revision = self.env["hr.kpi.target.plan"].browse(revision_id)
        self.assertEqual((revision.employee_id, line.target), (self.rep, 80000))
