from . import hr_kpi_scheme_try
from . import hr_kpi_scheme_try_line
