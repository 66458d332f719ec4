"""Corrections that stick (issue 20, finding 1; DESIGN §15 "Corrections").

刘洋's case on data of its own: his superior 李娜 rates 客户满意度 98, his supervisor
card averages 4.0 of 5; he appeals the published month, HR upholds. Before, HR typed
100 into 客户满意度, saved without an error, and approval put 98.00 back (the rated
value) with the old score: the correction was lost in silence. Now the typed value is
refused naming the ratings, and a correction (override with a reason, or the
corrected records read again) stays through approval, reaches the payslip, the
printed sheet and the chatter, and is four-eyes.
"""

import base64
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from . import test_reports_pdf as pdf
from .common import GROUP_MANAGER, GROUP_OFFICER
from .test_kpi_import import ACTUAL, CODE, NAME, xlsx
from .test_kpi_payroll import PayrollCase

NOV_3 = date(2026, 11, 3)
SATISFACTION = "客户满意度"
CARDS = "主管反馈卡满意度"
STAR_PAY = 1200.0


@tagged("post_install", "-at_install")
class TestCorrections(PayrollCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ctx = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.officer_b = new_test_user(
            cls.env, "kpi_officer_b_t", groups=f"base.group_user,{GROUP_OFFICER}", **company_ctx
        )
        cls.lead_user = new_test_user(
            cls.env, "kpi_lead_li_na", groups=f"base.group_user,{GROUP_MANAGER}", **company_ctx
        )
        cls.rep_user = new_test_user(
            cls.env, "kpi_rep_liu_yang", groups="base.group_user", **company_ctx
        )
        cls.card = cls.env.ref("hr_kpi_service.survey_card_supervisor")
        job = cls.env["hr.job"].create({"name": "客服代表（更正）", "company_id": cls.company.id})
        scheme = cls._scheme(
            [
                {
                    "name": SATISFACTION,
                    "code": "CSAT_T",
                    "weight": 60,
                    "scoring_method": "manual",
                    "manual_min": 0,
                    "manual_max": 100,
                    "rater_role": "superior",
                },
                {
                    "name": CARDS,
                    "weight": 40,
                    "scoring_method": "ratio",
                    "target": 5,
                    "rater_role": "hr",
                    "source_type": "survey_average",
                    "source_card_type": cls.card.card_type,
                },
            ],
            job_ids=[(6, 0, job.ids)],
        )
        scheme.action_activate()
        cls.li_na = cls._employee("李娜", job=cls.job_lead)
        cls.li_na.user_id = cls.lead_user
        cls.liu, cls.contract = cls._staff("刘洋", job, 2000)
        cls.liu.write({"parent_id": cls.li_na.id, "user_id": cls.rep_user.id})
        cls.first_card = cls._card("B")  # 4 of 5
        cls._star(cls.liu, 3, STAR_PAY)

    @classmethod
    def _card(cls, answer):
        return cls.env["hr.kpi.survey"].create(
            {
                "card_id": cls.card.id,
                "company_id": cls.company.id,
                "employee_id": cls.liu.id,
                "date": NOV_3,
                "respondent": "客服主管",
                "answer_ids": [
                    (0, 0, {"question_id": cls.card.question_ids[0].id, "answer": answer})
                ],
            }
        )

    # ------------------------------------------------------------------
    # The month, the appeal
    # ------------------------------------------------------------------
    def _published(self):
        """刘洋's November: 李娜 rates 98, the card 4.0 → 98 × 60 % + 80 × 40 % = 90.80."""
        evaluation = (
            self.env["hr.kpi.evaluation"]
            .with_company(self.company)
            ._generate(self.month)
            .filtered(lambda e: e.employee_id == self.liu)
        )
        evaluation.with_user(self.officer).action_start()
        evaluation.with_user(self.officer).action_to_rating()
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        self.assertEqual(rating.rater_employee_id, self.li_na)
        rating.with_user(self.lead_user).line_ids.write({"value": 98})
        rating.with_user(self.lead_user).action_submit()
        evaluation.with_user(self.officer).action_to_hr_review()
        evaluation.with_user(self.officer).action_approve()
        evaluation.with_user(self.officer).action_publish()
        self.assertEqual(evaluation.total_score, 90.8)
        self.assertEqual(self._line(evaluation, SATISFACTION).actual_value, 98.0)
        self.assertEqual(self._line(evaluation, CARDS).actual_value, 4.0)
        return evaluation

    def _upheld(self, evaluation):
        appeal = (
            self.env["hr.kpi.appeal"]
            .with_user(self.rep_user)
            .create(
                {"evaluation_id": evaluation.id, "reason": "客户回访里有两位客户的满意度被录错了。"}
            )
        )
        appeal.with_user(self.officer_b).action_uphold("核实回访录音，客户满意度应为100。")
        self.assertEqual(evaluation.state, "hr_review")
        return appeal

    @staticmethod
    def _line(evaluation, name):
        return evaluation.line_ids.filtered(lambda line: line.indicator_id.name == name)

    # ------------------------------------------------------------------
    def test_typed_value_scoring_would_replace_is_refused_naming_its_ratings(self):
        """The finding itself: 100 typed into 客户满意度 after the upheld appeal was
        saved, then lost at approval. Now it is refused, naming 李娜's rating; nothing
        is written; approval keeps 98 and 90.80. RELIABILITY #21 RELIABILITY #24"""
        evaluation = self._published()
        self._upheld(evaluation)
        line = self._line(evaluation, SATISFACTION).with_user(self.officer)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            line.write({"actual_value": 100})
        message = caught.exception.args[0]
        self.assertIn(SATISFACTION, message)
        self.assertIn("submitted ratings, 1 in all", message)
        self.assertIn("李娜", message)
        self.assertIn("override", message)
        self.env.invalidate_all()
        self.assertEqual(line.actual_value, 98.0)
        # the sourced card line names its survey cards, with their count
        cards = self._line(evaluation, CARDS).with_user(self.officer)
        with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
            cards.write({"actual_value": 5})
        self.assertIn("1 in all", caught.exception.args[0])
        self.assertIn(self.first_card.display_name, caught.exception.args[0])
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual((line.actual_value, evaluation.total_score), (98.0, 90.8))

    def test_override_after_upheld_appeal_sticks_through_approval_to_the_payslip(self):
        """刘洋's case: upheld appeal → override 客户满意度 100 with a reason → approve:
        the value stays 100, the score 92.00 (100 × 60 % + 32), and the payslip's
        KPI_STAR is 1,200 × 92 % = 1,104.00 (it was 1,089.60 on 90.80); the
        override stays through a second reopen until an officer removes it, with a
        reason. RELIABILITY #24 RELIABILITY #26 RELIABILITY #31"""
        evaluation = self._published()
        slip = self._pay(self.contract)
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1089.6)
        appeal = self._upheld(evaluation)
        line = self._line(evaluation, SATISFACTION)
        correction = line.with_user(self.officer).action_correct(
            "value", "申诉成立：回访录音核实，客户满意度为100。", 100
        )
        self.assertEqual(
            (correction.kind, correction.old_value, correction.new_value),
            ("override", 98.0, 100.0),
        )
        self.assertEqual((correction.score_before, correction.score_after), (90.8, 92.0))
        self.assertEqual(correction.corrected_by_id, self.officer)
        self.assertEqual(correction.appeal_id, appeal)
        self.assertIn("李娜", correction.source_note)
        self.assertTrue(line.override_active)
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual((line.actual_value, evaluation.total_score), (100.0, 92.0))
        self.assertEqual(evaluation.state, "approved")
        slip.action_add_kpi_lines()
        slip.compute_sheet()
        self.assertEqual(self._inputs(slip)["KPI_STAR"], 1104.0)
        self.assertEqual(len(slip.input_line_ids.filtered(lambda i: i.code == "KPI_STAR")), 1)
        # shown on the line and in the chatter
        self.assertIn("申诉成立", line.correction_note)
        self.assertIn("100", line.correction_note)
        notes = evaluation.message_ids.mapped("body")
        self.assertTrue(
            any("申诉成立" in body and "98" in body and "100" in body for body in notes), notes
        )
        # the override stays through another reopen and approval ...
        evaluation.with_user(self.officer_b).action_reopen("复核排名")
        evaluation.with_user(self.officer_b).action_approve()
        self.assertEqual((line.actual_value, evaluation.total_score), (100.0, 92.0))
        # ... until an officer removes it, with a reason too
        evaluation.with_user(self.officer_b).action_reopen("撤销覆盖")
        with self.assertRaisesRegex(UserError, "reason"), self.env.cr.savepoint():
            line.with_user(self.officer_b).action_correct("release", "  ")
        line.with_user(self.officer_b).action_correct("release", "复核后按上级评分计。")
        self.assertFalse(line.override_active)
        self.assertEqual(line.actual_value, 98.0)
        evaluation.with_user(self.officer_b).action_approve()
        self.assertEqual(evaluation.total_score, 90.8)
        self.assertEqual(evaluation.correction_ids.mapped("kind"), ["release", "override"])

    def test_correction_through_the_facts_is_read_at_approval_and_linked(self):
        """The facts path: a survey card the month missed is added; the line links to
        both cards, the correction reads them (4.0 → 4.5: 80 % → 90 %, score 94.80),
        and approval keeps it. RELIABILITY #24"""
        evaluation = self._published()
        self._upheld(evaluation)
        line = self._line(evaluation, CARDS)
        missed = self._card("A")  # 5 of 5
        self.assertEqual(line._source_records(), self.first_card | missed)
        action = line.with_user(self.officer).action_view_sources()
        self.assertEqual(action["res_model"], "hr.kpi.survey")
        self.assertEqual(
            self.env["hr.kpi.survey"].search(action["domain"]), self.first_card | missed
        )
        correction = line.with_user(self.officer).action_correct(
            "facts", "补录漏计的主管反馈卡一份。"
        )
        self.assertEqual(
            (correction.kind, correction.old_value, correction.new_value), ("facts", 4.0, 4.5)
        )
        self.assertIn("2 in all", correction.source_note)
        self.assertEqual(correction.score_after, 94.8)
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual((line.actual_value, evaluation.total_score), (4.5, 94.8))
        # an overridden line is read from its records only once the override is removed
        evaluation.with_user(self.officer).action_reopen("再次复核")
        line.with_user(self.officer).action_correct("value", "按抽查结果", 5)
        with self.assertRaisesRegex(UserError, "remove the override"), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("facts", "试试")
        line.with_user(self.officer).action_correct("release", "抽查结果作废")
        self.assertEqual(line.actual_value, 4.5)
        # the aggregate and the linked records agree: one more card, 3 cards, avg 4.33
        self._card("B")
        self.assertEqual(len(line._source_records()), 3)
        averages = self.env["hr.kpi.survey"]._averages(
            self.liu, self.month.date_from, self.month.date_to, self.card.card_type
        )
        self.assertEqual(
            averages[self.liu.id],
            round(sum(line._source_records().mapped("average")) / 3, 4),
        )

    def test_refusals_write_nothing(self):
        """No reason, not in HR review, no value, a lead: refused cleanly, nothing
        written, no correction. RELIABILITY #21 RELIABILITY #23"""
        evaluation = self._published()
        line = self._line(evaluation, SATISFACTION)
        with self.assertRaisesRegex(UserError, "HR review"), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("value", "申诉前就改", 100)
        self._upheld(evaluation)
        for reason in ("", "   ", None, 5):
            with self.assertRaisesRegex(UserError, "reason"), self.env.cr.savepoint():
                line.with_user(self.officer).action_correct("value", reason, 100)
        with self.assertRaisesRegex(UserError, "corrected value"), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("value", "无值", None)
        with self.assertRaisesRegex(UserError, "override to remove"), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("release", "无覆盖")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            line.with_user(self.lead_user).action_correct("value", "领班改分", 100)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("value", "非数", float("nan"))
        # an override or a correction is never typed or forged
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            line.with_user(self.officer).write({"override_active": True, "override_value": 100})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["hr.kpi.evaluation.correction"].with_user(self.officer).create(
                {
                    "evaluation_id": evaluation.id,
                    "line_id": line.id,
                    "kind": "override",
                    "reason": "伪造",
                    "new_value": 100,
                    "corrected_by_id": self.officer.id,
                    "correction_date": "2026-11-20 08:00:00",
                }
            )
        self.env.invalidate_all()
        self.assertFalse(evaluation.correction_ids)
        self.assertEqual((line.actual_value, line.override_active), (98.0, False))

    def test_correction_is_four_eyes(self):
        """Nobody corrects his own evaluation, even an officer; another officer does
        (he may be the one who upheld the appeal: seed 003, HR decides and carries
        out its final decision). A correction is never changed or deleted.
        RELIABILITY #23"""
        evaluation = self._published()
        self._upheld(evaluation)
        line = self._line(evaluation, SATISFACTION)
        self.liu.user_id = self.officer
        with self.assertRaisesRegex(AccessError, "own evaluation"), self.env.cr.savepoint():
            line.with_user(self.officer).action_correct("value", "自己改自己", 100)
        self.assertFalse(evaluation.correction_ids)
        correction = line.with_user(self.officer_b).action_correct("value", "申诉成立。", 100)
        self.assertEqual(correction.corrected_by_id, self.officer_b)
        for user in (self.officer, self.officer_b):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                correction.with_user(user).write({"reason": "改写理由"})
            with self.assertRaises(UserError), self.env.cr.savepoint():
                correction.with_user(user).unlink()
        # not even the superuser changes it outside an action (history)
        with self.assertRaisesRegex(UserError, "kept as it was made"), self.env.cr.savepoint():
            correction.with_env(self.env).write({"new_value": 90})
        with self.assertRaisesRegex(UserError, "kept as it was made"), self.env.cr.savepoint():
            correction.with_env(self.env).unlink()

    def test_typed_line_of_a_reopened_evaluation_changes_only_through_a_correction(self):
        """A typed line (no rating submitted for it) of a reopened evaluation: typing
        is refused (who, when and why would be lost); the typed correction keeps
        them. RELIABILITY #21"""
        evaluation = self._published()
        evaluation.with_user(self.officer).action_reopen("上级评分漏录")
        rating_line = evaluation.rating_ids.line_ids
        rating_line.sudo()._kpi_write({"has_value": False})  # as if never rated
        line = self._line(evaluation, SATISFACTION)
        self.assertFalse(line._scoring_source())
        with self.assertRaisesRegex(UserError, "was reopened"), self.env.cr.savepoint():
            line.with_user(self.officer).write({"actual_value": 95})
        correction = line.with_user(self.officer).action_correct("value", "按总经理书面评分。", 95)
        self.assertEqual(correction.kind, "typed")
        self.assertFalse(line.override_active)
        evaluation.with_user(self.officer).action_approve()
        self.assertEqual((line.actual_value, evaluation.total_score), (95.0, 89.0))

    def test_correction_is_on_the_printed_sheet(self):
        """The 月度绩效考核表 lists the correction: indicator, values, score, reason,
        who (rendered with wkhtmltopdf, read with pdftotext). RELIABILITY #45"""
        evaluation = self._published()
        self._upheld(evaluation)
        self._line(evaluation, SATISFACTION).with_user(self.officer).action_correct(
            "value", "回访录音核实满意度为一百。", 100
        )
        evaluation.with_user(self.officer).action_approve()
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang="en_US"
        )
        document, kind = Report.with_user(self.officer)._render_qweb_pdf(
            pdf.REPORT_EVALUATION, evaluation.ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf.pdf_text(document)
        flat = pdf.squeeze(text)
        self.assertRegex(flat, "Corrections|更正记录")  # the heading, in either language
        self.assertIn("回访录音核实满意度为一百", flat)
        self.assertIn("98.00→100.00", flat)
        self.assertIn("90.80→92.00", flat)
        self.assertIn(pdf.squeeze(self.officer.name), flat)
        self.assertRegex(flat, r"100(\.00)?\*", "the corrected value is marked in the indicators")
        # the employee prints the same sheet of his own evaluation
        own = pdf.pdf_text(
            Report.with_user(self.rep_user)._render_qweb_pdf(pdf.REPORT_EVALUATION, evaluation.ids)[
                0
            ]
        )
        self.assertIn("回访录音核实满意度为一百", pdf.squeeze(own))

    def test_imported_value_scoring_would_replace_is_refused(self):
        """The import of indicator actuals is typing in bulk: a row for a rated line
        (or an overridden one) is refused with its row, not lost at scoring.
        RELIABILITY #37"""
        evaluation = self._published()
        self._upheld(evaluation)
        line = self._line(evaluation, SATISFACTION)

        def refused():
            wizard = (
                self.env["hr.kpi.import"]
                .with_user(self.officer)
                .create(
                    {
                        "import_type": "actual",
                        "filename": "actuals.xlsx",
                        "period_id": self.month.id,
                        "file": base64.b64encode(
                            xlsx([[NAME, CODE, ACTUAL], ["刘洋", "CSAT_T", 95]])
                        ),
                    }
                )
            )
            with self.assertRaises(UserError) as caught, self.env.cr.savepoint():
                wizard.action_import()
            self.env.invalidate_all()
            return caught.exception.args[0]

        self.assertIn("is rated (submitted ratings)", refused())
        self.assertEqual(line.actual_value, 98.0)
        line.with_user(self.officer).action_correct("value", "申诉成立。", 100)
        self.assertIn("overridden by HR's correction", refused())
        self.assertEqual(line.actual_value, 100.0)

    def test_who_reads_the_corrections(self):
        """The employee reads the corrections of his own evaluation (as on his sheet),
        his lead those of his team, the officers all of the company's; another
        employee none, another company's officer none. RELIABILITY #13"""
        evaluation = self._published()
        self._upheld(evaluation)
        correction = self._line(evaluation, SATISFACTION).with_user(self.officer).action_correct(
            "value", "申诉成立。", 100
        )
        Correction = self.env["hr.kpi.evaluation.correction"]
        for user in (self.rep_user, self.lead_user, self.officer_b):
            self.assertEqual(Correction.with_user(user).search([]), correction, user.login)
        stranger = new_test_user(
            self.env,
            "kpi_other_company_officer_t",
            groups=f"base.group_user,{GROUP_OFFICER}",
            company_id=self.other_company.id,
            company_ids=[(6, 0, self.other_company.ids)],
        )
        for user in (self.user, stranger):
            mine = Correction.with_user(user).with_context(allowed_company_ids=user.company_ids.ids)
            self.assertFalse(mine.search([]), user.login)
