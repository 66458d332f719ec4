"""The demo story: a Chinese service centre's third quarter and October 2026.

How it runs. ``hooks.post_init_hook`` calls :func:`run` once, when the module is
installed with demo data. Odoo calls that hook after the module's data, its demo
records (``hr_kpi_service_demo.xml``: the company, people, contracts) and its
translations (the ``.po`` files of every installed language) are loaded, so the
story's records are made by users who read Chinese and the module's strings
come out in Chinese: a ``<function>`` tag of the demo XML would run before the
``.po`` files. The story is plain Python taking ``env``; no model method is
needed. It runs once: an update of the module does not call the hook, and every
month is skipped when it already has evaluations.

What it does, each step through the module's own action methods, as the zh_CN
user who would press the button (``month.as_user``):

1. the company's languages: zh_CN (its terms loaded when it was not installed
   yet) and en_US beside it; the admin and the demo users read zh_CN;
2. the demo records typed in Chinese get their English names, and the schemes
   are copied from the shipped templates in both languages;
3. July to September 2026 run through the cycle and are closed;
4. October's facts are imported from ``demo/samples/``, October runs through
   the cycle with one appeal upheld and one refused as too late;
5. the third quarter's star review, October's monthly stars and awards, and
   October's payslip batch (generated and computed, to be confirmed);
6. the after-sales department's service advisors (``demo/service_advisors.py``):
   their months, a target letter and its revision, October's evaluations, the
   third quarter's team reward, and their payslips in October's batch;
7. the 售后服务部's quarter (``demo/after_sales_quarter.py``): its specialists'
   third quarter approved and waiting for the four-level sign-off, with the
   chain, the 考核委员会 and the people who sign.
"""

import base64
import logging

from odoo import fields
from odoo.tools import file_open

from . import after_sales_quarter, service_advisors
from . import month as demo_month
from . import values as demo_values
from .month import as_user, step_done

_logger = logging.getLogger(__name__)

LANGUAGE = "zh_CN"
# The users of the story: the admin is the company's KPI officer.
DEMO_USERS = (
    "base.user_admin",
    "hr_kpi_service.user_kpi_manager_demo",
    "hr_kpi_service.user_kpi_lead_demo",
    "hr_kpi_service.user_kpi_rep_demo",
)
# English names of the demo records typed in Chinese (translated fields hold both).
ENGLISH_NAMES = {
    "hr_kpi_service.dept_customer_service_demo": "Customer Service Department",
    "hr_kpi_service.job_cs_manager_demo": "Customer Service Manager",
    "hr_kpi_service.job_cs_lead_demo": "Customer Service Team Lead",
    "hr_kpi_service.job_cs_rep_demo": "Customer Service Representative",
}
# (template, new XML id, code, Chinese name, English name, job): the active schemes.
SCHEMES = (
    (
        "hr_kpi_service.scheme_template_rep_monthly",
        "hr_kpi_service.scheme_rep_monthly_demo",
        "REP-M",
        "客服代表月度考核（客户服务部）",
        "Representative Monthly Evaluation (Customer Service)",
        "hr_kpi_service.job_cs_rep_demo",
    ),
    (
        "hr_kpi_service.scheme_template_lead_monthly",
        "hr_kpi_service.scheme_lead_monthly_demo",
        "LEAD-M",
        "客服领班月度考核（客户服务部）",
        "Team Lead Monthly Evaluation (Customer Service)",
        "hr_kpi_service.job_cs_lead_demo",
    ),
    (
        "hr_kpi_service.scheme_template_manager_level",
        "hr_kpi_service.scheme_manager_level_demo",
        "MGR-M",
        "客户服务部经理考核（经理级）",
        "Customer Service Manager Evaluation (Manager Level)",
        "hr_kpi_service.job_cs_manager_demo",
    ),
)
TIME_ZONE = "Asia/Shanghai"
HISTORY_MONTHS = ("2026-07-01", "2026-08-01", "2026-09-01")
OCTOBER = "2026-10-01"
QUARTER = "2026-07-01"
SAMPLES = (
    ("incident", "incidents_2026-10.xlsx"),
    ("survey", "surveys_2026-10.xlsx"),
    ("activity", "activities_2026-10.csv"),
    ("sla", "sla_2026-10.xls"),
)
PAYSLIP_BATCH_NAME = "客户服务部 %(month)s 工资"


def run(env):
    """The whole story, as described in the module docstring."""
    set_up_languages(env)
    set_up_time_zone(env)
    # The system's own steps (the appeal-window cron, the stored names computed when
    # a step ends) speak the company's language; the notification mails are queued
    # instead of being sent while installing.
    env = env(context=dict(env.context, lang=LANGUAGE, mail_notify_force_send=False))
    name_in_english(env)
    name_star_levels(env)
    officer = env.ref("base.user_admin")
    copy_schemes(env, officer)
    for day in HISTORY_MONTHS:
        demo_month.run_history_month(env, fields.Date.to_date(day), officer)
    import_samples(env, officer)
    demo_month.run_month(
        env,
        fields.Date.to_date(OCTOBER),
        env.ref("hr_kpi_service.employee_liu_yang_demo"),
        env.ref("hr_kpi_service.employee_li_na_demo"),
        officer,
    )
    batch = stars_and_payroll(env, officer)
    if batch:
        service_advisors.run(env, officer, batch)
        after_sales_quarter.run(env, officer)


def set_up_languages(env):
    """zh_CN with the terms of every installed module (this one included), en_US
    beside it, and zh_CN as the language of the story's users."""
    Lang = env["res.lang"].with_context(active_test=False)
    chinese = Lang.search([("code", "=", LANGUAGE)])
    if not chinese.active:
        # As Settings › Languages does: activate, load the installed modules' terms.
        env["base.language.install"].create(
            {"lang_ids": [fields.Command.set(chinese.ids)]}
        ).lang_install()
        env["ir.module.module"]._get("hr_kpi_service")._update_translations(LANGUAGE)
    Lang._activate_lang("en_US")
    for xmlid in DEMO_USERS:
        env.ref(xmlid).write({"lang": LANGUAGE, "tz": TIME_ZONE})


def set_up_time_zone(env):
    """The company works on Beijing time: its working calendar (appeal deadlines,
    service levels) is in Asia/Shanghai, whatever calendar it was given and even
    where the demo XML could not change the resource module's own calendar."""
    company = env.ref("base.main_company")
    calendars = company.resource_calendar_id | env.ref("resource.resource_calendar_std")
    calendars.write({"tz": TIME_ZONE})
    company.partner_id.tz = TIME_ZONE


def name_in_english(env):
    """The department and jobs, typed in Chinese in the demo XML, get their English
    names: the Chinese stays the zh_CN value."""
    for xmlid, english in ENGLISH_NAMES.items():
        record = env.ref(xmlid)
        chinese = record.with_context(lang=LANGUAGE).name
        record.with_context(lang=LANGUAGE).write({"name": chinese})
        record.with_context(lang="en_US").write({"name": english})


def name_star_levels(env):
    """The company's star levels, created with the module's data before any
    language was chosen, take their stored names in the company's language (their
    display name follows the reader's)."""
    levels = env["hr.kpi.star.level"].search([("company_id", "=", env.ref("base.main_company").id)])
    env.add_to_compute(levels._fields["name"], levels)
    step_done(env)


def copy_schemes(env, officer):
    """HR copies the shipped templates (named in both languages) into the
    company's active schemes, then gives each copy its English name."""
    company = env.ref("base.main_company")
    Scheme = as_user(env["hr.kpi.scheme"], officer)
    for template, xmlid, code, chinese, english, job in SCHEMES:
        values = {
            "company_id": company.id,
            "job_ids": [fields.Command.set(env.ref(job).ids)],
            "name": chinese,
            "code": code,
        }
        scheme = Scheme._copy_template_as(template, xmlid, values)
        scheme.with_context(lang="en_US").write({"name": english})
    step_done(env)


def import_samples(env, officer):
    """Import October's sample files through the import wizard, as HR would:
    complaints and other incidents, survey cards, training records and
    service-level records. Re-running imports nothing new (rows are keyed)."""
    company = env.ref("base.main_company")
    Import = as_user(env["hr.kpi.import"], officer).with_company(company)
    for import_type, filename in SAMPLES:
        with file_open(f"hr_kpi_service/demo/samples/{filename}", "rb") as handle:
            content = handle.read()
        wizard = Import.create(
            {"import_type": import_type, "file": base64.b64encode(content), "filename": filename}
        )
        wizard.action_import()
        _logger.info("KPI demo: %s imported: %s", filename, wizard.result)
    step_done(env)


def stars_and_payroll(env, officer):
    """HR's work after October, as from the interface: the third quarter's star
    review (skill test results typed, reviewed, closed), October's monthly stars
    and awards, then its payslip batch generated with the payroll wizard, whose
    payslips get their KPI input lines from OCA payroll's own input generation
    and are computed. The batch stays to be confirmed. Skipped when the quarter
    already has a review."""
    company = env.ref("base.main_company")
    Period = as_user(env["hr.kpi.period"], officer).with_company(company)
    quarter = Period._get_or_create(fields.Date.to_date(QUARTER), "quarterly", company)
    october = Period._get_or_create(fields.Date.to_date(OCTOBER), "monthly", company)
    Review = as_user(env["hr.kpi.star.review"], officer).with_company(company)
    if Review.search_count([("period_id", "=", quarter.id)]):
        return False
    review = Review.create({"company_id": company.id, "period_id": quarter.id})
    review.action_compute()
    for line in review.line_ids:
        line.action_set_skill_score(demo_values.skill(env, line.employee_id, quarter))
    review.action_compute()
    review.action_done()
    step_done(env)
    as_user(env["hr.kpi.star.month"], officer)._action_compute_periods(october)
    as_user(env["hr.kpi.award"], officer)._action_compute_periods(october)
    step_done(env)
    return _payslip_batch(env, october, officer)


def _payslip_batch(env, month, officer):
    department = env.ref("hr_kpi_service.dept_customer_service_demo")
    values = {
        "name": PAYSLIP_BATCH_NAME % {"month": month.name},
        "date_start": month.date_from,
        "date_end": month.date_to,
    }
    # a batch kept by an earlier install (uninstalling keeps payroll) is reused
    kept = env["hr.payslip.run"].search([(key, "=", value) for key, value in values.items()])
    if kept:
        return kept[:1]
    run = as_user(env["hr.payslip.run"], officer).create(values)
    employees = env["hr.employee"].search([("department_id", "=", department.id)], order="barcode")
    wizard = (
        as_user(env["hr.payslip.employees"], officer)
        .with_context(active_id=run.id, active_model="hr.payslip.run")
        .create({"employee_ids": [fields.Command.set(employees.ids)]})
    )
    wizard.compute_sheet()
    step_done(env)
    return run
