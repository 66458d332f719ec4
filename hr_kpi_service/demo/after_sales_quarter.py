"""The demo's 售后服务部 quarter (seed 004, issue 21): the after-sales specialists'
third quarter, approved and waiting for its sign-off.

Seed 004 assesses 售后服务主管 and 售后服务专员 per quarter (第12条); after the
quarter HR draws up the 《绩效考核结果处理表》 and has it confirmed along 上级主管 →
职能部门经理 → 人力资源总监 → 总经理 (第17条); a 考核委员会 decides and publishes (公示)
the results. Run by ``story.run`` after the service advisors, each step as the
zh_CN user who presses the button:

1. HR opens the people the chain needs: the after-sales supervisor 周立新 (上级主管
   of the specialists), five specialists under him in the 售后服务部 (a quarterly
   performance base of 3,000 on their contracts), the HR director 许静 (人力行政中心)
   and the general manager 沈国栋 (总经办);
2. HR sets up the specialists' quarterly scheme (个人业绩 60 / 工作能力 25 / 工作态度 15,
   grades 优 / 良 / 中 / 较差 / 差), the 考核委员会 (许静, 陈志强, 林晓峰; 优 at most
   10 %, one 较差 or below per 20 people) and the four-level chain, named by the scheme;
3. the third quarter is rated by 周立新 and approved by HR: the results wait for the
   sign-off (``signoff_pending``) and pay nothing yet.

What follows is left to the users (tests/test_tours_demo_quarter.py walks it): HR
draws up the sheet, whose one 优 of five is outside the committee's range; 陈志强
proposes to calibrate 吴晓梅 to 良, 许静 confirms; the four levels sign; HR
publishes (公示); September's payslip pays the quarter: 3000 × 89 % = 2670.

Skipped when the chain exists already.
"""

from odoo import fields

from .month import _mover_batches, as_user, step_done
from .service_advisors import _bilingual, _demo_user, _find_or_create, _ref, _xmlid

CHAIN = (
    "signoff_chain_after_sales_demo",
    "售后服务部绩效考核结果处理表审批",
    "After-Sales Results Sign-off",
)
CHAIN_NOTE = (
    "种子 004 第17条：上级主管——职能部门经理——人力资源总监——总经理。",
    "Seed 004 article 17: direct superior, functional department manager, HR director, "
    "general manager.",
)
# (level name zh / en, approver type, signer's xmlid suffix)
LEVELS = (
    ("上级主管", "Direct Superior", "superior", None),
    ("职能部门经理", "Functional Department Manager", "department_manager", None),
    ("人力资源总监", "HR Director", "users", "user_xu_jing_demo"),
    ("总经理", "General Manager", "users", "user_shen_guodong_demo"),
)
COMMITTEE = (
    "calibration_committee_after_sales_demo",
    "售后服务考核委员会",
    "After-Sales Assessment Committee",
)
COMMITTEE_MEMBERS = ("user_xu_jing_demo", "user_chen_zhiqiang_demo", "base.user_admin")
# (name zh / en, grade codes, ceiling %, at least one per N people)
RANGES = (
    ("优 不超过 10 %", "Outstanding at most 10 %", ("优",), 10.0, 0),
    ("较差及以下 每 20 人至少 1 人", "Below average or worse: one per 20", ("较差", "差"), 0.0, 20),
)
# (xmlid suffix, name zh / en, department suffix or None for the 售后服务部)
DEPARTMENTS = (
    ("dept_hr_admin_demo", "人力行政中心", "HR and Administration Centre"),
    ("dept_general_office_demo", "总经办", "General Manager's Office"),
)
JOBS = (
    (
        "job_after_sales_supervisor_demo",
        "售后服务主管",
        "After-Sales Supervisor",
        "dept_after_sales_demo",
    ),
    (
        "job_after_sales_specialist_demo",
        "售后服务专员",
        "After-Sales Specialist",
        "dept_after_sales_demo",
    ),
    ("job_hr_director_demo", "人力资源总监", "HR Director", "dept_hr_admin_demo"),
    ("job_general_manager_demo", "总经理", "General Manager", "dept_general_office_demo"),
)
# (suffix, name, login or None, barcode, job, department, superior suffix, wage,
# quarterly performance base)
PEOPLE = (
    (
        "shen_guodong",
        "沈国栋",
        "kpi.gm",
        "890001",
        "job_general_manager_demo",
        "dept_general_office_demo",
        None,
        20000.0,
        0.0,
    ),
    (
        "xu_jing",
        "许静",
        "kpi.hrd",
        "890002",
        "job_hr_director_demo",
        "dept_hr_admin_demo",
        "shen_guodong",
        12000.0,
        0.0,
    ),
    (
        "zhou_lixin",
        "周立新",
        "kpi.supervisor",
        "880201",
        "job_after_sales_supervisor_demo",
        "dept_after_sales_demo",
        "chen_zhiqiang",
        5500.0,
        0.0,
    ),
    (
        "wu_xiaomei",
        "吴晓梅",
        None,
        "880202",
        "job_after_sales_specialist_demo",
        "dept_after_sales_demo",
        "zhou_lixin",
        3500.0,
        3000.0,
    ),
    (
        "zheng_kai",
        "郑凯",
        "kpi.specialist",
        "880203",
        "job_after_sales_specialist_demo",
        "dept_after_sales_demo",
        "zhou_lixin",
        3500.0,
        3000.0,
    ),
    (
        "feng_xue",
        "冯雪",
        None,
        "880204",
        "job_after_sales_specialist_demo",
        "dept_after_sales_demo",
        "zhou_lixin",
        3500.0,
        3000.0,
    ),
    (
        "he_zhiyuan",
        "何志远",
        None,
        "880205",
        "job_after_sales_specialist_demo",
        "dept_after_sales_demo",
        "zhou_lixin",
        3500.0,
        3000.0,
    ),
    (
        "jiang_li",
        "蒋丽",
        None,
        "880206",
        "job_after_sales_specialist_demo",
        "dept_after_sales_demo",
        "zhou_lixin",
        3500.0,
        3000.0,
    ),
)
SIGNERS = ("shen_guodong", "xu_jing", "zhou_lixin")  # KPI managers: they sign
SCHEME = (
    "scheme_after_sales_quarterly_demo",
    "售后服务专员季度考核（售后服务部）",
    "After-Sales Specialist Quarterly Evaluation",
    "AS-Q",
)
# Seed 004 第11条: 个人业绩, 工作能力, 工作态度 (name zh / en, code, weight)
INDICATORS = (
    ("个人业绩", "Personal Results", "AS_RESULTS", 60),
    ("工作能力", "Work Ability", "AS_ABILITY", 25),
    ("工作态度", "Work Attitude", "AS_ATTITUDE", 15),
)
# 周立新's ratings of the third quarter, in the order of INDICATORS: 吴晓梅 92.7 (优),
# 郑凯 87.55, 冯雪 83.15 (良), 何志远 76.5 (中), 蒋丽 69.1 (较差).
RATINGS = {
    "wu_xiaomei": (95, 90, 88),
    "zheng_kai": (88, 85, 90),
    "feng_xue": (84, 80, 85),
    "he_zhiyuan": (75, 78, 80),
    "jiang_li": (68, 70, 72),
}
RATING_COMMENT = "第三季度工作总结已审阅，按《工作目标计划表》评分。"
QUARTER = "2026-07-01"
START = "2026-01-01"


def run(env, officer):
    """The whole quarter's set-up (see the module docstring)."""
    if _ref(env, CHAIN[0]):
        return False
    people = _open_people(env, officer)
    scheme = _scheme(env, officer)
    chain = _chain(env, officer)
    as_user(scheme, officer).write({"signoff_chain_id": chain.id})
    as_user(scheme, officer).action_activate()
    step_done(env)
    _rate_and_approve(env, officer, people)
    return True


def _department(env, officer, suffix, chinese, english):
    company = env.ref("base.main_company")
    department, created = _find_or_create(
        env, suffix, "hr.department", officer, {"name": chinese, "company_id": company.id}
    )
    if created:
        _bilingual(department, chinese, english)
    return department


def _open_people(env, officer):
    company = env.ref("base.main_company")
    for suffix, chinese, english in DEPARTMENTS:
        _department(env, officer, suffix, chinese, english)
    jobs = {}
    for suffix, chinese, english, department in JOBS:
        job, created = _find_or_create(
            env,
            suffix,
            "hr.job",
            officer,
            {"name": chinese, "company_id": company.id, "department_id": _ref(env, department).id},
        )
        if created:
            _bilingual(job, chinese, english)
        jobs[suffix] = job
    structure = env.ref("hr_kpi_service.payroll_structure_customer_service")
    calendar = env.ref("resource.resource_calendar_std")
    signer_groups = [
        env.ref("base.group_user").id,
        env.ref("hr_kpi_service.group_kpi_manager").id,
    ]
    people = {}
    for suffix, name, login, barcode, job, dept, superior, wage, base in PEOPLE:
        user = env["res.users"]
        if login:
            groups = signer_groups if suffix in SIGNERS else signer_groups[:1]
            user = _demo_user(env, officer, company, suffix, name, login, groups)
        parent = people.get(superior) or (
            _ref(env, f"employee_{superior}_demo") if superior else None
        )
        department = _ref(env, dept)
        employee, _created = _find_or_create(
            env,
            f"employee_{suffix}_demo",
            "hr.employee",
            officer,
            {
                "name": name,
                "company_id": company.id,
                "department_id": department.id,
                "job_id": jobs[job].id,
                "parent_id": parent.id if parent else False,
                "coach_id": parent.id if parent else False,
                "user_id": user.id,
                "barcode": barcode,
                "tz": "Asia/Shanghai",
                "resource_calendar_id": calendar.id,
            },
        )
        contract, created = _find_or_create(
            env,
            f"contract_{suffix}_demo",
            "hr.contract",
            officer,
            {
                "name": f"{name} 劳动合同",
                "employee_id": employee.id,
                "company_id": company.id,
                "job_id": jobs[job].id,
                "department_id": department.id,
                "struct_id": structure.id,
                "wage": wage,
                "kpi_performance_base": base,
                "date_start": START,
                "resource_calendar_id": calendar.id,
                "state": "open",
            },
        )
        if not created:  # a kept contract: the addon's own fields are new again
            as_user(contract, officer).write({"kpi_performance_base": base})
        if parent and employee.parent_id != parent:
            # the contract set the department's manager as superior; the org chart says
            # who is (the specialists report to the supervisor)
            as_user(employee, officer).write({"parent_id": parent.id, "coach_id": parent.id})
        if not department.manager_id and dept != "dept_after_sales_demo":
            department.manager_id = employee
        people[suffix] = employee
    step_done(env)
    return people


def _scheme(env, officer):
    suffix, chinese, english, code = SCHEME
    company = env.ref("base.main_company")
    scheme = as_user(env["hr.kpi.scheme"], officer).create(
        {
            "name": chinese,
            "code": code,
            "company_id": company.id,
            "period_type": "quarterly",
            "job_ids": [fields.Command.set(_ref(env, "job_after_sales_specialist_demo").ids)],
            "grade_scale_id": env.ref("hr_kpi_service.grade_scale_five").id,
        }
    )
    _bilingual(scheme, chinese, english)
    for sequence, (name, name_en, indicator_code, weight) in enumerate(INDICATORS):
        indicator = as_user(env["hr.kpi.indicator"], officer).create(
            {
                "scheme_id": scheme.id,
                "sequence": sequence,
                "name": name,
                "code": indicator_code,
                "weight": weight,
                "scoring_method": "manual",
                "rater_role": "superior",
            }
        )
        _bilingual(indicator, name, name_en)
    _xmlid(env, suffix, scheme)
    step_done(env)
    return scheme


def _chain(env, officer):
    company = env.ref("base.main_company")
    bands = env.ref("hr_kpi_service.grade_scale_five").band_ids
    committee = as_user(env["hr.kpi.calibration.committee"], officer).create(
        {
            "name": COMMITTEE[1],
            "company_id": company.id,
            "member_ids": [
                fields.Command.set(
                    [(env.ref(m) if "." in m else _ref(env, m)).id for m in COMMITTEE_MEMBERS]
                )
            ],
            "rule_ids": [
                fields.Command.create(
                    {
                        "sequence": sequence,
                        "name": name,
                        "band_ids": [
                            fields.Command.set(bands.filtered(lambda b, c=codes: b.code in c).ids)
                        ],
                        "has_ceiling": bool(ceiling),
                        "max_pct": ceiling,
                        "min_per": per,
                    }
                )
                for sequence, (name, _english, codes, ceiling, per) in enumerate(RANGES)
            ],
        }
    )
    _bilingual(committee, COMMITTEE[1], COMMITTEE[2])
    for rule, (name, english, *_rest) in zip(committee.rule_ids, RANGES, strict=True):
        _bilingual(rule, name, english)
    _xmlid(env, COMMITTEE[0], committee)
    chain = as_user(env["hr.kpi.signoff.chain"], officer).create(
        {
            "name": CHAIN[1],
            "company_id": company.id,
            "committee_id": committee.id,
            "level_ids": [
                fields.Command.create(
                    {
                        "sequence": sequence,
                        "name": name,
                        "approver_type": kind,
                        "user_ids": [fields.Command.set(_ref(env, signer).ids)] if signer else [],
                    }
                )
                for sequence, (name, _english, kind, signer) in enumerate(LEVELS, start=1)
            ],
        }
    )
    _bilingual(chain, CHAIN[1], CHAIN[2])
    chain.with_context(lang="zh_CN").write({"note": CHAIN_NOTE[0]})
    chain.with_context(lang="en_US").write({"note": CHAIN_NOTE[1]})
    for level, (name, english, *_rest) in zip(chain.level_ids, LEVELS, strict=True):
        _bilingual(level, name, english)
    _xmlid(env, CHAIN[0], chain)
    step_done(env)
    return chain


def _rate_and_approve(env, officer, people):
    """The third quarter: HR starts it, 周立新 rates his specialists, the department
    manager moves them on, HR approves; they wait for the sign-off."""
    company = env.ref("base.main_company")
    quarter = as_user(env["hr.kpi.period"], officer)._get_or_create(
        fields.Date.to_date(QUARTER), "quarterly", company
    )
    Evaluation = as_user(env["hr.kpi.evaluation"], officer).with_company(company)
    evaluations = env["hr.kpi.evaluation"].browse(Evaluation._generate(quarter).ids)
    step_done(env)
    as_user(evaluations, officer).action_start()
    step_done(env)
    head = _ref(env, "dept_after_sales_demo").manager_id
    batches = _mover_batches(env, evaluations, head, officer)
    for user, batch in batches:
        as_user(batch, user).action_to_rating()
        step_done(env)
    codes = [code for _name, _en, code, _weight in INDICATORS]
    for rating in evaluations.rating_ids.filtered(lambda r: r.state == "todo"):
        rating = as_user(rating, rating.rater_employee_id.user_id or officer)
        suffix = next(s for s, e in people.items() if e == rating.employee_id)
        values = dict(zip(codes, RATINGS[suffix], strict=True))
        for line in rating.line_ids:
            line.write({"value": values[line.evaluation_line_id.indicator_id.code]})
        rating.write({"comment": RATING_COMMENT})
        rating.action_submit()
        step_done(env)
    for user, batch in batches:
        as_user(batch, user).action_to_hr_review()
        step_done(env)
    as_user(evaluations, officer).action_approve()
    step_done(env)
    return evaluations
