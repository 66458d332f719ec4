"""The pip route (issue 22, finding 5): setup.py requires what both manifests depend on,
with the pins of requirements.txt, and the project keeps no copy of an Odoo addon.
The route itself, from a built wheel into a fresh virtualenv and database, is
scripts/check_pip_install.sh (`make check-pip`, run by CI after `make test`).
No database."""

import ast
import importlib.metadata
import os
import re
from pathlib import Path

import odoo

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("hr_kpi_service", "hr_kpi_service_reports")


def _manifest(addon):
    return ast.literal_eval((ROOT / addon / "__manifest__.py").read_text(encoding="utf-8"))


def _install_requires():
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "install_requires":
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no install_requires")


def _name(requirement):
    """'odoo-addon-queue-job>=18.0,<=18.0.1.7.0' -> 'odoo-addon-queue-job'."""
    return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _requirements_txt():
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return {_name(line): line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()}


def _from_odoo_itself(addon):
    """An addon shipped in Odoo's own distribution (not an OCA wheel)."""
    odoo_addons = Path(odoo.__file__).parent / "addons"
    distribution = importlib.metadata.distribution("odoo")
    shipped = {
        str(path) for path in distribution.files or () if str(path).endswith("__manifest__.py")
    }
    return (odoo_addons / addon).is_dir() and f"odoo/addons/{addon}/__manifest__.py" in shipped


def test_setup_requires_every_dependency_of_both_manifests():
    """Each dependency of a manifest that is neither Odoo's own addon nor one of ours is
    required by setup.py as its OCA wheel (odoo-addon-<name>), and the Python packages
    of external_dependencies are required too."""
    required = {_name(requirement) for requirement in _install_requires()}
    missing = []
    for addon in ADDONS:
        manifest = _manifest(addon)
        for dependency in manifest["depends"]:
            if dependency in ADDONS or _from_odoo_itself(dependency):
                continue
            wheel = "odoo-addon-" + dependency.replace("_", "-")
            if wheel not in required:
                missing.append(f"{addon} -> {dependency} ({wheel})")
        for package in manifest.get("external_dependencies", {}).get("python", []):
            if _name(package) not in required:
                missing.append(f"{addon} -> python {package}")
    assert not missing, f"setup.py does not require: {missing}"
    assert {"odoo-addon-payroll", "odoo-addon-queue-job", "odoo-addon-report-xlsx"} <= required


def test_setup_pins_are_those_of_requirements_txt():
    """The same pins in both files: `pip install .` and the set-up resolve alike."""
    pinned = _requirements_txt()
    for requirement in _install_requires():
        name = _name(requirement)
        if name == "odoo":
            continue  # requirements/odoo.txt installs Odoo itself
        assert name in pinned, f"{name} is in setup.py but not in requirements.txt"
        assert pinned[name].replace(" ", "") == requirement.replace(" ", ""), name


def test_the_project_keeps_no_copy_of_base_sparse_field():
    """Odoo's own base_sparse_field (which queue_job needs) is installable from the Odoo
    installed; requirements/ holds no copy of it and the set-up copies none."""
    assert not (ROOT / "requirements" / "base_sparse_field").exists()
    set_up = (ROOT / "scripts" / "ensure_venv.sh").read_text(encoding="utf-8")
    assert "requirements/base_sparse_field" not in set_up and "cp -r" not in set_up
    manifest_path = Path(odoo.__file__).parent / "addons" / "base_sparse_field" / "__manifest__.py"
    manifest = ast.literal_eval(manifest_path.read_text(encoding="utf-8"))
    assert manifest.get("installable", True), manifest_path
    assert os.path.isfile(manifest_path.parent / "models" / "fields.py")
