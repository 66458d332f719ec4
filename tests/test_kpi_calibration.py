"""Calibration (绩效校准) by the 考核委员会 (seed 004 考核流程, issue 21): the grade
distribution against configured ranges, moves with a reason confirmed by another
member (four-eyes), before and after kept; no sign-off outside the ranges unless
the committee records why."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kpi_signoff import SignoffCase


@tagged("post_install", "-at_install")
class TestCalibration(SignoffCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scale = cls.scheme.grade_scale_id
        cls.band = {band.code: band for band in scale.band_ids}
        cls.committee = cls.env["hr.kpi.calibration.committee"].create(
            {
                "name": "考核委员会",
                "company_id": cls.company.id,
                "member_ids": [
                    (6, 0, (cls.hr_director | cls.general_manager | cls.advisor_user).ids)
                ],
                "rule_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "A ≤ 10 %",
                            "band_ids": [(6, 0, cls.band["A"].ids)],
                            "has_ceiling": True,
                            "max_pct": 10,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "D: one per 20",
                            "band_ids": [(6, 0, cls.band["D"].ids)],
                            "min_per": 20,
                        },
                    ),
                ],
            }
        )
        cls.chain.committee_id = cls.committee

    def _line(self, sheet, employee):
        return sheet.line_ids.filtered(lambda line: line.employee_id == employee)

    def test_score_move_confirmed_by_another_member_reaches_the_payslip(self):
        """Issue 21, RELIABILITY #23: 95 → 90 proposed by the HR director, confirmed by
        the general manager; the move keeps before and after, the evaluation and the
        sheet show 90, and after sign-off the payslip pays 5000 × 90 % = 4500."""
        sheet = self._sheet()
        boss_evaluation = self.evaluations[self.boss]
        move = sheet.with_user(self.hr_director).action_propose_move(
            boss_evaluation, "部门整体目标未达成，经理分数下调", score=90.0
        )
        self.assertEqual(move.state, "proposed")
        self.assertEqual(boss_evaluation.total_score, 95.0, "a proposal changes nothing")
        with self.assertRaisesRegex(AccessError, "Another member"):
            move.with_user(self.hr_director).action_confirm()
        with self.assertRaisesRegex(UserError, "Decide the calibration moves"):
            sheet.with_user(self.officer).action_submit()
        move.with_user(self.general_manager).action_confirm()
        self.assertEqual(
            (move.score_before, move.score_after, move.grade_before_id, move.grade_after_id),
            (95.0, 90.0, self.band["B"], self.band["B"]),
        )
        self.assertEqual(move.confirmed_by_id, self.general_manager)
        self.assertEqual(boss_evaluation.total_score, 90.0)
        self.assertEqual(self._line(sheet, self.boss).score, 90.0)
        self.assertFalse(sheet.distribution_breaches)
        with self.assertRaisesRegex(UserError, "locked"):
            sheet.with_user(self.officer).unlink()  # the move's history stays

        sheet.with_user(self.officer).action_submit()
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        slip = self._pay(self.boss_contract)
        self.assertEqual(self._inputs(slip)["KPI_PERF"], 4500.0)

    def test_outside_the_ranges_only_with_the_committees_reason(self):
        """Issue 21: moving 代表A to grade A puts 1 of 2 (50 %) in A, above 10 %: the
        sheet is not submitted until the committee records why."""
        sheet = self._sheet()
        move = sheet.with_user(self.general_manager).action_propose_move(
            self.evaluations[self.rep], "全年零投诉", grade=self.band["A"]
        )
        move.with_user(self.hr_director).action_confirm()
        self.assertEqual(self.evaluations[self.rep].grade_band_id, self.band["A"])
        self.assertEqual(
            self.evaluations[self.rep].total_score, 85.0, "a grade move keeps the score"
        )
        self.assertIn("A ≤ 10 %", sheet.distribution_breaches)
        with self.assertRaisesRegex(UserError, "outside the committee's ranges"):
            sheet.with_user(self.officer).action_submit()
        with self.assertRaisesRegex(AccessError, "own result"):
            sheet.with_user(self.advisor_user).action_record_distribution_reason("我同意")
        with self.assertRaisesRegex(AccessError, "members"):
            sheet.with_user(self.supervisor_user).action_record_distribution_reason("同意")
        wizard = (
            self.env["hr.kpi.results.sheet.return"]
            .with_user(self.hr_director)
            .create(
                {"sheet_id": sheet.id, "purpose": "distribution", "reason": "两人部门，比例不适用"}
            )
        )
        wizard.action_confirm()
        self.assertEqual(sheet.distribution_reason, "两人部门，比例不适用")
        sheet.with_user(self.officer).action_submit()
        self.assertEqual(sheet.state, "in_approval")

    def test_refusals(self):
        """RELIABILITY #23: non-members, one's own result, moves after submission, and
        direct writes are refused; a refused move changes nothing."""
        sheet = self._sheet()
        with self.assertRaisesRegex(AccessError, "members"):
            sheet.with_user(self.supervisor_user).action_propose_move(
                self.evaluations[self.boss], "x", score=80.0
            )
        with self.assertRaisesRegex(AccessError, "own result"):
            sheet.with_user(self.advisor_user).action_propose_move(
                self.evaluations[self.boss], "x", score=80.0
            )
        with self.assertRaisesRegex(UserError, "reason"):
            sheet.with_user(self.hr_director).action_propose_move(
                self.evaluations[self.boss], " ", score=80.0
            )
        move = sheet.with_user(self.hr_director).action_propose_move(
            self.evaluations[self.boss], "复核", score=80.0
        )
        with self.assertRaises(UserError):
            move.with_user(self.general_manager).write({"state": "confirmed"})
        move.with_user(self.general_manager).action_refuse()
        self.assertEqual(move.state, "refused")
        self.assertEqual(self.evaluations[self.boss].total_score, 95.0)
        sheet.with_user(self.officer).action_submit()
        with self.assertRaisesRegex(UserError, "In Approval"):
            sheet.with_user(self.hr_director).action_propose_move(
                self.evaluations[self.boss], "迟到", score=80.0
            )


class TestAppealToCommittee(TestCalibration):
    def test_appeal_after_calibration_goes_to_the_committee(self):
        """Seed 004 考核流程 5: after calibration an appeal is decided by the committee,
        not by HR alone; its decision is final."""
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        sheet.with_user(self.officer).action_publish_results()
        rep_evaluation = self.evaluations[self.rep]
        appeal = (
            self.env["hr.kpi.appeal"]
            .with_user(self.advisor_user)
            .create({"evaluation_id": rep_evaluation.id, "reason": "投诉不属实"})
        )
        self.assertEqual(rep_evaluation.state, "appealed")
        with self.assertRaisesRegex(AccessError, "考核委员会"):
            appeal.with_user(self.officer).action_reject("维持")
        appeal.with_user(self.general_manager).action_uphold("投诉经核实不成立")
        self.assertEqual(appeal.state, "upheld")
        self.assertEqual(appeal.decided_by_id, self.general_manager)
        self.assertEqual(rep_evaluation.state, "hr_review")
        with self.assertRaisesRegex(UserError, "final"):
            appeal.with_user(self.hr_director).action_reject("改判")
