"""Load ``hr_kpi_service/engine`` by file path, without Odoo.

``odoo.addons.hr_kpi_service.engine`` cannot be imported when Odoo is absent,
so the engine package is loaded from its ``__init__.py`` under the name
``kpi_engine``; ``submodule_search_locations`` lets its relative imports work.
"""

import importlib.util
import sys
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent.parent / "hr_kpi_service" / "engine"
ENGINE_NAME = "kpi_engine"


def load_engine(name=ENGINE_NAME):
    """Return the engine package, loading it once under ``name``."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name,
        ENGINE_DIR / "__init__.py",
        submodule_search_locations=[str(ENGINE_DIR)],
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
