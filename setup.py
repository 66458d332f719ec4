"""Packages both addons the way OCA's published addon wheels are laid out.

``pip install .`` installs ``odoo/addons/hr_kpi_service`` and
``odoo/addons/hr_kpi_service_reports`` into site-packages, so that Odoo 18.0
finds them as ``odoo.addons.hr_kpi_service*`` without an extra addons path.
It requires what both manifests depend on outside Odoo itself (OCA payroll, queue_job,
report_xlsx, with the pins of requirements.txt) and the Python packages they import, so that
``pip install .`` into a virtualenv with Odoo 18.0 gives two addons that install with
``-i hr_kpi_service,hr_kpi_service_reports`` and nothing else
(``scripts/check_pip_install.sh`` checks it from a built wheel).
"""

import ast
import os

from setuptools import setup

ADDONS = ("hr_kpi_service", "hr_kpi_service_reports")
HERE = os.path.dirname(os.path.abspath(__file__))


def _packages_and_data(addon):
    packages, package_data = {}, {}
    for root, dirs, files in os.walk(os.path.join(HERE, addon)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(root, HERE)
        if "__init__.py" in files:
            package = "odoo.addons." + rel.replace(os.sep, ".")
            packages[package] = rel
            package_data[package] = [f for f in files if not f.endswith((".py", ".pyc"))]
        else:
            # data-only folders (views, data, i18n, static...) belong to the addon package
            owner = "odoo.addons." + addon
            package_data.setdefault(owner, []).extend(
                os.path.relpath(os.path.join(root, f), os.path.join(HERE, addon)) for f in files
            )
    return packages, package_data




def _manifest_version(addon):
    with open(os.path.join(HERE, addon, "__manifest__.py"), encoding="utf-8") as manifest:
        return ast.literal_eval(manifest.read())["version"]


package_dir, package_data = {}, {}
for _addon in ADDONS:
    _dirs, _data = _packages_and_data(_addon)
    package_dir.update(_dirs)
    for key, value in _data.items():
        package_data.setdefault(key, []).extend(value)

setup(
    name="odoo-addons-hr-kpi-service",
    version=_manifest_version("hr_kpi_service"),
    description="Customer-service KPI schemes, evaluations and payroll lines for Odoo 18.0",
    license="LGPL-3",
    python_requires=">=3.10",
    packages=sorted(package_dir),
    package_dir=package_dir,
    package_data=package_data,
    include_package_data=False,
    # The pins are those of requirements.txt (tests/test_packaging.py compares them).
    install_requires=[
        "odoo>=18.0a,<18.1dev",
        # hr_kpi_service depends on payroll and queue_job
        "odoo-addon-payroll>=18.0,<18.1dev",
        "odoo-addon-queue-job>=18.0,<=18.0.1.7.0",
        # hr_kpi_service_reports depends on report_xlsx
        "odoo-addon-report-xlsx>=18.0,<18.1dev",
        # hr_kpi_service's external_dependencies (spreadsheet imports)
        "xlrd>=2.0.1",
        "openpyxl>=3.1",
    ],
    zip_safe=False,
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
        "Programming Language :: Python :: 3",
    ],
)
