{
    "name": "Customer Service KPI Reports",
    "summary": "Printable KPI sheets, rankings and analysis for hr_kpi_service",
    "version": "18.0.1.0.0",
    "category": "Human Resources/Performance",
    "website": "https://github.com/hr-kpi-service/hr_kpi_service",
    "author": "hr_kpi_service developers",
    "license": "LGPL-3",
    "depends": ["hr_kpi_service"],
    "data": [
        "views/hr_kpi_service_reports_menus.xml",
    ],
    "images": ["static/description/icon.png"],
    "installable": True,
}
