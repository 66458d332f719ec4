"""Commission groups (业务组) are records with a manager and members (issue 19,
RELIABILITY #43): a lead records and confirms months only inside the group he
manages, for its members, with a bounded personal coefficient; a month keeps its
advisor and group; the group's total coefficient is shown before confirming."""

from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import GROUP_MANAGER
from .test_kpi_commission import HEADER, SEED_FORMULA, SEED_ROW, CommissionCase

# 服务顾问乙's figures in A组, confirmed by nobody yet
SECOND_ROW = "服务顾问乙,A组,60000,,,50000,30,30,,,0.8,0\n"


@tagged("post_install", "-at_install")
class CommissionGroupCase(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # another department: its lead manages B组 with his own rep
        cls.other_lead_user = new_test_user(
            cls.env,
            "kpi_lead_bodyshop",
            groups=f"base.group_user,{GROUP_MANAGER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.other_lead = cls._employee("钣喷主管", job=cls.job_lead)
        cls.other_lead.user_id = cls.other_lead_user
        cls.other_rep, cls.other_rep_contract = cls._staff(
            "钣喷顾问", cls.job_rep, 3000, kpi_reception_staff=True
        )
        cls.other_rep.parent_id = cls.other_lead
        cls.other_group = cls.env["hr.kpi.commission.group"].create(
            {
                "name": "B组",
                "company_id": cls.company.id,
                "manager_id": cls.other_lead.id,
                "member_ids": [(6, 0, cls.other_rep.ids)],
            }
        )

    def _month_vals(self, employee, group, coefficient=1.0):
        return {
            "employee_id": employee.id,
            "group_id": group.id,
            "period_id": self.month.id,
            "company_id": self.company.id,
            "repair_receipts": 1000,
            "production_target": 1000,
            "intake": 1,
            "intake_target": 1,
            "coefficient": coefficient,
        }

    @contextmanager
    def refused(self, exception, pattern):
        """The call is refused with `pattern` in its message and writes nothing."""
        with self.assertRaisesRegex(exception, pattern), self.env.cr.savepoint():
            yield

    def _commission(self, contract):
        return self._inputs(self._pay(contract))["KPI_COMMISSION"]


class TestCommissionGroupAttack(CommissionGroupCase):
    def test_a_lead_cannot_dilute_another_groups_pool(self):
        """RELIABILITY #43, issue 19 example 3: the body-shop lead creates a month for
        his own rep in A组 with coefficient 100, to take A组's pool. Every way in is
        refused and 服务顾问甲 is still paid 1585 × 1/1."""
        Month = self.env["hr.kpi.commission.month"]
        as_lead = Month.with_user(self.other_lead_user)
        # 服务顾问甲 into B组: not a member of it
        with self.refused(ValidationError, "服务顾问甲 is not a member"):
            as_lead.create(self._month_vals(self.advisor, self.other_group))
        self._import(HEADER + SEED_ROW)
        self._publish({self.advisor: 98, self.other_rep: 98})
        # his rep in A组, with coefficient 100: no personal coefficient
        with self.refused(ValidationError, "Personal Coefficient cannot be above 3"):
            as_lead.create(self._month_vals(self.other_rep, self.group, 100.0))
        with self.refused(ValidationError, "Group must be a record"):
            as_lead.create(dict(self._month_vals(self.other_rep, self.group), group_id="abc"))
        # with coefficient 1: he does not manage A组
        with self.refused(AccessError, "you do not manage this group"):
            as_lead.create(self._month_vals(self.other_rep, self.group, 1.0))
        # in his own group: 100 is no personal coefficient
        with self.refused(ValidationError, "Personal Coefficient cannot be above 3"):
            as_lead.create(self._month_vals(self.other_rep, self.other_group, 100.0))
        # his own month in his own group, then moved into A组: a month keeps its group
        own = as_lead.create(self._month_vals(self.other_rep, self.other_group, 3.0))
        with self.refused(UserError, "A commission month keeps its Group"):
            own.write({"group_id": self.group.id})
        own.action_confirm()  # B组's own month: his to confirm
        self.assertEqual((own.group_id, own.confirmed), (self.other_group, True))
        self.assertEqual(Month.search([("group_id", "=", self.group.id)]).employee_id, self.advisor)
        slip = self._pay(self.advisor_contract)
        line = slip.input_line_ids.filtered(lambda i: i.code == "KPI_COMMISSION")
        self.assertEqual((line.amount, line.kpi_explanation), (1585.0, SEED_FORMULA))
        # B组's pool is his rep's alone: 1000 × 0.5 % × 100 % × 100 % × 3/3 = 5
        self.assertEqual(self._commission(self.other_rep_contract), 5.0)

    def test_a_group_manager_confirms_only_his_groups_months(self):
        """RELIABILITY #43: A组's manager reads his subordinate's month in B组 but
        neither confirms nor changes it; B组's manager confirms it."""
        self.other_rep.parent_id = self.lead  # also in A组's manager's team
        month = (
            self.env["hr.kpi.commission.month"]
            .with_user(self.officer)
            .create(self._month_vals(self.other_rep, self.other_group))
        )
        as_manager = month.with_user(self.manager)
        self.assertEqual(as_manager.search([("id", "=", month.id)]), month)
        with self.assertRaises(AccessError):
            as_manager.action_confirm()
        with self.assertRaises(AccessError):
            as_manager.write({"coefficient": 2.0})
        self.assertEqual((month.confirmed, month.coefficient), (False, 1.0))
        month.with_user(self.other_lead_user).action_confirm()
        self.assertEqual((month.confirmed, month.confirmed_by_id), (True, self.other_lead_user))

    def test_a_month_keeps_its_advisor_and_group(self):
        """RELIABILITY #43: re-pointing the advisor or the group is refused, also for
        an officer, and nothing changes; writing the same values is no change."""
        second, _contract = self._staff("服务顾问乙", self.job_rep, 3000)
        self._join(second)
        self._import(HEADER + SECOND_ROW)
        month = self._months()
        as_officer = month.with_user(self.officer)
        with self.refused(UserError, "A commission month keeps its Employee"):
            as_officer.write({"employee_id": self.advisor.id})
        with self.refused(UserError, "A commission month keeps its Group"):
            as_officer.write({"group_id": self.other_group.id})
        self.assertEqual((month.employee_id, month.group_id), (second, self.group))
        as_officer.write({"group_id": self.group.id, "coefficient": 1.1})
        self.assertEqual(month.coefficient, 1.1)

    def test_coefficients_are_bounded(self):
        """RELIABILITY #42/#43: a personal coefficient is from 0 to 3, by create,
        write and import, with a message naming the field; no figure overflows."""
        Month = self.env["hr.kpi.commission.month"].with_user(self.officer)
        for bad in (100.0, 3.01, -0.5, float("nan"), float("inf"), 1e308, "9" * 100000, "abc"):
            with self.refused(ValidationError, "^Personal Coefficient (must|cannot)"):
                Month.create(self._month_vals(self.advisor, self.group, bad))
        with self.refused(ValidationError, "^Repair Receipts cannot be above 1000000000"):
            Month.create(dict(self._month_vals(self.advisor, self.group), repair_receipts=1e308))
        month = Month.create(self._month_vals(self.advisor, self.group, 3.0))
        with self.refused(ValidationError, "Personal Coefficient cannot be above 3"):
            month.write({"coefficient": 100})
        self.assertEqual(month.coefficient, 3.0)
        month.unlink()
        with self.refused(UserError, "Personal Coefficient"):
            self._import(HEADER + SEED_ROW.replace(",,1\n", ",100,1\n"))
        self.assertFalse(self._months())

    def test_the_group_total_is_shown_before_confirming(self):
        """The month shows the group's total coefficient (业务组总系数) of the period,
        also while a new month is typed; the confirmation states it."""
        second, _contract = self._staff("服务顾问乙", self.job_rep, 3000)
        self._join(second)
        self._import(
            HEADER + SEED_ROW.replace(",,150000", ",A组,150000").replace(",,1\n", ",1.2,0\n")
        )
        self._import(HEADER + SECOND_ROW)
        months = self._months().with_user(self.manager)
        self.assertEqual(months.mapped("group_coefficient_total"), [2.0, 2.0])
        typed = months[0].new(
            {"group_id": self.group.id, "period_id": self.month.id, "coefficient": 0.5}
        )
        self.assertEqual(typed.group_coefficient_total, 2.5)
        months.action_confirm()
        mine = months.filtered(lambda month: month.employee_id == self.advisor)
        self.assertIn("out of a total of 2 for the group A组", mine.message_ids[0].body)
        # the rep reads his confirmed month, not the group's total
        mine.with_user(self.user).read(["coefficient"])
        with self.assertRaises(AccessError):
            mine.with_user(self.user).read(["group_coefficient_total"])


class TestCommissionGroupRecords(CommissionGroupCase):
    def test_an_advisor_is_in_one_group_at_a_time(self):
        with self.refused(ValidationError, "服务顾问甲 is already a member"):
            self._join(self.advisor, group=self.other_group)
        self.assertEqual(self.other_group.member_ids, self.other_rep)

    def test_officers_keep_groups_managers_and_members_read_their_own(self):
        """RELIABILITY #43: only KPI officers create, change and delete groups; a
        manager reads the groups he manages or where his team is; a rep his own."""
        Group = self.env["hr.kpi.commission.group"]
        with self.assertRaises(AccessError):
            Group.with_user(self.manager).create(
                {"name": "C组", "company_id": self.company.id, "manager_id": self.lead.id}
            )
        with self.assertRaises(AccessError):
            self.group.with_user(self.manager).write({"member_ids": [(4, self.other_rep.id)]})
        self.assertEqual(Group.with_user(self.manager).search([]), self.group)
        self.assertEqual(Group.with_user(self.other_lead_user).search([]), self.other_group)
        self.assertEqual(Group.with_user(self.user).search([]), self.group)  # 服务顾问甲
        self.assertEqual(Group.with_user(self.officer).search([]), self.group | self.other_group)

    def test_a_group_with_months_keeps_them(self):
        self._import(HEADER + SEED_ROW)
        with self.refused(UserError, "has advisor months"):
            self.group.with_user(self.officer).unlink()
        with self.refused(UserError, "has advisor months"):
            self.group.with_user(self.officer).write({"company_id": self.other_company.id})

    def test_import_names_unknown_groups_and_non_members(self):
        with self.assertRaises(UserError) as caught:
            self._import(
                HEADER
                + SEED_ROW.replace(",,150000", ",Z组,150000")
                + "钣喷顾问,A组,1000,,,1000,1,1,,,,0\n"
            )
        message = str(caught.exception)
        self.assertIn('Unknown commission group "Z组"', message)
        self.assertIn("钣喷顾问 is not a member of the commission group A组", message)
        self.assertFalse(self._months())
