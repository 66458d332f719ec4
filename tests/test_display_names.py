"""Issue 13 item 4: every record reads as a human name (breadcrumbs, many2one fields),
never as the technical "hr.kpi.appeal,1"; item 8: the appeal dialog."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_kpi_evaluation import EvaluationCase

LODGE_VIEW = "hr_kpi_service.hr_kpi_appeal_view_form_lodge"


@tagged("post_install", "-at_install")
class TestDisplayNames(EvaluationCase):
    def assertHumanName(self, record, *parts):
        name = record.display_name
        self.assertNotEqual(name, f"{record._name},{record.id}")
        self.assertNotIn(record._name, name)
        for part in parts:
            self.assertIn(part, name)
        return name

    def test_lines_and_ratings_read_as_names(self):
        rep = self.reps.sorted("name")[0]  # 刘洋
        evaluation = self._generate().filtered(lambda e: e.employee_id == rep)
        line = evaluation.line_ids[0]
        self.assertHumanName(line, "刘洋", "2026-11", line.indicator_id.name)
        evaluation.with_user(self.officer).action_start()
        rating = evaluation.rating_ids.filtered(lambda r: r.role == "superior")
        self.assertEqual(
            rating.display_name,
            f"{evaluation.name} · Superior: {evaluation.manager_id.name}",
        )
        value = rating.line_ids[0]
        self.assertHumanName(value, rating.display_name, value.indicator_id.name)

    def test_records_read_as_names(self):
        rep = self.reps.sorted("name")[0]  # 刘洋
        evaluation = self._generate().filtered(lambda e: e.employee_id == rep)
        appeal = self.env["hr.kpi.appeal"].create(
            {"evaluation_id": evaluation.id, "reason": "统计有误"}
        )
        self.assertEqual(appeal.display_name, "Appeal: 刘洋 · 2026-11")
        self.assertEqual(appeal.with_context(lang="en_US").display_name, "Appeal: 刘洋 · 2026-11")
        incident_type = self.env["hr.kpi.incident.type"].search([("code", "=", "valid_complaint")])
        incident = self.env["hr.kpi.incident"].create(
            {
                "employee_id": rep.id,
                "company_id": self.company.id,
                "type_id": incident_type.id,
                "date": date(2026, 11, 12),
            }
        )
        self.assertHumanName(incident, incident_type.name, "刘洋", "2026-11-12")
        card = self.env["hr.kpi.survey.card"].search([("card_type", "=", "internal")], limit=1)
        survey = self.env["hr.kpi.survey"].create(
            {
                "card_id": card.id,
                "company_id": self.company.id,
                "employee_id": rep.id,
                "date": date(2026, 11, 20),
                "answer_ids": [(0, 0, {"question_id": card.question_ids[0].id, "answer": "A"})],
            }
        )
        self.assertHumanName(survey, card.name, "刘洋", "2026-11-20")
        self.assertHumanName(survey.answer_ids, card.name, "刘洋", card.question_ids[0].name, ": A")
        record = self.env["hr.kpi.activity.record"].create(
            {
                "activity_type": "training",
                "company_id": self.company.id,
                "date": date(2026, 11, 3),
                "place": "培训室 B",
                "participant_ids": [(6, 0, rep.ids)],
            }
        )
        self.assertHumanName(record, "2026-11-03 · 培训室 B")
        consequence = self.env["hr.kpi.consequence"].create(
            {
                "employee_id": rep.id,
                "company_id": self.company.id,
                "rule": "no_raise",
                "trigger_key": str(evaluation.id),
            }
        )
        self.assertEqual(
            consequence.with_context(lang="en_US").display_name,
            "No raise (grade 中 or 较差): 刘洋",
        )
        band = self.env["hr.kpi.indicator.band"].search([("no_lower", "=", True)], limit=1)
        self.assertHumanName(band, band.indicator_id.name, "-∞")
        row = self.env["hr.kpi.rater.config.row"].search(
            [("weight_self", "=", 15), ("weight_superior", "=", 60), ("weight_group", "=", 25)],
            limit=1,
        )
        self.assertEqual(
            row.with_context(lang="en_US").display_name,
            f"{row.config_id.with_context(lang='en_US').name} · "
            "Self 15% / Superior 60% / Review Group 25%",
        )


@tagged("post_install", "-at_install")
class TestAppealDialog(EvaluationCase):
    def setUp(self):
        super().setUp()
        self.rep = self.reps.sorted("name")[0]  # 刘洋, user kpi_user_t
        self.evaluation = self._generate().filtered(lambda e: e.employee_id == self.rep)
        self._fill(self.evaluation, self.SEED_001_VALUES)
        self.evaluation.with_user(self.officer).action_start()
        self.evaluation.with_user(self.manager).action_to_rating()
        self.evaluation.with_user(self.manager).action_to_hr_review()
        self.evaluation.with_user(self.officer).action_approve()
        # Tuesday 1 December 2026, 10:00 in Shanghai
        with freeze_time(datetime(2026, 12, 1, 2, 0)):
            self.evaluation.with_user(self.officer).action_publish()

    def _dialog(self):
        return Form(
            self.env["hr.kpi.appeal"]
            .with_user(self.user)
            .with_context(default_evaluation_id=self.evaluation.id),
            view=LODGE_VIEW,
        )

    def test_dialog_shows_the_deadline_and_refuses_clearly(self):
        with freeze_time(datetime(2026, 12, 2, 2, 0)):
            dialog = self._dialog()
            self.assertEqual(dialog.evaluation_id, self.evaluation)
            self.assertEqual(dialog.deadline_local, self.evaluation._local_deadline())
            # three working days after Tuesday 1 December: Wednesday to Friday, until midnight
            self.assertEqual(dialog.deadline_local, "2026-12-05 00:00 (Asia/Shanghai)")
            self.assertFalse(dialog.refusal)
            with self.assertRaises(AssertionError):
                dialog.evaluation_id = self.evaluation  # read-only in the dialog
            dialog.reason = "服务投诉统计有误"
            appeal = dialog.save()
        self.assertEqual((appeal.state, self.evaluation.state), ("submitted", "appealed"))
        with freeze_time(datetime(2026, 12, 2, 3, 0)):
            self.assertIn("already under appeal", self._dialog().refusal)
        appeal.with_user(self.officer).action_reject("复核无误")
        self.evaluation.state = "published"  # as if published again
        with freeze_time(datetime(2026, 12, 2, 4, 0)):
            self.assertIn("the decision is final", self._dialog().refusal)
            # no Lodge button then; a create sent anyway is refused with the same words
            with self.assertRaisesRegex(UserError, "the decision is final"):
                self.env["hr.kpi.appeal"].with_user(self.user).create(
                    {"evaluation_id": self.evaluation.id, "reason": "再次申诉"}
                )

    def test_dialog_after_the_window(self):
        with freeze_time(datetime(2026, 12, 20, 2, 0)):
            self.assertIn("closed on", self._dialog().refusal)
