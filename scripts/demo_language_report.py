#!/usr/bin/env python3
"""What a Chinese user of the demo database sees in English (issue 13, item 1).

    python3 scripts/demo_language_report.py --db kpi_demo

Read-only SQL over one database installed with demo data and zh_CN. It counts:

* **translated names** (the JSONB columns of the KPI tables, departments and jobs):
  rows that hold ``en_US`` but no ``zh_CN`` while their text is English, so that
  a zh_CN user reads English ("English-only"); and rows whose ``en_US`` text is
  Chinese, so that an en_US user reads Chinese ("no English").
* **texts written by the story** (chatter bodies and tracked values of the KPI and
  payroll records, award reasons, star explanations, consequence descriptions,
  payslip and batch names, payslip input names and explanations): rows with an
  English word in them (three Latin letters or more, HTML tags removed, "KPI"
  and a few proper names excepted).
* the company's and the admin's names and the company's currency.

The same script gives the before and after figures of README's demo section.
"""

import argparse

import psycopg2

CJK = "[\u4e00-\u9fff]"
# An English word: three Latin letters or more, not one of these tokens.
ENGLISH = r"\m(?!(KPI|Odoo|OdooBot|Shanghai|Asia|UTC|Q[1-4])\M)[A-Za-z]{3,}"

# (table, JSONB column) of the translated names the demo fills.
NAME_COLUMNS = [
    ("hr_kpi_scheme", "name"),
    ("hr_kpi_scheme", "note"),
    ("hr_kpi_perspective", "name"),
    ("hr_kpi_indicator", "name"),
    ("hr_kpi_indicator", "unit"),
    ("hr_kpi_indicator", "calculation"),
    ("hr_kpi_indicator", "data_source"),
    ("hr_kpi_grade_scale", "name"),
    ("hr_kpi_grade_band", "name"),
    ("hr_kpi_incident_type", "name"),
    ("hr_kpi_rater_config", "name"),
    ("hr_kpi_survey_card", "name"),
    ("hr_kpi_survey_question", "name"),
    ("hr_department", "name"),
    ("hr_job", "name"),
]

# Models whose chatter the story writes.
CHATTER_MODELS = ("hr.kpi.%", "hr.payslip", "hr.payslip.run")


def _english_rows(table, expression, where="TRUE"):
    """SQL counting the rows of `table`, and those whose `expression` holds English."""
    return (
        f"SELECT count(*), count(*) FILTER (WHERE coalesce({expression}, '') ~ %(english)s)"
        f" FROM {table} WHERE {where}"
    )


# (label, SQL returning (rows, English rows)) of the texts the story writes.
CHATTER = "model LIKE %(m1)s OR model IN (%(m2)s, %(m3)s)"
TEXTS = [
    (
        "mail_message body (KPI and payroll records)",
        _english_rows("mail_message", "regexp_replace(body, '<[^>]*>', '', 'g')", CHATTER),
    ),
    (
        "mail_tracking_value (old / new value of those messages)",
        _english_rows(
            "mail_tracking_value",
            "old_value_char || ' ' || new_value_char",
            f"mail_message_id IN (SELECT id FROM mail_message WHERE {CHATTER})",
        ),
    ),
    ("hr_kpi_award name", _english_rows("hr_kpi_award", "name")),
    ("hr_kpi_award reason", _english_rows("hr_kpi_award", "reason")),
    ("hr_kpi_star_level name", _english_rows("hr_kpi_star_level", "name")),
    ("hr_kpi_star_review name", _english_rows("hr_kpi_star_review", "name")),
    (
        "hr_kpi_star_review_line explanation",
        _english_rows("hr_kpi_star_review_line", "explanation"),
    ),
    ("hr_kpi_star_month explanation", _english_rows("hr_kpi_star_month", "explanation")),
    ("hr_kpi_consequence description", _english_rows("hr_kpi_consequence", "description")),
    (
        "hr_kpi_appeal reason / decision",
        _english_rows("hr_kpi_appeal", "reason || ' ' || coalesce(decision_note, '')"),
    ),
    ("hr_kpi_period name", _english_rows("hr_kpi_period", "name")),
    ("hr_payslip name", _english_rows("hr_payslip", "name")),
    ("hr_payslip_run name", _english_rows("hr_payslip_run", "name")),
    (
        "hr_payslip_input name (KPI inputs; payroll names are issue 13 item 2)",
        _english_rows("hr_payslip_input", "name", "code LIKE 'KPI%%'"),
    ),
    (
        "hr_payslip_input explanation",
        _english_rows("hr_payslip_input", "kpi_explanation", "code LIKE 'KPI%%'"),
    ),
]


def name_counts(cr):
    """[(table.column, rows, English-only, no English)]."""
    result = []
    for table, column in NAME_COLUMNS:
        cr.execute(
            f"""SELECT count(*),
                       count(*) FILTER (WHERE NOT {column} ? 'zh_CN'
                                        AND {column}->>'en_US' ~ %(english)s
                                        AND {column}->>'en_US' !~ %(cjk)s),
                       count(*) FILTER (WHERE {column}->>'en_US' ~ %(cjk)s)
                  FROM {table} WHERE {column} IS NOT NULL""",
            {"english": ENGLISH, "cjk": CJK},
        )
        result.append((f"{table}.{column}", *cr.fetchone()))
    return result


def text_counts(cr):
    """[(label, rows, English rows)]."""
    params = dict(zip(("m1", "m2", "m3"), CHATTER_MODELS, strict=True), english=ENGLISH)
    result = []
    for label, query in TEXTS:
        cr.execute(query, params)
        result.append((label, *cr.fetchone()))
    return result


def company_facts(cr):
    cr.execute(
        """SELECT c.name, cur.name, p.name, p.lang
             FROM res_company c JOIN res_currency cur ON cur.id = c.currency_id,
                  res_users u JOIN res_partner p ON p.id = u.partner_id
            WHERE c.id = 1 AND u.login = 'admin'"""
    )
    return cr.fetchone()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kpi_demo")
    args = parser.parse_args()
    with psycopg2.connect(dbname=args.db) as connection, connection.cursor() as cr:
        names = name_counts(cr)
        texts = text_counts(cr)
        company, currency, admin, admin_lang = company_facts(cr)
    print(f"database {args.db}: company {company} ({currency}), admin {admin} ({admin_lang})")
    print()
    print(f"{'translated name':45} {'rows':>6} {'English-only':>13} {'no English':>11}")
    for label, rows, english_only, no_english in names:
        print(f"{label:45} {rows:6} {english_only:13} {no_english:11}")
    total_english = sum(row[2] for row in names)
    total_chinese = sum(row[3] for row in names)
    print(f"{'total':45} {sum(row[1] for row in names):6} {total_english:13} {total_chinese:11}")
    print()
    print(f"{'text written by the story':68} {'rows':>6} {'English':>8}")
    for label, rows, english in texts:
        print(f"{label:68} {rows:6} {english:8}")
    total_texts = sum(row[2] for row in texts)
    print(f"{'total':68} {sum(row[1] for row in texts):6} {total_texts:8}")
    print()
    print(
        f"English-only names: {total_english}; names without English: {total_chinese}; "
        f"texts with English: {total_texts}"
    )


if __name__ == "__main__":
    main()
