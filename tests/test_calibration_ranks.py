"""A confirmed calibration move ranks the period again (issue 21, seed 004 末位处理:
对考核结果为差或居部门末位者 ... 待岗培训): the ranks, the bottom-rank proposals and the
results sheet lines follow the calibrated score, through the period's own ranking."""

from odoo.tests import tagged

from .test_kpi_calibration import TestCalibration

BOTTOM = "Retraining / transfer review (bottom rank)"


@tagged("post_install", "-at_install")
class TestCalibrationRanks(TestCalibration):
    def _ranks(self, sheet):
        return {
            line.employee_id: (line.rank_department, line.grade_band_id.code, line.consequences)
            for line in sheet.line_ids
        }

    def test_move_out_of_last_place_moves_the_bottom_rank_proposal(self):
        """RELIABILITY #23, issue 21: 服务经理A 95 (B), 客服代表A 85 (C, last of 2, so
        proposed for 末位处理). The committee lifts 代表A to 96 (B); once another member
        confirms, 代表A ranks 1st in department and company, 经理A 2nd, and the sheet
        lines show the new ranks, grades and the proposal on 经理A only."""
        sheet = self._sheet()
        boss, rep = self.evaluations[self.boss], self.evaluations[self.rep]
        self.assertEqual((boss.rank_department, rep.rank_department), (1, 2))
        before = self._ranks(sheet)
        self.assertEqual(before[self.rep][:2], (2, "C"))
        self.assertIn(BOTTOM, before[self.rep][2])
        self.assertNotIn(BOTTOM, before[self.boss][2])

        move = sheet.with_user(self.hr_director).action_propose_move(
            rep, "全年零投诉，客户表扬三次", score=96.0
        )
        self.assertEqual(rep.rank_department, 2, "a proposal ranks nothing")
        move.with_user(self.general_manager).action_confirm()

        self.assertEqual((rep.total_score, rep.grade_band_id.code), (96.0, "B"))
        self.assertEqual((rep.rank_department, boss.rank_department), (1, 2))
        self.assertEqual((rep.rank_company, boss.rank_company), (1, 2))
        after = self._ranks(sheet)
        self.assertEqual(after[self.rep][:2], (1, "B"))
        self.assertEqual(after[self.boss][:2], (2, "B"))
        self.assertNotIn(BOTTOM, after[self.rep][2])
        self.assertIn(BOTTOM, after[self.boss][2])
        self.assertEqual(
            [line.employee_id for line in sheet.line_ids.sorted("sequence")],
            [self.rep, self.boss],
            "the sheet lists the calibrated result first",
        )

    def test_refused_move_ranks_nothing(self):
        """RELIABILITY #23: a refused move leaves ranks and lines as they were."""
        sheet = self._sheet()
        rep = self.evaluations[self.rep]
        move = sheet.with_user(self.hr_director).action_propose_move(rep, "复核", score=99.0)
        move.with_user(self.general_manager).action_refuse()
        self.assertEqual(rep.rank_department, 2)
        self.assertEqual(self._ranks(sheet)[self.rep][:2], (2, "C"))

    def test_published_bottom_rank_suggestion_follows_the_move(self):
        """Issue 21, seed 004 考核流程 5: 代表A (85, last) was published with a bottom-rank
        suggestion, appealed, and the committee upheld it; approved again, his result
        is on a new draft sheet. Lifted to 96 there, his open suggestion is dismissed
        naming the move, and 经理A, published and now last, gets one."""
        sheet = self._sheet()
        sheet.with_user(self.officer).action_submit()
        self._sign_all(
            sheet,
            [self.supervisor_user, self.dept_manager_user, self.hr_director, self.general_manager],
        )
        sheet.with_user(self.officer).action_publish_results()
        boss, rep = self.evaluations[self.boss], self.evaluations[self.rep]
        Consequence = self.env["hr.kpi.consequence"]

        def bottom(evaluation):
            return Consequence.search(
                [("evaluation_ids", "in", evaluation.ids), ("rule", "=", "bottom_rank")]
            )

        self.assertEqual(bottom(rep).state, "open")
        self.assertFalse(bottom(boss))
        appeal = (
            self.env["hr.kpi.appeal"]
            .with_user(self.advisor_user)
            .create({"evaluation_id": rep.id, "reason": "投诉不属实"})
        )
        appeal.with_user(self.general_manager).action_uphold("投诉经核实不成立")
        rep.with_user(self.officer).action_approve()
        second = self._sheet() - sheet
        self.assertEqual(second.evaluation_ids, rep)

        move = second.with_user(self.hr_director).action_propose_move(
            rep, "投诉不成立，恢复满分", score=96.0
        )
        move.with_user(self.general_manager).action_confirm()
        self.assertEqual((rep.rank_department, boss.rank_department), (1, 2))
        self.assertEqual(bottom(rep).state, "dismissed")
        self.assertIn("No longer last", bottom(rep).resolution_note)
        self.assertIn("96", bottom(rep).resolution_note)
        self.assertEqual(bottom(boss).state, "open")
        self.assertEqual(second.line_ids.rank_department, 1)
        self.assertNotIn(BOTTOM, second.line_ids.consequences)
