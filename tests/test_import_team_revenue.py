"""Import of the teams' repair revenue (seed 000 目标责任书 5.1: 季度计提维修收入0.3%作为
团队奖励; issue 21): real .xlsx/.xls files built here, all or nothing, each bad row
named with its row and column, the rows arriving as drafts that another officer
confirms before a team reward reads them."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP_OFFICER
from .test_kpi_import import ImportCase, xls, xlsx

TEAM, MONTH, REVENUE, SOURCE = "团队 / Team", "月份 / Month", "维修收入 / Repair Revenue", "来源"
HEADER = [TEAM, MONTH, REVENUE, SOURCE]


@tagged("post_install", "-at_install")
class TestImportTeamRevenue(ImportCase):
    """售后服务部 of the fourth quarter 2026: October 40 万, November 35 万, December 45 万
    (1,200,000 in the quarter; its team reward is 0.3 % of it, 3600)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Period = cls.env["hr.kpi.period"].with_company(cls.company)
        cls.quarter = Period._get_or_create(date(2026, 10, 1), "quarterly", cls.company)
        cls.months = [
            Period._get_or_create(date(2026, month, 1), "monthly", cls.company)
            for month in (10, 11, 12)
        ]
        cls.team = cls.env["hr.department"].create(
            {"name": "售后服务部", "company_id": cls.company.id}
        )
        cls.confirmer = new_test_user(
            cls.env,
            "kpi_revenue_confirmer_t",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def _quarter_rows(self):
        return [
            HEADER,
            ["售后服务部", date(2026, 10, 1), 400000, "财务月报"],
            ["售后服务部", date(2026, 11, 1), 350000, "财务月报"],
            ["售后服务部", date(2026, 12, 15), 450000, None],
        ]

    def _revenues(self):
        return self.env["hr.kpi.team.revenue"].search(
            [("department_id", "=", self.team.id)], order="date_from"
        )

    def _refused_revenue(self, filename, content, **vals):
        wizard = self._wizard("team_revenue", filename, content, period_id=self.quarter.id, **vals)
        before = self.env["hr.kpi.team.revenue"].search_count([])
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        self.assertEqual(self.env["hr.kpi.team.revenue"].search_count([]), before, "nothing")
        return caught.exception.args[0]

    def test_quarter_xlsx_arrives_unconfirmed_then_another_officer_confirms(self):
        """RELIABILITY #35, #43, issue 21: three months imported as drafts by the
        importer; he cannot confirm his own figures, another officer does, and the
        quarter then reads 1,200,000 confirmed; the same file again adds nothing."""
        wizard = self._import(
            "team_revenue", "revenue.xlsx", xlsx(self._quarter_rows()), period_id=self.quarter.id
        )
        self.assertEqual((wizard.new_count, wizard.skipped_count), (3, 0))
        revenues = self._revenues()
        self.assertEqual(revenues.mapped("amount"), [400000.0, 350000.0, 450000.0])
        self.assertEqual(revenues.period_id, self.env["hr.kpi.period"].concat(*self.months))
        self.assertEqual(set(revenues.mapped("state")), {"draft"})
        self.assertEqual(revenues.create_uid, self.importer)
        self.assertEqual(revenues[0].note, "财务月报")
        Revenue = self.env["hr.kpi.team.revenue"]
        self.assertEqual(Revenue._quarter_revenue(self.team, self.quarter)[0], 0, "drafts")

        with self.assertRaisesRegex(AccessError, "another officer"):
            revenues.with_user(self.importer).action_confirm()
        revenues.with_user(self.confirmer).action_confirm()
        self.assertEqual(set(revenues.mapped("state")), {"confirmed"})
        total, records, missing = self.env["hr.kpi.team.revenue"]._quarter_revenue(
            self.team, self.quarter
        )
        self.assertEqual((total, records, missing), (1200000.0, revenues, []))

        again = self._import(
            "team_revenue", "revenue.xlsx", xlsx(self._quarter_rows()), period_id=self.quarter.id
        )
        self.assertEqual((again.new_count, again.skipped_count), (0, 3))
        self.assertEqual(self._revenues(), revenues)

    def test_bad_rows_xls_are_named_and_nothing_is_written(self):
        """RELIABILITY #35, #36, #37: an unknown team, a number with a decimal comma, a
        date outside the quarter, a month without a KPI period, a negative figure, a
        formula and a team-month twice: each named with row and column; nothing
        imported; the fixed file imports."""
        self.months[2].unlink()  # December 2026 has no KPI month yet
        message = self._refused_revenue(
            "revenue.xls",
            xls(
                [
                    HEADER,
                    ["售后服务部", date(2026, 10, 1), 400000, None],
                    ["售后维修部", date(2026, 11, 1), 350000, None],
                    ["售后服务部", date(2026, 11, 1), "35,5", None],
                    ["售后服务部", date(2026, 9, 30), 1000, None],
                    ["售后服务部", date(2026, 12, 1), 450000, None],
                    ["售后服务部", date(2026, 11, 3), -5, None],
                    ["售后服务部", date(2026, 11, 3), "=1+1", None],
                    ["售后服务部", date(2026, 10, 20), 10, None],
                ]
            ),
        )
        self.assertIn("The file was not imported", message)
        self.assertIn(f'Row 3, column {TEAM}: Unknown department "售后维修部".', message)
        self.assertIn(f"Row 4, column {REVENUE}", message)
        self.assertIn("35,5", message)
        self.assertIn(
            f"Row 5, column {MONTH}: 2026-09-30 is outside {self.quarter.display_name}", message
        )
        self.assertIn(f"Row 6, column {MONTH}: No KPI month of", message)
        self.assertIn("2026-12-01: create that month first.", message)
        self.assertIn(f"Row 7, column {REVENUE}", message)
        self.assertIn(f"Row 8, column {REVENUE}", message)
        self.assertIn("Row 9: Duplicate row: row 2 already has the same team and month.", message)
        self.assertIn("7 problem(s) found", message)

        fixed = self._import(
            "team_revenue",
            "revenue.xls",
            xls([HEADER, ["售后服务部", date(2026, 10, 1), 400000, None]]),
            period_id=self.quarter.id,
        )
        self.assertEqual(fixed.new_count, 1)

    def test_a_month_typed_or_imported_with_another_figure_is_not_overwritten(self):
        """RELIABILITY #37: October typed by HR at 390,000; a file saying 400,000 is
        refused naming the row, the typed figure stays."""
        typed = self.env["hr.kpi.team.revenue"].create(
            {
                "company_id": self.company.id,
                "department_id": self.team.id,
                "period_id": self.months[0].id,
                "amount": 390000,
            }
        )
        message = self._refused_revenue("revenue.xlsx", xlsx(self._quarter_rows()))
        self.assertIn(
            f"Row 2, column {TEAM}: 售后服务部 already has another repair revenue for "
            f"{self.months[0].display_name}",
            message,
        )
        self.assertEqual(typed.amount, 390000.0)

    def test_only_hr_imports_and_a_period_is_chosen(self):
        """RELIABILITY #37: a KPI manager is refused (no sudo in the import); without
        the quarter the file is refused before it is read."""
        with self.assertRaisesRegex(AccessError, "KPI officer"):
            self._import(
                "team_revenue",
                "revenue.xlsx",
                xlsx(self._quarter_rows()),
                user=self.manager,
                period_id=self.quarter.id,
            )
        with self.assertRaisesRegex(UserError, "Choose the quarter"):
            self._import("team_revenue", "revenue.xlsx", xlsx(self._quarter_rows()))
        self.assertFalse(self._revenues())
