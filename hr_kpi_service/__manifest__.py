{
    "name": "Customer Service KPI",
    "summary": "KPI schemes, evaluations, grades, star reviews and appeals for "
    "customer-service teams, paid through OCA payroll",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Performance",
    "website": "https://github.com/hr-kpi-service/hr_kpi_service",
    "author": "hr_kpi_service developers",
    "license": "LGPL-3",
    "depends": ["hr", "mail", "payroll"],
    "external_dependencies": {"python": ["xlrd", "openpyxl"]},
    "data": [
        "security/hr_kpi_service_groups.xml",
        "security/ir.model.access.csv",
        "security/hr_kpi_service_rules.xml",
        "data/hr_kpi_scheme_templates.xml",
        "views/hr_kpi_scheme_views.xml",
        "views/hr_kpi_indicator_views.xml",
        "views/hr_employee_views.xml",
        "wizards/hr_kpi_scheme_try_views.xml",
        "views/hr_kpi_service_menus.xml",
    ],
    "demo": [
        "demo/hr_kpi_service_demo.xml",
    ],
    "images": ["static/description/icon.png"],
    "application": True,
    "installable": True,
}
