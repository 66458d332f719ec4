from . import hr_kpi_scheme
from . import hr_kpi_perspective
from . import hr_kpi_indicator
from . import hr_kpi_indicator_band
from . import hr_employee
