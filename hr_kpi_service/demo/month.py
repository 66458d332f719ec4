"""One evaluation month of the demo 客户服务部, step by step.

Every step goes through the module's own action methods, run by the user who
would press the button, in that user's language (``as_user``): HR officer = the
admin, department manager = kpi.manager, team lead = kpi.lead, representative =
kpi.rep; raters without a login are typed in by HR, as a KPI officer may do.
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError

from . import values as demo_values

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
DEMO_SCHEMES = (
    "hr_kpi_service.scheme_rep_monthly_demo",
    "hr_kpi_service.scheme_lead_monthly_demo",
    "hr_kpi_service.scheme_manager_level_demo",
)


def as_user(records, user):
    """`records` as `user` sees them: his rights and his language and time zone."""
    return records.with_user(user).with_context(lang=user.lang, tz=user.tz)


def step_done(env):
    """End of one user's step. In real life every step is its own request and the
    chatter records its tracked changes at commit; here the whole story is one
    transaction, so flush them now (as entering a savepoint does), or the chatter
    would not show who moved each evaluation on. Stored names left to compute are
    computed in `env`'s language (the cursor alone would use the installer's)."""
    env.flush_all()
    env.cr.flush()


def run_history_month(env, day, officer):
    """A month before October: run through the whole cycle like October but
    without appeals; published on the 18th of the next month and closed by the
    appeal-window cron. Its recorded facts (team trainings, internal customers'
    and the general manager's cards) are entered by HR. Skipped when the month
    already has evaluations."""
    company = env.ref("base.main_company")
    Evaluation = as_user(env["hr.kpi.evaluation"], officer).with_company(company)
    period = as_user(env["hr.kpi.period"], officer)._get_or_create(day, "monthly", company)
    if Evaluation.search_count([("period_id", "=", period.id)]):
        return False
    source_indicators(env, officer)
    _history_facts(env, period, officer)
    evaluations = env["hr.kpi.evaluation"].browse(Evaluation._generate(period).ids)
    if not evaluations:
        return False
    step_done(env)
    values = demo_values.month_values(env, evaluations, demo_values.HISTORY_FORM_SHIFT)
    _cycle(env, evaluations, values, officer)
    published = datetime.combine(period.date_to + timedelta(days=18), time(2, 0))
    deadline = evaluations[:1]._appeal_deadline(published)
    # History: published on its real day. The dates are protected (they change
    # only inside the Publish action); the demo, server code run at install,
    # back-dates them as that action would have set them.
    as_user(evaluations, officer)._kpi_write(
        {"published_date": published, "appeal_deadline": deadline}
    )
    _close_appeal_windows(env, officer)
    return True


def run_month(env, day, appeal_employee, late_employee, officer):
    """Run the month of `day` through the whole cycle, then open the next month.

    generate → self-assessment → rating → HR review → approve (grades, ranks) →
    publish; `appeal_employee` appeals in time and HR upholds it (the evaluation
    is corrected, approved and published again); `late_employee` appeals after
    the deadline and the system refuses it (the refusal is noted on the
    evaluation, which the appeal-window cron closes). The next month is generated
    in draft, for a user to run it from the interface. Skipped when the month
    already has evaluations.
    """
    company = appeal_employee.company_id
    Evaluation = as_user(env["hr.kpi.evaluation"], officer).with_company(company)
    Period = as_user(env["hr.kpi.period"], officer).with_company(company)
    period = Period._get_or_create(day, "monthly", company)
    if Evaluation.search_count([("period_id", "=", period.id)]):
        return False
    # The indicators that read recorded facts are not typed: they follow from the
    # month's imported sample files (and the two audit findings below).
    source_indicators(env, officer)
    evaluations = env["hr.kpi.evaluation"].browse(Evaluation._generate(period).ids)
    if not evaluations:
        return False
    step_done(env)
    values = demo_values.month_values(env, evaluations)
    _contested_findings(env, appeal_employee, period, officer)
    _cycle(env, evaluations, values, officer)
    _appeal_upheld(env, evaluations.filtered(lambda e: e.employee_id == appeal_employee), officer)
    _appeal_too_late(evaluations.filtered(lambda e: e.employee_id == late_employee), officer)
    # The appeal-window cron closes what is past its deadline: the late one.
    _close_appeal_windows(env, officer)
    next_period = Period._get_or_create(
        period.date_from + relativedelta(months=1), "monthly", company
    )
    if not Evaluation.search_count([("period_id", "=", next_period.id)]):
        Evaluation._generate(next_period)
    return True


def _close_appeal_windows(env, officer):
    """The appeal-window cron (server code), in the company's language."""
    env["hr.kpi.evaluation"].with_context(lang=officer.lang)._cron_close_appeal_window()
    step_done(env)


def _cycle(env, evaluations, values, officer):
    """From draft to published, each step by the user who presses its button."""
    head = evaluations.department_id.manager_id
    # HR starts the month: raters are proposed from the org chart.
    as_user(evaluations, officer).action_start()
    step_done(env)
    # Self-assessment: each employee fills his own rating (role "self"), if his
    # scheme has self-assessed indicators.
    _fill_ratings(env, evaluations, values, officer, roles=("self",))
    # The department manager opens the rating; nobody moves his own evaluation on,
    # so HR does it for the manager's.
    batches = _mover_batches(env, evaluations, head, officer)
    for user, batch in batches:
        as_user(batch, user).action_to_rating()
        step_done(env)
    _fill_ratings(env, evaluations, values, officer)
    for user, batch in batches:
        as_user(batch, user).action_to_hr_review()
        step_done(env)
    # HR review: HR types the values that no rater gives (HR indicators, and the
    # superior's indicators of an employee without a superior).
    for evaluation in evaluations:
        _fill_hr_values(evaluation, values, officer)
    as_user(evaluations, officer).action_approve()
    step_done(env)
    as_user(evaluations, officer).action_publish()
    step_done(env)


def _mover_batches(env, evaluations, head, officer):
    """[(user, evaluations)] moved between the rating steps by `user`: the
    department manager (a KPI manager) moves his department's, HR moves the
    manager's own (and all of them if the manager has no login)."""
    manager_user = head.user_id if len(head) == 1 else env["res.users"]
    if not manager_user or not manager_user.has_group("hr_kpi_service.group_kpi_manager"):
        return [(officer, evaluations)]
    own = evaluations.filtered(lambda e: e.employee_id.user_id == manager_user)
    batches = [(manager_user, evaluations - own), (officer, own)]
    return [(user, batch) for user, batch in batches if batch]


def _fill_ratings(env, evaluations, values, officer, roles=None):
    """Each rater enters and submits his values; HR types them for a rater
    without a login."""
    ratings = evaluations.rating_ids.filtered(
        lambda r: r.state == "todo" and (roles is None or r.role in roles)
    )
    for rating in ratings:
        rating = as_user(rating, rating.rater_employee_id.user_id or officer)
        for line in rating.line_ids:
            rater_value = demo_values.rater_value(
                values, line.evaluation_line_id, rating.rater_employee_id
            )
            line.write({"value": rater_value})
        form = values["form"][rating.employee_id.id]
        rating.write({"comment": RATER_COMMENTS[min(int(form * 4), 3)]})
        rating.action_submit()
        step_done(env)


def _fill_hr_values(evaluation, values, officer):
    missing = evaluation.line_ids.filtered(
        lambda line: (
            not line.has_actual and line.indicator_id.source_type == "manual" and not line.no_rater
        )
    )
    if not missing:
        return
    for line in missing:
        as_user(line, officer).write({"actual_value": values["line"][line.id]})
    if missing.filtered(lambda line: line.rater_role == "superior"):
        as_user(evaluation, officer).message_post(
            body=NO_SUPERIOR_NOTE % {"employee": evaluation.employee_id.name},
            subtype_xmlid="mail.mt_note",
        )


def _appeal_upheld(env, evaluation, officer):
    """The employee appeals in time; HR upholds, corrects, approves and publishes."""
    if not evaluation:
        return
    appellant = evaluation.employee_id.user_id or officer
    appeal = as_user(env["hr.kpi.appeal"], appellant).create(
        {"evaluation_id": evaluation.id, "reason": APPEAL_REASON}
    )
    step_done(env)
    as_user(appeal, officer).action_uphold(APPEAL_DECISION)
    step_done(env)
    # Back in HR review: HR withdraws the wrongly confirmed finding; the audit
    # deduction follows from the findings when the evaluation is approved again.
    finding = env["hr.kpi.incident"].search(
        [
            ("employee_id", "=", evaluation.employee_id.id),
            ("type_code", "=", "audit_finding"),
            ("date", "=", evaluation.period_id.date_from.replace(day=14)),
            ("confirmed", "=", True),
        ],
        limit=1,
    )
    evaluation = as_user(evaluation, officer)
    line = evaluation.line_ids.filtered(lambda line_: line_.scoring_method == "penalty")[:1]
    if finding and line:
        before = abs(line.points)
        as_user(finding, officer).action_unconfirm()
        # the correction through the facts: the line reads the findings again, and
        # the correction keeps who, when and why (chatter, line, printed sheet)
        as_user(line, officer).action_correct(
            "facts",
            APPEAL_CORRECTION_NOTE
            % {"before": f"{before:g}", "after": f"{before - finding.points:g}"},
        )
        step_done(env)
    evaluation.action_approve()
    step_done(env)
    evaluation.action_publish()
    step_done(env)


def _appeal_too_late(evaluation, officer):
    """The employee appeals after the deadline: the system refuses the appeal.

    The demo is installed in one instant, so the working days of the appeal window
    cannot really pass. This evaluation is therefore given an earlier publication,
    two weeks ago, and the deadline the module computes for it
    (``_appeal_deadline``: the company's working days after publication).
    ``published_date`` and ``appeal_deadline`` are the only values back-dated,
    through ``_kpi_write`` (server code, as the Publish action sets them); the
    refusal itself is the appeal's own check, in the employee's language.
    """
    if not evaluation:
        return
    published = fields.Datetime.now() - timedelta(days=14)
    as_user(evaluation, officer)._kpi_write(
        {"published_date": published, "appeal_deadline": evaluation._appeal_deadline(published)}
    )
    appellant = evaluation.employee_id.user_id or officer
    try:
        with evaluation.env.cr.savepoint():
            as_user(evaluation.env["hr.kpi.appeal"], appellant).create(
                {"evaluation_id": evaluation.id, "reason": LATE_APPEAL_REASON}
            )
    except UserError as error:
        # Posted by the system (OdooBot), as an internal note.
        evaluation.with_context(lang=officer.lang).message_post(
            body=LATE_APPEAL_REFUSED % {"error": error.args[0], "reason": LATE_APPEAL_REASON},
            subtype_xmlid="mail.mt_note",
        )
    else:
        # the demo's story is broken (not a user's input): stop its install loudly
        raise RuntimeError(f"KPI demo: the late appeal of {evaluation.name} was accepted.")


def _contested_findings(env, employee, period, officer):
    """The two audit findings of the appellant, 2 points each; the first is the
    one the appeal shows to come from a system fault."""
    audit = env.ref("hr_kpi_service.incident_type_audit_finding")
    findings = as_user(env["hr.kpi.incident"], officer).create(
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
    )
    findings.action_confirm()


def source_indicators(env, officer):
    """Where the demo schemes' indicators read their actual values from, as an HR
    officer sets them up on the indicator form (Actual Value Source):

    * 客服代表 — complaint handling: complaints closed within the seed 004 limits
      (answered in 1 working day, solved in 3), from the service-level records of
      priority "complaint"; a month without complaints is 100 %. Audit
      deductions: the points of the confirmed audit findings.
    * 领班 — attitude complaints in the team: the substantiated attitude
      complaints of his direct reports; training sessions: the training records
      (card 3) he took part in; daily management: internal customers' cards
      (card 1) about him or, failing that, about the department.
    * 经理 — work attitude and dedication: the general manager's feedback card
      (card 4) about the department.

    Values read from records are nobody's rating: the rater role is HR.
    """
    audit = env.ref("hr_kpi_service.incident_type_audit_finding")
    attitude = env.ref("hr_kpi_service.incident_type_attitude_complaint")
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
            "source_incident_type_ids": [fields.Command.set(audit.ids)],
        },
        "LEAD_ATTITUDE_COMPLAINTS": {
            "source_type": "incident_count",
            "source_scope": "team",
            "source_incident_type_ids": [fields.Command.set(attitude.ids)],
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
    schemes = env["hr.kpi.scheme"]
    for xmlid in DEMO_SCHEMES:
        schemes |= env.ref(xmlid, raise_if_not_found=False) or schemes
    for indicator in schemes.indicator_ids:
        vals = sources.get(indicator.code)
        if vals and indicator.source_type == "manual":
            as_user(indicator, officer).write(dict(vals, rater_role="hr"))


def _history_facts(env, period, officer):
    """A history month's records behind the sourced indicators: each lead holds
    three or four team trainings (card 3); the quality department fills an
    internal customers' card (card 1) about each lead, and the general manager his
    feedback card (card 4) about the department."""
    department = env.ref("hr_kpi_service.dept_customer_service_demo")
    leads = department.manager_id.child_ids.filtered("child_ids").sorted("barcode")
    draw = demo_values.rng("facts", period.date_from)
    activities, surveys = [], []
    internal = env.ref("hr_kpi_service.survey_card_internal")
    supervisor = env.ref("hr_kpi_service.survey_card_supervisor")

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
        # (the story runs as superuser here: contract dates are readable)
        team = lead.child_ids.filtered(
            lambda member: (
                member.first_contract_date and member.first_contract_date <= period.date_to
            )
        )
        sessions = 4 if draw.random() < 0.7 else 3
        for number in range(sessions):
            activities.append(
                {
                    "activity_type": "training",
                    "date": period.date_from + timedelta(days=6 + 7 * number),
                    "hours": draw.choice((1.0, 1.5, 2.0)),
                    "place": "培训室 A" if index == 0 else "培训室 B",
                    "company_id": department.company_id.id,
                    "participant_ids": [fields.Command.set((lead | team).ids)],
                    "content": draw.choice(TRAINING_TOPICS),
                }
            )
        surveys.append(
            card(
                internal,
                [draw.choice("AAB") for _question in range(3)],
                date=period.date_to - timedelta(days=3),
                respondent="质检部",
                employee_id=lead.id,
                comment=draw.choice(INTERNAL_CARD_COMMENTS),
            )
        )
    surveys.append(
        card(
            supervisor,
            [draw.choice("ABB") for _question in range(3)],
            date=period.date_to - timedelta(days=1),
            respondent="总经理",
            department_id=department.id,
            comment=SUPERVISOR_CARD_COMMENT,
        )
    )
    as_user(env["hr.kpi.activity.record"], officer).create(activities)
    as_user(env["hr.kpi.survey"], officer).create(surveys)
