"""Demo data builder: one evaluation month of the demo 客户服务部, run end to end.

Called once from ``demo/hr_kpi_service_demo.xml``. Every step goes through the
module's own workflow methods, each run by the user who would click the button
in real life (HR officer = admin, department manager = kpi.manager, team lead =
kpi.lead, representative = kpi.rep); raters without a login are typed in by HR,
as a KPI officer may do. Values are made up but deterministic: they are drawn
from a ``random.Random`` seeded with the employee's badge number, the period and
the indicator code, so two installs give the same month.
"""

import base64
import logging
import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import file_open

_logger = logging.getLogger(__name__)

# Short comments a rater leaves with his rating, from the weakest to the strongest form.
RATER_COMMENTS = [
    "本月差错偏多，需加强业务学习和工单复核。",
    "整体达标，个别指标仍有提升空间。",
    "工作认真，服务规范，完成了本月目标。",
    "话务量饱满、服务质量稳定，表现突出。",
]
# The in-time appeal of the demo (刘洋): an audit deduction caused by the system.
APPEAL_REASON = (
    "10月审核通报扣了我4分，其中2分对应10月14日的两张重复报修工单。这两张工单是当天"
    "工单系统升级时自动重复生成的，并非本人录入差错，已附系统日志截图，请予核实更正。"
)
APPEAL_DECISION = (
    "经核对工单系统升级日志，10月14日两张重复工单确系系统原因产生，撤销对应的2分审核扣分，"
    "重新评分并发布。"
)
APPEAL_CORRECTION_NOTE = "根据申诉复核结果更正：审核扣分由 %(before)s 分改为 %(after)s 分。"
# The appeal lodged after the window closed.
LATE_APPEAL_REASON = "本组10月排班覆盖率统计漏算了两个夜班，请重新核算。"
LATE_APPEAL_REFUSED = "员工提交的申诉被系统拒绝（已超过申诉期限）：%(error)s 申诉内容：%(reason)s"
NO_SUPERIOR_NOTE = (
    "%(employee)s 在组织架构中没有上级评分人：上级评分项由人力资源部按总经理的书面评分录入。"
)

# The three seed payslips of DESIGN §7 appear in the demo's October payroll: these
# employees' raters give round values every month, so that the month scores are the
# seeds' (赵敏 85 → rep, 3 stars: 2000 + 1200 × 85 % + 200 = 3220; 张伟 85 → lead, 2
# stars: 2800 + 2000 × 85 % + 200 = 4700; 王建国 95 → 5000 × 95 % = 4750). Values
# read from records (complaint handling, training, cards) come from the records.
SEED_VALUES = {
    "hr_kpi_service.employee_zhao_min_demo": {
        "REP_WORKLOAD": 850.0,  # 85 % of 1000: 17 of 20
        "REP_ERROR_RATE": 1.5,  # 13 of 15
        "REP_SEAT_OCCUPANCY": 95.0,  # 15 of 15
        "REP_SATISFACTION": 90.0,  # 8 of 10
        "REP_CALLBACK_AUTHENTICITY": 2.0,  # 8 of 10
        "REP_DAILY_TASKS": 60.0,  # 6 of 10
        "REP_REPORT_TRUTHFULNESS": 1.0,  # 8 of 10; complaint handling (no complaint): 10
    },
    "hr_kpi_service.employee_zhang_wei_demo": {
        "LEAD_TEAM_WORKLOAD": 6400.0,  # 80 % of 8000: 12 of 15
        "LEAD_TEAM_SATISFACTION": 94.0,  # 8 of 10
        "LEAD_SEAT_COVERAGE": 85.5,  # 90 % of 95: 4.5 of 5
        "LEAD_FLOOR_PATROL": 1.0,  # 9 of 10
        "LEAD_HANDOVER": 1.0,  # 8 of 10
        "LEAD_TRAINING_PASS_RATE": 92.0,  # 10 of 10
        "LEAD_REPORT_TIMELINESS": 90.0,  # 8 of 10; records: 10 + 7.5 + 8
    },
    "hr_kpi_service.employee_wang_jianguo_demo": {
        "MGR_BUSINESS_TARGETS": 100.0,
        "MGR_TASK_COMPLETION": 100.0,
        "MGR_NO_MAJOR_INCIDENT": 1.0,
        "MGR_WORK_PROCEDURES": 0.0,
        "MGR_WEEKLY_MEETING": 0.0,
        "MGR_STAFF_TRAINING": 0.0,
        "MGR_STAFF_TURNOVER": 1.8,
        "MGR_STAFF_MORALE": 1.0,
        "MGR_TEAM_BUILDING": 90.0,
        "MGR_ANALYSIS": 90.0,
        "MGR_COMMUNICATION": 90.0,
        "MGR_INNOVATION": 90.0,
        "MGR_INTEGRITY": 0.0,
    },
}
# Over the summer the second team (张伟's) was still getting used to the new ticket
# system: its representatives' form is lower in the months before October.
HISTORY_FORM_SHIFT = {"hr_kpi_service.employee_zhang_wei_demo": -0.4}
# Typing tests (characters per minute) of the seed's example B (75: three stars).
SEED_SKILLS = {"hr_kpi_service.employee_zhao_min_demo": 75.0}
# Team training topics of the history months (card 3).
TRAINING_TOPICS = [
    "工单系统常见问题答疑",
    "投诉升级流程与话术演练",
    "宽带与固话业务知识更新",
    "服务礼仪与情绪管理",
    "夜班交接规范",
    "新业务套餐资费讲解",
]
INTERNAL_CARD_COMMENTS = ["现场秩序良好", "交接记录清晰", "响应及时", None]
SUPERVISOR_CARD_COMMENT = "本月服务指标平稳，继续保持。"
PAYSLIP_BATCH_NAME = "客户服务部 %(month)s 工资"


class HrKpiDemo(models.AbstractModel):
    _name = "hr.kpi.demo"
    _description = "KPI Demo Data Builder"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------
    @api.model
    def _run_demo_month(self, day, appeal_employee_xmlid, late_employee_xmlid):
        """Run the month of `day` through the whole cycle, then open the next month.

        generate → self-assessment → rating → HR review → approve (grades, ranks)
        → publish; `appeal_employee_xmlid` appeals in time and HR upholds it (the
        evaluation is corrected, approved and published again);
        `late_employee_xmlid` appeals after the deadline and the system refuses
        it (the refusal is noted on the evaluation, which the appeal-window cron
        closes). The next month is generated in draft, for a user to run it from
        the interface.

        Does nothing for a month that already has evaluations, so updating the
        module does not run it twice.
        """
        # Queue the notification mails instead of sending them while installing.
        return self.with_context(mail_notify_force_send=False)._demo_run_month(
            fields.Date.to_date(day),
            self.env.ref(appeal_employee_xmlid),
            self.env.ref(late_employee_xmlid),
        )

    @api.model
    def _import_demo_samples(self, company_xmlid="base.main_company"):
        """Import the shipped sample files of October 2026 through the import wizard,
        as HR would: complaints and other incidents, survey cards, training records
        and service-level records. Re-running imports nothing new (rows are keyed)."""
        company = self.env.ref(company_xmlid)
        officer = self.env.ref("base.user_admin")
        samples = (
            ("incident", "incidents_2026-10.xlsx"),
            ("survey", "surveys_2026-10.xlsx"),
            ("activity", "activities_2026-10.csv"),
            ("sla", "sla_2026-10.xls"),
        )
        Import = self.env["hr.kpi.import"].with_user(officer).with_company(company)
        for import_type, filename in samples:
            with file_open(f"hr_kpi_service/demo/samples/{filename}", "rb") as handle:
                content = handle.read()
            wizard = Import.create(
                {
                    "import_type": import_type,
                    "file": base64.b64encode(content),
                    "filename": filename,
                }
            )
            wizard.action_import()
            _logger.info("KPI demo: %s imported: %s", filename, wizard.result)

    @api.model
    def _run_demo_history(self, days):
        """The months before October (the third quarter), each run through the
        whole cycle like October but without appeals; published on the 18th of the
        next month and closed by the appeal-window cron. Their recorded facts
        (team trainings, internal customers' and the general manager's cards) are
        entered by HR here. Months that already have evaluations are skipped."""
        officer = self.env.ref("base.user_admin")
        demo = self.with_context(mail_notify_force_send=False)
        for day in days:
            demo._demo_history_month(fields.Date.to_date(day), officer)

    @api.model
    def _demo_history_month(self, day, officer):
        company = self.env.ref("base.main_company")
        Evaluation = self.env["hr.kpi.evaluation"].with_company(company)
        period = (
            self.env["hr.kpi.period"]
            .with_company(company)
            .with_user(officer)
            ._get_or_create(day, "monthly", company)
        )
        if Evaluation.search_count([("period_id", "=", period.id)]):
            return False
        self._demo_source_indicators(officer)
        self._demo_history_facts(period, officer)
        evaluations = Evaluation.browse(Evaluation.with_user(officer)._generate(period).ids)
        if not evaluations:
            return False
        self._demo_step_done()
        values = self._demo_values(evaluations, form_shift=HISTORY_FORM_SHIFT)
        self._demo_cycle(evaluations, values, officer)
        published = datetime.combine(period.date_to + timedelta(days=18), time(2, 0))
        deadline = evaluations[:1]._appeal_deadline(published)
        # History: published on its real day. The dates are protected (they change
        # only inside the Publish action); the demo, server code run by the
        # superuser at install, back-dates them as that action would have set them.
        evaluations.with_user(officer)._kpi_write(
            {"published_date": published, "appeal_deadline": deadline}
        )
        Evaluation._cron_close_appeal_window()
        self._demo_step_done()
        return True

    @api.model
    def _demo_history_facts(self, period, officer):
        """A history month's records behind the sourced indicators: each lead holds
        three or four team trainings (card 3); the quality department fills an
        internal customers' card (card 1) about each lead, and the general manager
        his feedback card (card 4) about the department."""
        department = self.env.ref("hr_kpi_service.dept_customer_service_demo")
        leads = department.manager_id.child_ids.filtered("child_ids").sorted("barcode")
        rng = self._demo_rng("facts", period.date_from)
        activities, surveys = [], []
        internal = self.env.ref("hr_kpi_service.survey_card_internal")
        supervisor = self.env.ref("hr_kpi_service.survey_card_supervisor")

        def card(card_record, letters, **vals):
            questions = card_record.question_ids.sorted("sequence")
            return dict(
                vals,
                card_id=card_record.id,
                company_id=department.company_id.id,
                answer_ids=[
                    fields.Command.create({"question_id": question.id, "answer": letter})
                    for question, letter in zip(questions, letters, strict=False)
                ],
            )

        for index, lead in enumerate(leads):
            # (the demo is loaded as superuser: contract dates are readable)
            team = lead.child_ids.filtered(
                lambda member: (
                    member.first_contract_date and member.first_contract_date <= period.date_to
                )
            )
            sessions = 4 if rng.random() < 0.7 else 3
            for number in range(sessions):
                activities.append(
                    {
                        "activity_type": "training",
                        "date": period.date_from + timedelta(days=6 + 7 * number),
                        "hours": rng.choice((1.0, 1.5, 2.0)),
                        "place": "培训室 A" if index == 0 else "培训室 B",
                        "company_id": department.company_id.id,
                        "participant_ids": [fields.Command.set((lead | team).ids)],
                        "content": rng.choice(TRAINING_TOPICS),
                    }
                )
            surveys.append(
                card(
                    internal,
                    [rng.choice("AAB") for _question in range(3)],
                    date=period.date_to - timedelta(days=3),
                    respondent="质检部",
                    employee_id=lead.id,
                    comment=rng.choice(INTERNAL_CARD_COMMENTS),
                )
            )
        surveys.append(
            card(
                supervisor,
                [rng.choice("ABB") for _question in range(3)],
                date=period.date_to - timedelta(days=1),
                respondent="总经理",
                department_id=department.id,
                comment=SUPERVISOR_CARD_COMMENT,
            )
        )
        self.env["hr.kpi.activity.record"].with_user(officer).create(activities)
        self.env["hr.kpi.survey"].with_user(officer).create(surveys)

    @api.model
    def _run_demo_stars_and_payroll(self, quarter_day, month_day):
        """HR's work after the month, as from the interface: the star review of the
        quarter of `quarter_day` (skill test results typed, reviewed, closed), the
        monthly stars and the awards of the month of `month_day`, then its payslip
        batch generated with the payroll wizard, whose payslips get their KPI input
        lines from OCA payroll's own input generation and are computed. The batch
        stays to be confirmed by the payroll officer. Skipped when the quarter
        already has a review."""
        company = self.env.ref("base.main_company")
        officer = self.env.ref("base.user_admin")
        Period = self.env["hr.kpi.period"].with_company(company).with_user(officer)
        quarter = Period._get_or_create(fields.Date.to_date(quarter_day), "quarterly", company)
        month = Period._get_or_create(fields.Date.to_date(month_day), "monthly", company)
        Review = self.env["hr.kpi.star.review"].with_company(company).with_user(officer)
        if Review.search_count([("period_id", "=", quarter.id)]):
            return False
        review = Review.create({"company_id": company.id, "period_id": quarter.id})
        review.action_compute()
        for line in review.line_ids:
            line.action_set_skill_score(self._demo_skill(line.employee_id, quarter))
        review.action_compute()
        review.action_done()
        self._demo_step_done()
        self.env["hr.kpi.star.month"].with_user(officer)._action_compute_periods(month)
        self.env["hr.kpi.award"].with_user(officer)._action_compute_periods(month)
        self._demo_step_done()
        self._demo_payslip_batch(month, officer)
        return True

    @api.model
    def _demo_skill(self, employee, quarter):
        """The quarter's typing test (characters per minute), following the form."""
        for xmlid, skill in SEED_SKILLS.items():
            if employee == self.env.ref(xmlid, raise_if_not_found=False):
                return skill
        rng = self._demo_rng(employee.barcode or employee.id, quarter.date_from, "skill")
        form = (self._demo_form(employee) - 0.1) / 0.85  # 0..1
        return float(round(62 + 30 * form + rng.uniform(-3, 3)))

    @api.model
    def _demo_payslip_batch(self, month, officer):
        department = self.env.ref("hr_kpi_service.dept_customer_service_demo")
        run = (
            self.env["hr.payslip.run"]
            .with_user(officer)
            .create(
                {
                    "name": PAYSLIP_BATCH_NAME % {"month": month.name},
                    "date_start": month.date_from,
                    "date_end": month.date_to,
                }
            )
        )
        employees = self.env["hr.employee"].search(
            [("department_id", "=", department.id)], order="barcode"
        )
        wizard = (
            self.env["hr.payslip.employees"]
            .with_user(officer)
            .with_context(active_id=run.id, active_model="hr.payslip.run")
            .create({"employee_ids": [fields.Command.set(employees.ids)]})
        )
        wizard.compute_sheet()
        self._demo_step_done()
        return run

    @api.model
    def _demo_run_month(self, day, appeal_employee, late_employee):
        company = appeal_employee.company_id
        officer = self.env.ref("base.user_admin")
        Evaluation = self.env["hr.kpi.evaluation"].with_company(company)
        Period = self.env["hr.kpi.period"].with_company(company)

        period = Period.with_user(officer)._get_or_create(day, "monthly", company)
        if Evaluation.search_count([("period_id", "=", period.id)]):
            _logger.info("KPI demo: %s already has evaluations, skipped", period.name)
            return False
        # The indicators that read recorded facts are not typed: they follow from
        # the month's imported sample files (and the two audit findings below).
        self._demo_source_indicators(officer)
        evaluations = Evaluation.browse(Evaluation.with_user(officer)._generate(period).ids)
        if not evaluations:
            return False
        self._demo_step_done()
        values = self._demo_values(evaluations)
        self._demo_contested_findings(appeal_employee, period, officer)

        self._demo_cycle(evaluations, values, officer)
        self._demo_appeal_upheld(
            evaluations.filtered(lambda e: e.employee_id == appeal_employee), officer
        )
        self._demo_appeal_too_late(
            evaluations.filtered(lambda e: e.employee_id == late_employee), officer
        )
        # The appeal-window cron closes what is past its deadline: the late one.
        Evaluation._cron_close_appeal_window()
        self._demo_step_done()

        next_period = Period.with_user(officer)._get_or_create(
            period.date_from + relativedelta(months=1), "monthly", company
        )
        if not Evaluation.search_count([("period_id", "=", next_period.id)]):
            Evaluation.with_user(officer)._generate(next_period)
        return True

    # ------------------------------------------------------------------
    # The month, step by step
    # ------------------------------------------------------------------
    def _demo_cycle(self, evaluations, values, officer):
        """From draft to published, each step by the user who clicks its button."""
        head = self._demo_department_head(evaluations)
        # HR starts the month: raters are proposed from the org chart.
        evaluations.with_user(officer).action_start()
        self._demo_step_done()
        # Self-assessment: each employee fills his own rating (role "self"), if his
        # scheme has self-assessed indicators.
        self._demo_fill_ratings(evaluations, values, officer, roles=("self",))
        # The department manager opens the rating; nobody moves his own evaluation
        # on, so HR does it for the manager's.
        batches = self._demo_mover_batches(evaluations, head, officer)
        for user, batch in batches:
            batch.with_user(user).action_to_rating()
            self._demo_step_done()
        self._demo_fill_ratings(evaluations, values, officer)
        for user, batch in batches:
            batch.with_user(user).action_to_hr_review()
            self._demo_step_done()
        # HR review: HR types the values that no rater gives (HR indicators, and
        # the superior's indicators of an employee without a superior).
        for evaluation in evaluations:
            self._demo_fill_hr_values(evaluation, values, officer)
        evaluations.with_user(officer).action_approve()
        self._demo_step_done()
        evaluations.with_user(officer).action_publish()
        self._demo_step_done()

    def _demo_appeal_upheld(self, evaluation, officer):
        """The employee appeals in time; HR upholds, corrects, approves and publishes."""
        if not evaluation:
            return
        employee_user = evaluation.employee_id.user_id
        appeal = (
            self.env["hr.kpi.appeal"]
            .with_user(employee_user or officer)
            .create({"evaluation_id": evaluation.id, "reason": APPEAL_REASON})
        )
        self._demo_step_done()
        appeal.with_user(officer).action_uphold(APPEAL_DECISION)
        self._demo_step_done()
        # Back in HR review: HR withdraws the wrongly confirmed finding; the audit
        # deduction follows from the findings when the evaluation is approved again.
        finding = self.env["hr.kpi.incident"].search(
            [
                ("employee_id", "=", evaluation.employee_id.id),
                ("type_code", "=", "audit_finding"),
                ("date", "=", evaluation.period_id.date_from.replace(day=14)),
                ("confirmed", "=", True),
            ],
            limit=1,
        )
        if finding:
            line = evaluation.line_ids.filtered(lambda line_: line_.scoring_method == "penalty")
            before = abs(line[:1].points)
            finding.with_user(officer).action_unconfirm()
            evaluation.with_user(officer).message_post(
                body=APPEAL_CORRECTION_NOTE
                % {"before": f"{before:g}", "after": f"{before - finding.points:g}"},
                subtype_xmlid="mail.mt_note",
            )
        evaluation.with_user(officer).action_approve()
        self._demo_step_done()
        evaluation.with_user(officer).action_publish()
        self._demo_step_done()

    @api.model
    def _demo_source_indicators(self, officer):
        """Where the demo schemes' indicators read their actual values from, as an
        HR officer sets them up on the indicator form (Actual Value Source):

        * 客服代表 — complaint handling: complaints closed within the seed 004
          limits (answered in 1 working day, solved in 3), from the service-level
          records of priority "complaint"; a month without complaints is 100 %.
          Audit deductions: the points of the confirmed audit findings.
        * 领班 — attitude complaints in the team: the substantiated attitude
          complaints of his direct reports; training sessions: the training
          records (card 3) he took part in; daily management: internal customers'
          cards (card 1) about him or, failing that, about the department.
        * 经理 — work attitude and dedication: the general manager's feedback
          card (card 4) about the department.

        Values read from records are nobody's rating: the rater role is HR.
        """
        audit = self.env.ref("hr_kpi_service.incident_type_audit_finding")
        attitude = self.env.ref("hr_kpi_service.incident_type_attitude_complaint")
        survey_card = {"likert_scale": "5", "scoring_method": "likert"}
        sources = {
            "REP_COMPLAINT_HANDLING": {
                "source_type": "sla_compliance",
                "source_sla_priority": "complaint",
                "source_when_empty": "value",
                "source_empty_value": 100.0,
            },
            "REP_AUDIT_PENALTY": {
                "source_type": "incident_points",
                "source_incident_type_ids": [(6, 0, audit.ids)],
            },
            "LEAD_ATTITUDE_COMPLAINTS": {
                "source_type": "incident_count",
                "source_scope": "team",
                "source_incident_type_ids": [(6, 0, attitude.ids)],
            },
            "LEAD_TRAINING_SESSIONS": {
                "source_type": "activity_count",
                "source_activity_type": "training",
            },
            "LEAD_DAILY_MANAGEMENT": dict(
                survey_card, source_type="survey_average", source_card_type="internal"
            ),
            "MGR_ATTITUDE": dict(
                survey_card, source_type="survey_average", source_card_type="supervisor"
            ),
        }
        schemes = self.env["hr.kpi.scheme"]
        for xmlid in (
            "hr_kpi_service.scheme_rep_monthly_demo",
            "hr_kpi_service.scheme_lead_monthly_demo",
            "hr_kpi_service.scheme_manager_level_demo",
        ):
            schemes |= self.env.ref(xmlid, raise_if_not_found=False) or schemes
        for indicator in schemes.indicator_ids:
            vals = sources.get(indicator.code)
            if vals and indicator.source_type == "manual":
                indicator.with_user(officer).write(dict(vals, rater_role="hr"))

    @api.model
    def _demo_contested_findings(self, employee, period, officer):
        """The two audit findings of the appellant, 2 points each; the first is the
        one the appeal shows to come from a system fault."""
        audit = self.env.ref("hr_kpi_service.incident_type_audit_finding")
        self.env["hr.kpi.incident"].with_user(officer).create(
            [
                {
                    "employee_id": employee.id,
                    "company_id": employee.company_id.id,
                    "type_id": audit.id,
                    "date": period.date_from.replace(day=day),
                    "points": 2.0,
                    "description": description,
                }
                for day, description in (
                    (14, "审核通报：两张重复报修工单"),
                    (22, "审核通报：回访记录填写不完整"),
                )
            ]
        ).action_confirm()

    def _demo_appeal_too_late(self, evaluation, officer):
        """The employee appeals after the deadline: the system refuses the appeal.

        The demo is installed in one instant, so the working days of the appeal
        window cannot really pass. This evaluation is therefore given an earlier
        publication, two weeks ago, and the deadline the module computes for it
        (``_appeal_deadline``: the company's working days after publication).
        ``published_date`` and ``appeal_deadline`` are the only values back-dated,
        through ``_kpi_write`` (server code, as the Publish action sets them); the
        refusal itself is the appeal's own check.
        """
        if not evaluation:
            return
        published = fields.Datetime.now() - timedelta(days=14)
        evaluation.with_user(officer)._kpi_write(
            {
                "published_date": published,
                "appeal_deadline": evaluation._appeal_deadline(published),
            }
        )
        employee_user = evaluation.employee_id.user_id
        try:
            with self.env.cr.savepoint():
                self.env["hr.kpi.appeal"].with_user(employee_user or officer).create(
                    {"evaluation_id": evaluation.id, "reason": LATE_APPEAL_REASON}
                )
        except UserError as error:
            # Posted by the system (OdooBot), as an internal note.
            evaluation.message_post(
                body=LATE_APPEAL_REFUSED % {"error": error.args[0], "reason": LATE_APPEAL_REASON},
                subtype_xmlid="mail.mt_note",
            )
        else:
            raise UserError(
                self.env._("KPI demo: the late appeal of %s was accepted.", evaluation.name)
            )

    def _demo_step_done(self):
        """End of one user's step. In real life every step is its own request and
        the chatter records its tracked changes at commit; here the whole month is
        one transaction, so flush them now (as entering a savepoint does), or the
        chatter would not show who moved each evaluation on."""
        self.env.cr.flush()

    # ------------------------------------------------------------------
    # Who does what
    # ------------------------------------------------------------------
    @api.model
    def _demo_department_head(self, evaluations):
        return evaluations.department_id.manager_id

    @api.model
    def _demo_mover_batches(self, evaluations, head, officer):
        """[(user, evaluations)] moved between the rating steps by `user`: the
        department manager (a KPI manager) moves his department's, HR moves the
        manager's own (and all of them if the manager has no login)."""
        manager_user = head.user_id if len(head) == 1 else self.env["res.users"]
        if not manager_user or not manager_user.has_group("hr_kpi_service.group_kpi_manager"):
            return [(officer, evaluations)]
        own = evaluations.filtered(lambda e: e.employee_id.user_id == manager_user)
        batches = [(manager_user, evaluations - own), (officer, own)]
        return [(user, batch) for user, batch in batches if batch]

    def _demo_fill_ratings(self, evaluations, values, officer, roles=None):
        """Each rater enters and submits his values; HR types them for a rater
        without a login."""
        ratings = evaluations.rating_ids.filtered(
            lambda r: r.state == "todo" and (roles is None or r.role in roles)
        )
        for rating in ratings:
            user = rating.rater_employee_id.user_id or officer
            rating = rating.with_user(user)
            for line in rating.line_ids:
                line.write(
                    {
                        "value": self._demo_rater_value(
                            values, line.evaluation_line_id, rating.rater_employee_id
                        )
                    }
                )
            form = values["form"][rating.employee_id.id]
            rating.write({"comment": RATER_COMMENTS[min(int(form * 4), 3)]})
            rating.action_submit()
            self._demo_step_done()

    def _demo_fill_hr_values(self, evaluation, values, officer):
        missing = evaluation.line_ids.filtered(
            lambda line: not line.has_actual
            and line.indicator_id.source_type == "manual"
            and not line.no_rater
        )
        if not missing:
            return
        for line in missing:
            line.with_user(officer).write({"actual_value": values["line"][line.id]})
        unrated = missing.filtered(lambda line: line.rater_role == "superior")
        if unrated:
            evaluation.with_user(officer).message_post(
                body=NO_SUPERIOR_NOTE % {"employee": evaluation.employee_id.name},
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Believable, deterministic values
    # ------------------------------------------------------------------
    @api.model
    def _demo_rng(self, *keys):
        return random.Random(":".join(str(key) for key in keys))

    @api.model
    def _demo_form(self, employee):
        """How good an employee usually is, 0.1..0.95, from his badge number."""
        badge = employee.barcode or employee.id
        return round(0.1 + 0.85 * self._demo_rng(badge, "form").random(), 4)

    @api.model
    def _demo_values(self, evaluations, form_shift=None):
        """{"form": {employee id: 0..1}, "line": {evaluation line id: value},
        "fixed": {employee id: {indicator code: value}}}.

        An employee's form (how good his month was) comes from his badge, moved
        by `form_shift` ({lead xmlid: shift} for his team); every value follows
        it with a little noise. A team lead's team figures are the sums and
        means of his representatives' figures. The employees of SEED_VALUES get
        those values.
        """
        forms = {employee.id: self._demo_form(employee) for employee in evaluations.employee_id}
        for lead_xmlid, shift in (form_shift or {}).items():
            lead = self.env.ref(lead_xmlid, raise_if_not_found=False)
            for member in lead.child_ids if lead else []:
                if member.id in forms:
                    forms[member.id] = round(min(max(forms[member.id] + shift, 0.0), 1.0), 4)
        fixed = {}
        for xmlid, codes in SEED_VALUES.items():
            employee = self.env.ref(xmlid, raise_if_not_found=False)
            if employee:
                fixed[employee.id] = codes
        line_values = {}
        by_employee_code = {}
        # Representatives first: their leads' team figures are built from them.
        ordered = evaluations.sorted(lambda e: bool(e.employee_id.child_ids))
        for evaluation in ordered:
            employee = evaluation.employee_id
            on_trial = self._demo_on_trial(employee, evaluation.period_id)
            for line in evaluation.line_ids:
                code = line.indicator_id.code or str(line.indicator_id.id)
                rng = self._demo_rng(
                    employee.barcode or employee.id, evaluation.period_id.date_from, code
                )
                value = self._demo_team_value(code, employee, by_employee_code)
                if value is None:
                    value = self._demo_value(
                        line.indicator_id, code, forms[employee.id], rng, on_trial
                    )
                value = fixed.get(employee.id, {}).get(code, value)
                line_values[line.id] = value
                by_employee_code[(employee.id, code)] = value
        return {"form": forms, "line": line_values, "fixed": fixed}

    @api.model
    def _demo_on_trial(self, employee, period):
        contract = employee.sudo().contract_id
        return bool(contract.trial_date_end and contract.trial_date_end >= period.date_from)

    @api.model
    def _demo_team_value(self, code, employee, by_employee_code):
        team = employee.child_ids
        if code == "LEAD_TEAM_WORKLOAD":
            calls = [by_employee_code.get((rep.id, "REP_WORKLOAD")) for rep in team]
            calls = [value for value in calls if value is not None]
            return float(sum(calls)) if calls else None
        if code == "LEAD_TEAM_SATISFACTION":
            rates = [by_employee_code.get((rep.id, "REP_SATISFACTION")) for rep in team]
            rates = [value for value in rates if value is not None]
            return round(sum(rates) / len(rates), 1) if rates else None
        return None

    @api.model
    def _demo_value(self, indicator, code, form, rng, on_trial=False):
        """A plausible actual value of `indicator` for an employee of `form` (0..1)."""

        def spread(worst, best, noise=0.0, digits=1):
            value = worst + (best - worst) * form + rng.uniform(-noise, noise)
            low, high = min(worst, best), max(worst, best)
            return round(min(max(value, low), high), digits)

        def count(worst, best=0):
            # Fewer findings for a better month; one in four months gets one more.
            value = round(worst - (worst - best) * form) + (rng.random() < 0.25)
            return float(max(value, 0))

        known = {
            # Representatives (one month of calls and tickets)
            "REP_WORKLOAD": lambda: float(
                round(spread(760, 860, 30, 0)) if on_trial else round(spread(880, 1180, 40, 0))
            ),
            "REP_ERROR_RATE": lambda: spread(2.2, 0.3, 0.2, 2),
            "REP_SEAT_OCCUPANCY": lambda: spread(88, 99.5, 1.5),
            "REP_COMPLAINT_HANDLING": lambda: 100.0 if form > 0.7 else spread(86, 100, 2),
            "REP_SATISFACTION": lambda: spread(88, 99.5, 1.5),
            "REP_CALLBACK_AUTHENTICITY": lambda: count(2),
            "REP_DAILY_TASKS": lambda: spread(72, 97, 3, 0),
            "REP_REPORT_TRUTHFULNESS": lambda: count(1),
            "REP_AUDIT_PENALTY": lambda: float(rng.choice((0, 0, 2, 3)) if form < 0.5 else 0),
            # Team leads
            "LEAD_SEAT_COVERAGE": lambda: spread(92, 99, 1),
            "LEAD_FLOOR_PATROL": lambda: count(2),
            "LEAD_HANDOVER": lambda: count(1),
            "LEAD_ATTITUDE_COMPLAINTS": lambda: count(1),
            "LEAD_TRAINING_SESSIONS": lambda: float(round(spread(3, 5, 0.4, 0))),
            "LEAD_TRAINING_PASS_RATE": lambda: spread(86, 98, 1.5),
            "LEAD_REPORT_TIMELINESS": lambda: 100.0 if form > 0.6 else spread(90, 100, 2),
            "LEAD_DAILY_MANAGEMENT": lambda: spread(80, 95, 2, 0),
            # Department manager
            "MGR_BUSINESS_TARGETS": lambda: spread(96, 108, 2),
            "MGR_TASK_COMPLETION": lambda: spread(92, 100, 1),
            "MGR_NO_MAJOR_INCIDENT": lambda: 1.0,
            "MGR_WORK_PROCEDURES": lambda: count(1),
            "MGR_WEEKLY_MEETING": lambda: 0.0,
            "MGR_STAFF_TRAINING": lambda: count(1),
            "MGR_STAFF_TURNOVER": lambda: spread(3.5, 1.2, 0.3, 1),
            "MGR_STAFF_MORALE": lambda: count(1),
            "MGR_TEAM_BUILDING": lambda: spread(80, 95, 3, 0),
            "MGR_ANALYSIS": lambda: spread(80, 92, 2, 0),
            "MGR_COMMUNICATION": lambda: spread(78, 95, 3, 0),
            "MGR_INNOVATION": lambda: spread(75, 90, 3, 0),
            "MGR_ATTITUDE": lambda: spread(85, 96, 2, 0),
            "MGR_INTEGRITY": lambda: 0.0,
        }
        if code in known:
            return known[code]()
        return self._demo_generic_value(indicator, form, rng)

    @api.model
    def _demo_generic_value(self, indicator, form, rng):
        """A value for an indicator the demo does not know (a changed scheme)."""
        method = indicator.scoring_method
        target = indicator.target or 0.0
        higher = indicator.direction != "lower"
        if method in ("deduction", "escalating"):
            return float(round(2 - 2 * form))
        if method == "penalty":
            return 0.0
        if method == "veto":
            return 1.0
        if method == "manual":
            low, high = indicator.manual_min, indicator.manual_max or 100.0
            return round(low + (high - low) * (0.7 + 0.25 * form), 0)
        if method == "likert":
            top = float(indicator.likert_scale or 5)
            return round(top * (0.7 + 0.25 * form), 2)
        if target:
            factor = 0.9 + 0.2 * form if higher else 1.1 - 0.2 * form
            return round(target * factor + rng.uniform(-0.01, 0.01) * target, 2)
        return 0.0

    @api.model
    def _demo_rater_value(self, values, evaluation_line, rater):
        """The value one rater gives: raters of a shared line (peers, subordinates)
        differ a little around the employee's value."""
        value = values["line"][evaluation_line.id]
        fixed = values["fixed"].get(evaluation_line.employee_id.id, {})
        if (
            evaluation_line.rater_role not in ("peer", "subordinate")
            or (evaluation_line.scoring_method != "manual")
            or evaluation_line.indicator_id.code in fixed
        ):
            return value
        indicator = evaluation_line.indicator_id
        evaluated = evaluation_line.employee_id
        rng = self._demo_rng(
            rater.barcode or rater.id,
            evaluated.barcode or evaluated.id,
            evaluation_line.evaluation_id.period_id.date_from,
            indicator.code or indicator.id,
        )
        high = indicator.manual_max or 100.0
        return float(min(max(round(value + rng.uniform(-4, 4)), indicator.manual_min), high))
