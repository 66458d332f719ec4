"""RELIABILITY #46: managers read "minus own" (DESIGN §5.2).

A department shaped like the demo's: the manager 王建国 (a KPI manager) over two
leads, 李娜 (a KPI manager, over three reps) and 张强; everybody evaluated on a
scheme whose lines are rated by oneself, the superior, the peers and the
subordinates, so that the lead and the manager are each rated by subordinates and
peers. A neutral HR officer drives the month and writes the private notes.

As the lead and as the manager, on his own published evaluation: the private note
about him and who rated him what are never read, by any path (read, search_read,
the one2many, read_group, export_data, search on the note or on the ratings, the
notes' own model, the printed sheet, the spreadsheet, XML-RPC); he still reads his
scores, grade and the aggregated line values, and his subordinates' notes and named
ratings stay readable and writable to him.
"""

import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_MANAGER, KpiCase, XmlRpcMixin

EXPORT = "base.group_allow_export"
NOTES = {"lead": "李娜：考虑调岗", "boss": "王建国：年度观察", "rep": "刘洋：重点培养"}
RATED = {"self": 16, "peer": 18, "subordinate": 20}
WHO = ("lead", "boss")  # the lead and the manager, each evaluated himself


@tagged("post_install", "-at_install")
class SelfReadsCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.officer.groups_id |= cls.env.ref(EXPORT)
        cls.manager.groups_id |= cls.env.ref(EXPORT)
        cls.user.groups_id |= cls.env.ref(EXPORT)
        cls.lead_user = new_test_user(
            cls.env, "kpi_lead_self", groups=f"base.group_user,{GROUP_MANAGER},{EXPORT}", **company
        )
        cls.scheme = cls._scheme(
            [
                {"name": "服务工作标准执行", "weight": 40, "scoring_method": "deduction",
                 "full_points": 40, "deduction_cost": 1},
                {"name": "自我评价", "weight": 20, "scoring_method": "likert",
                 "likert_scale": "20", "rater_role": "self"},
                {"name": "同事协作", "weight": 20, "scoring_method": "likert",
                 "likert_scale": "20", "rater_role": "peer"},
                {"name": "下属评价", "weight": 20, "scoring_method": "likert",
                 "likert_scale": "20", "rater_role": "subordinate"},
            ],
            job_ids=[(6, 0, cls.job_rep.ids)],
            grade_scale_id=cls.env.ref("hr_kpi_service.grade_scale_pass").id,
            # superior 40 / peers 30 / subordinates 30; a missing group is dropped
            rater_config_id=cls.env.ref("hr_kpi_service.rater_config_seed004").id,
        )
        cls.scheme.action_activate()
        cls.boss = cls._employee("王建国", job=cls.job_rep)
        cls.boss.user_id = cls.manager
        cls.lead = cls._employee("李娜", job=cls.job_rep)
        cls.lead.write({"user_id": cls.lead_user.id, "parent_id": cls.boss.id})
        cls.other_lead = cls._employee("张强", job=cls.job_rep)
        cls.other_lead.parent_id = cls.boss
        cls.reps = cls.env["hr.employee"]
        for name in ("刘洋", "陈静", "杨帆"):
            cls.reps |= cls._employee(name, job=cls.job_rep)
        cls.reps.parent_id = cls.lead
        cls.reps[0].user_id = cls.user
        period = cls.env["hr.kpi.period"].with_company(cls.company)._get_or_create(
            date(2026, 11, 5), "monthly", cls.company
        )
        cls.period = period
        evaluations = cls.env["hr.kpi.evaluation"].with_company(cls.company)._generate(period)
        cls.by_employee = {e.employee_id: e for e in evaluations}
        cls._publish(evaluations)
        cls.own = {"lead": cls.by_employee[cls.lead], "boss": cls.by_employee[cls.boss]}
        cls.rep_evaluation = cls.by_employee[cls.reps[0]]
        as_officer = cls.env["hr.kpi.evaluation"].with_user(cls.officer)
        as_officer.browse(cls.own["lead"].id).private_note = NOTES["lead"]
        as_officer.browse(cls.own["boss"].id).private_note = NOTES["boss"]
        # the lead writes the note of his own report: he manages it
        cls.rep_evaluation.with_user(cls.lead_user).private_note = NOTES["rep"]
        cls.env.flush_all()

    @classmethod
    def _publish(cls, evaluations):
        """The month by the neutral officer; each rater rates his lines (the
        officer types for the raters without a login); the superior's values are
        typed on the lines."""
        for line in evaluations.line_ids.filtered(lambda l: l.rater_role == "superior"):
            line.write({"actual_value": 2, "actual_major": 0})
        evaluations.with_user(cls.officer).action_start()
        for rating in evaluations.rating_ids.filtered(lambda r: r.role in RATED):
            user = rating.rater_user_id or cls.officer
            rating.line_ids.with_user(user).write({"value": RATED[rating.role]})
            rating.with_user(user).action_submit()
        as_officer = evaluations.with_user(cls.officer)
        as_officer.action_to_rating()
        as_officer.action_to_hr_review()
        as_officer.action_approve()
        with freeze_time(datetime(2026, 12, 1, 2, 0)):
            as_officer.action_publish()

    def setUp(self):
        super().setUp()
        self.env.invalidate_all()
        self.me = {"lead": self.lead_user, "boss": self.manager}
        self.employee = {"lead": self.lead, "boss": self.boss}

    def _others_ratings(self, who):
        """The named ratings of `who`'s own evaluation by someone else (sudo)."""
        return self.own[who].rating_ids.filtered(lambda r: r.rater_user_id != self.me[who])

    def _self_rating(self, who):
        return self.own[who].rating_ids.filtered(lambda r: r.role == "self")

    def _as_a_new_request(self):
        """What a request as another user starts from: nothing in the cache (the
        fixtures read the records as the superuser)."""
        self.env.invalidate_all()


class TestSelfReads(SelfReadsCase):
    def test_fixture_is_rated_by_peers_and_subordinates(self):
        """RELIABILITY #46 (the fixture): the lead and the manager are each rated by
        other people, by name, and each has a private note."""
        lead_raters = self._others_ratings("lead").mapped(lambda r: (r.role, r.rater_employee_id))
        self.assertEqual(
            set(lead_raters),
            {("superior", self.boss), ("peer", self.other_lead)}
            | {("subordinate", rep) for rep in self.reps},
        )
        boss_raters = self._others_ratings("boss").mapped(lambda r: (r.role, r.rater_employee_id))
        self.assertIn(("subordinate", self.lead), boss_raters)
        self.assertIn(("subordinate", self.other_lead), boss_raters)
        for who in ("lead", "boss"):
            self.assertEqual(self.own[who].state, "published")
            self.assertEqual(self.own[who].private_note, NOTES[who])

    def test_he_reads_his_own_evaluation_as_an_employee_does(self):
        """RELIABILITY #46: score, grade, state and the aggregated line values of his
        own evaluation stay readable (the subordinates' mean 20, the peers' 18)."""
        for who in WHO:
            with self.subTest(who=who):
                own = self.own[who]
                values = own.with_user(self.me[who]).read(["total_score", "grade", "state"])[0]
                self.assertEqual(
                    (values["total_score"], values["grade"], values["state"]),
                    (own.total_score, own.grade, "published"),
                )
                self.assertGreater(values["total_score"], 0)
                lines = {
                    line["rater_role"]: line["actual_value"]
                    for line in own.line_ids.with_user(self.me[who]).read(
                        ["rater_role", "actual_value"]
                    )
                }
                self.assertEqual(lines["subordinate"], 20.0)
                self.assertEqual(lines["self"], 16.0)
                if who == "lead":
                    self.assertEqual(lines["peer"], 18.0)

    def test_rpc_read_never_shows_his_private_note(self):
        """RELIABILITY #46: read, search_read and attribute read of his own
        evaluation give no note; the notes' own model shows and gives nothing."""
        Note = self.env["hr.kpi.evaluation.note"]
        for who in WHO:
            with self.subTest(who=who):
                own, me = self.own[who], self.me[who]
                self._as_a_new_request()
                self.assertIs(own.with_user(me).read(["private_note"])[0]["private_note"], False)
                rows = self.env["hr.kpi.evaluation"].with_user(me).search_read(
                    [("id", "=", own.id)], ["private_note", "total_score"]
                )
                self.assertEqual(len(rows), 1)
                self.assertIs(rows[0]["private_note"], False)
                self.assertIs(own.with_user(me).private_note, False)
                self.assertNotIn(NOTES[who], str(own.with_user(me).web_read({"private_note": {}})))
                note = Note.search([("evaluation_id", "=", own.id)])
                self.assertEqual(note.note, NOTES[who])
                self._as_a_new_request()
                self.assertFalse(Note.with_user(me).search([("evaluation_id", "=", own.id)]))
                self.assertFalse(Note.with_user(me).search([("note", "ilike", NOTES[who])]))
                with self.assertRaises(AccessError):
                    note.with_user(me).read(["note"])
                with self.assertRaises(AccessError):
                    note.with_user(me).write({"note": "改写"})
                with self.assertRaises(AccessError):
                    note.with_user(me).unlink()
                self.env.invalidate_all()
                self.assertEqual(note.note, NOTES[who])

    def test_he_cannot_write_or_plant_a_note_on_his_own_evaluation(self):
        """RELIABILITY #46: writing the note of his own evaluation, or creating a
        note record for it, is refused and changes nothing."""
        Note = self.env["hr.kpi.evaluation.note"]
        for who in WHO:
            with self.subTest(who=who):
                own, me = self.own[who], self.me[who]
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    own.with_user(me).write({"private_note": "我自己写的"})
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    Note.with_user(me).create({"evaluation_id": own.id, "note": "我自己写的"})
                self.env.invalidate_all()
                self.assertEqual(own.private_note, NOTES[who])
                self.assertEqual(Note.search_count([("evaluation_id", "=", own.id)]), 1)

    def test_search_never_reveals_his_private_note(self):
        """RELIABILITY #46: searching the note's text, its presence or its absence
        treats his own as no note; sorting or grouping by it is refused cleanly."""
        Evaluation = self.env["hr.kpi.evaluation"]
        for who in WHO:
            with self.subTest(who=who):
                own, me = self.own[who], self.me[who]
                as_me = Evaluation.with_user(me)
                self.assertFalse(as_me.search([("private_note", "ilike", NOTES[who][:4])]))
                self.assertFalse(as_me.search([("private_note", "=", NOTES[who])]))
                self.assertNotIn(own, as_me.search([("private_note", "!=", False)]))
                self.assertIn(own, as_me.search([("private_note", "=", False)]))
                self.assertIn(own, as_me.search([("private_note", "not ilike", NOTES[who][:4])]))
                self.assertEqual(Evaluation.search([("private_note", "ilike", NOTES[who][:4])]), own)
                with self.assertRaises(UserError):
                    as_me.search([], order="private_note")
                with self.assertRaises(UserError):
                    as_me.read_group([], ["total_score:avg"], ["private_note"])
        as_lead = Evaluation.with_user(self.lead_user)
        self.assertEqual(as_lead.search([("private_note", "ilike", "重点培养")]), self.rep_evaluation)

    def test_he_never_reads_who_rated_him_what(self):
        """RELIABILITY #46: the ratings of his own evaluation by others, and their
        values, are out of his reach by read, search, the evaluation's one2many and
        search on the rater or the value; his own rating (self-assessment, and the
        manager's rating of his superior as a subordinate) stays his."""
        Rating = self.env["hr.kpi.rating"]
        RatingLine = self.env["hr.kpi.rating.line"]
        for who in WHO:
            with self.subTest(who=who):
                own, me = self.own[who], self.me[who]
                others, mine = self._others_ratings(who), self._self_rating(who)
                self.assertTrue(others)
                self.assertEqual(mine.rater_user_id, me)
                self._as_a_new_request()
                self.assertEqual(own.with_user(me).rating_ids, mine)
                as_me = Rating.with_user(me)
                self.assertEqual(as_me.search([("evaluation_id", "=", own.id)]), mine)
                self.assertEqual(as_me.search([("employee_id", "=", self.employee[who].id)]), mine)
                for rating in others:
                    self.assertFalse(
                        as_me.search(
                            [
                                ("employee_id", "=", self.employee[who].id),
                                ("rater_employee_id", "=", rating.rater_employee_id.id),
                            ]
                        )
                    )
                    with self.assertRaises(AccessError):
                        rating.with_user(me).read(["rater_employee_id", "state"])
                    with self.assertRaises(AccessError):
                        rating.line_ids.with_user(me).read(["value"])
                as_me_lines = RatingLine.with_user(me)
                self.assertEqual(
                    as_me_lines.search([("rating_id.evaluation_id", "=", own.id)]), mine.line_ids
                )
                for value in (RATED["peer"], RATED["subordinate"]):
                    self.assertFalse(
                        as_me_lines.search(
                            [("rating_id.evaluation_id", "=", own.id), ("value", "=", value)]
                        )
                    )
        # what the lead gave his superior stays his own rating
        given = self.own["boss"].rating_ids.filtered(lambda r: r.rater_employee_id == self.lead)
        self.assertEqual(
            given.with_user(self.lead_user).read(["role", "state"])[0]["role"], "subordinate"
        )

    def test_read_group_never_names_his_raters(self):
        """RELIABILITY #46: grouped reads of the ratings, their values and the notes
        show his own rating only, and no note about him."""
        for who in WHO:
            with self.subTest(who=who):
                me, employee = self.me[who], self.employee[who]
                mine = self._self_rating(who)
                self._as_a_new_request()
                groups = self.env["hr.kpi.rating"].with_user(me).read_group(
                    [("employee_id", "=", employee.id)], ["rater_employee_id"], ["rater_employee_id"]
                )
                self.assertEqual(
                    [g["rater_employee_id"][0] for g in groups], [employee.id], "only himself"
                )
                values = self.env["hr.kpi.rating.line"].with_user(me).read_group(
                    [("rating_id.employee_id", "=", employee.id)], ["value:avg"], ["rating_id"]
                )
                self.assertEqual([g["rating_id"][0] for g in values], mine.ids)
                self.assertEqual(values[0]["value"], RATED["self"])
                notes = self.env["hr.kpi.evaluation.note"].with_user(me).read_group(
                    [], ["evaluation_id"], ["employee_id"]
                )
                self.assertNotIn(employee.id, [g["employee_id"][0] for g in notes])

    def test_export_never_carries_his_note_or_raters(self):
        """RELIABILITY #46: export_data of his evaluation has an empty note; of the
        ratings he can see, only his own."""
        for who in WHO:
            with self.subTest(who=who):
                own, me = self.own[who], self.me[who]
                others = self._others_ratings(who)
                self._as_a_new_request()
                rows = own.with_user(me).export_data(["total_score", "private_note"])["datas"]
                self.assertEqual(len(rows), 1)
                self.assertNotIn(NOTES[who], str(rows))
                self.assertFalse(rows[0][1])
                ratings = self.env["hr.kpi.rating"].with_user(me).search(
                    [("evaluation_id", "=", own.id)]
                )
                exported = ratings.export_data(["rater_employee_id", "line_ids/value"])["datas"]
                names = {row[0] for row in exported if row[0]}
                self.assertEqual(names, {self.employee[who].name})
                self._as_a_new_request()
                with self.assertRaises(AccessError):
                    others.with_user(me).export_data(["rater_employee_id"])

    def test_printed_sheet_and_spreadsheet_name_no_rater_of_him(self):
        """RELIABILITY #46: his own printed evaluation sheet names no rater but
        himself (his manager's copy names them), and no sheet carries a note."""
        if "report.hr_kpi_service_reports.report_kpi_evaluation" not in self.env:
            self.skipTest("the reports addon is not installed")
        report = "hr_kpi_service_reports.action_report_kpi_evaluation"
        lead_raters = [self.other_lead.name, *self.reps.mapped("name")]
        Report = self.env["ir.actions.report"]
        mine = Report.with_user(self.lead_user)._render_qweb_html(report, self.own["lead"].ids)[0]
        mine = mine.decode()
        self.assertIn(self.lead.name, mine)
        for name in lead_raters:
            self.assertNotIn(name, mine)
        self.assertNotIn(NOTES["lead"], mine)
        self.env.invalidate_all()
        boss_copy = Report.with_user(self.manager)._render_qweb_html(report, self.own["lead"].ids)
        boss_copy = boss_copy[0].decode()
        for name in lead_raters:
            self.assertIn(name, boss_copy)
        self.env.invalidate_all()
        boss_own = Report.with_user(self.manager)._render_qweb_html(report, self.own["boss"].ids)
        boss_own = boss_own[0].decode()
        for name in (self.lead.name, self.other_lead.name, *self.reps.mapped("name")):
            self.assertNotIn(name, boss_own)
        self.assertNotIn(NOTES["boss"], boss_own)
        self.env.invalidate_all()
        content, _kind = Report.with_user(self.manager)._render(
            "hr_kpi_service_reports.report_hr_kpi_period_results_xlsx", self.period.ids
        )
        cells = [
            str(value)
            for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value
        ]
        self.assertTrue(cells)
        for note in NOTES.values():
            self.assertFalse([cell for cell in cells if note in cell])

    def test_he_still_manages_his_subordinates(self):
        """RELIABILITY #46: the lead reads and rewrites his report's note and reads
        who rated his report what; the manager reads the lead's note and raters."""
        rep_evaluation = self.rep_evaluation.with_user(self.lead_user)
        self.assertEqual(rep_evaluation.private_note, NOTES["rep"])
        rep_evaluation.write({"private_note": "刘洋：已谈话"})
        self.env.invalidate_all()
        self.assertEqual(self.rep_evaluation.private_note, "刘洋：已谈话")
        rep_raters = self.rep_evaluation.rating_ids.filtered(lambda r: r.role != "self")
        self.assertTrue(rep_raters)
        read = rep_raters.with_user(self.lead_user).read(["rater_employee_id"])
        self.assertEqual(
            {row["rater_employee_id"][0] for row in read}, set(rep_raters.rater_employee_id.ids)
        )
        # a report without a login: her raters too
        chen = self.by_employee[self.reps[1]]
        self.assertFalse(self.reps[1].user_id)
        chen_ratings = self.env["hr.kpi.rating"].with_user(self.lead_user).search(
            [("evaluation_id", "=", chen.id)]
        )
        self.assertEqual(chen_ratings, chen.rating_ids)
        as_boss = self.own["lead"].with_user(self.manager)
        self.assertEqual(as_boss.read(["private_note"])[0]["private_note"], NOTES["lead"])
        lead_ratings = self.env["hr.kpi.rating"].with_user(self.manager).search(
            [("evaluation_id", "=", self.own["lead"].id)]
        )
        self.assertEqual(lead_ratings, self.own["lead"].rating_ids)
        values = lead_ratings.line_ids.filtered(
            lambda l: l.rating_id.rater_employee_id == self.reps[1]
        ).read(["value"])
        self.assertEqual([row["value"] for row in values], [float(RATED["subordinate"])])
        # the note emptied by the lead: no note left
        rep_evaluation.write({"private_note": False})
        self.assertFalse(
            self.env["hr.kpi.evaluation.note"].search(
                [("evaluation_id", "=", self.rep_evaluation.id)]
            )
        )

    def test_an_employee_never_reaches_the_notes(self):
        """RELIABILITY #46 (the rep side): no access to the notes' model at all."""
        with self.assertRaises(AccessError):
            self.env["hr.kpi.evaluation.note"].with_user(self.user).search([])
        with self.assertRaises(AccessError):
            self.rep_evaluation.with_user(self.user).read(["private_note"])


@tagged("post_install", "-at_install")
class TestSelfReadsRpc(XmlRpcMixin, SelfReadsCase, HttpCase):
    """The same over real XML-RPC (runs with --odoo-http)."""

    def test_over_xmlrpc(self):
        """RELIABILITY #46: the lead's read of his evaluation has no note, his raters'
        ratings are refused, his report's note is his to read."""
        own = self.own["lead"]
        rows = self._call(self.lead_user, "hr.kpi.evaluation", "read", [own.id], ["private_note"])
        self.assertIs(rows[0]["private_note"], False)
        found = self._call(
            self.lead_user,
            "hr.kpi.evaluation",
            "search",
            [("private_note", "ilike", NOTES["lead"][:4])],
        )
        self.assertEqual(found, [])
        ids = self._call(
            self.lead_user, "hr.kpi.rating", "search", [("evaluation_id", "=", own.id)]
        )
        self.assertEqual(ids, self._self_rating("lead").ids)
        self.assertCleanFault(
            lambda: self._call(
                self.lead_user,
                "hr.kpi.rating",
                "read",
                self._others_ratings("lead").ids,
                ["rater_employee_id"],
            ),
            "hr.kpi.rating",
        )
        rows = self._call(
            self.lead_user, "hr.kpi.evaluation", "read", [self.rep_evaluation.id], ["private_note"]
        )
        self.assertEqual(rows[0]["private_note"], NOTES["rep"])
