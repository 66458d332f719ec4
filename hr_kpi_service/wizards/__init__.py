from . import hr_kpi_scheme_try
from . import hr_kpi_scheme_try_line
from . import hr_kpi_evaluation_reopen
from . import hr_kpi_evaluation_generate
from . import hr_kpi_import
from . import hr_payslip_employees
from . import hr_kpi_results_sheet_return
from . import hr_kpi_calibration_move_wizard
