# hr_kpi_service — the two set-up commands of README.md.
#   make demo   serve Odoo with both addons and their demo data on http://localhost:8069
#   make test   install both addons in a throwaway database and run the pytest-odoo suite
# Both need a python3 that imports Odoo 18.0 (checked first); everything else is installed here.

PYTHON      ?= python3
DEMO_DB     ?= kpi_demo
TEST_DB     ?= kpi_test_$(shell date +%s)
HTTP_PORT   ?= 8069
ADDONS      := hr_kpi_service,hr_kpi_service_reports
ADDONS_PATH := $(CURDIR)
ODOO        := $(PYTHON) -m odoo --addons-path=$(ADDONS_PATH) --db-filter='.*' --log-level=warn
PAYROLL_REQ := odoo-addon-payroll>=18.0,<18.1dev

.PHONY: lint i18n demo test setup check-odoo postgres system-packages python-deps engine-test bench-try bench-evaluations clean-test-dbs bench-import

check-odoo:
	@PYTHON=$(PYTHON) bash scripts/check_odoo.sh

postgres: check-odoo
	@bash scripts/ensure_postgres.sh

system-packages: check-odoo
	@bash scripts/ensure_system_packages.sh

# OCA payroll's wheel requires the distribution "odoo==18.0.*"; Odoo is often on the path
# without pip metadata, so the wheel is installed without that (already checked) requirement.
python-deps: check-odoo
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps "$(PAYROLL_REQ)"

setup: check-odoo postgres system-packages python-deps

demo: setup
	@if psql -d postgres -tAc "select 1 from pg_database where datname='$(DEMO_DB)'" | grep -q 1; then \
	    echo "Updating database $(DEMO_DB)"; \
	    $(ODOO) -d $(DEMO_DB) -u $(ADDONS) --stop-after-init; \
	else \
	    echo "Creating database $(DEMO_DB) with demo data"; \
	    $(ODOO) -d $(DEMO_DB) -i $(ADDONS) --load-language=zh_CN --stop-after-init; \
	fi
	@echo ""
	@echo "  hr_kpi_service demo: http://localhost:$(HTTP_PORT)  database $(DEMO_DB)"
	@echo "  login: admin  password: admin  (KPI officer; switch to 中文 in Preferences)"
	@echo "  other users: kpi.manager / kpi.lead / kpi.rep, password = login"
	@echo ""
	$(ODOO) -d $(DEMO_DB) --http-port=$(HTTP_PORT) --log-level=info

test: setup
	@echo "Installing $(ADDONS) in throwaway database $(TEST_DB)"
	@$(ODOO) -d $(TEST_DB) -i $(ADDONS) --load-language=zh_CN --stop-after-init
	@status=0; \
	$(PYTHON) -m pytest tests --odoo-database=$(TEST_DB) --odoo-addons-path=$(ADDONS_PATH) \
	    --odoo-log-level=warn -p no:cacheprovider -q || status=$$?; \
	dropdb --if-exists $(TEST_DB) >/dev/null 2>&1 || true; \
	exit $$status

# Pure engine tests: no database, no Odoo registry (quick feedback while editing rules).
engine-test:
	$(PYTHON) -m pytest tests/test_engine_scoring.py tests/test_engine_evaluation.py tests/test_engine_importing.py tests/test_engine_pay_stars.py -p no:odoo -p no:cacheprovider -q

# Generation and scoring of evaluations at 200 and 2,000 employees (DESIGN §2 targets);
# creates/reuses its own database kpi_bench, every run is rolled back.
bench-evaluations: setup
	$(PYTHON) scripts/bench_evaluations.py

clean-test-dbs:
	@psql -d postgres -tAc "select datname from pg_database where datname like 'kpi_test_%'" | xargs -r -n1 dropdb

# Style gate (ruff, configured in .ruff.toml).
lint:
	$(PYTHON) -m pip install --quiet --disable-pip-version-check ruff
	$(PYTHON) -m ruff check hr_kpi_service hr_kpi_service_reports tests scripts setup.py

# Re-export both .pot files and merge them into zh_CN.po (keeps translations).
i18n: setup
	$(PYTHON) scripts/i18n_update.py

# Import of 20,000 indicator actuals (2,000 employees x 10 indicators) from a .xlsx and a
# .xls through the wizard: time, queries, peak memory; creates/reuses kpi_bench, rolled back.
bench-import: setup
	$(PYTHON) scripts/bench_import.py

# Payroll bridge at 1,000 payslips (issue 5 "Speed"): Add KPI lines + compute_sheet against
# compute_sheet alone on the same batch, with query counts; same database kpi_bench, rolled back.
.PHONY: bench-payroll
bench-payroll: setup
	$(PYTHON) scripts/bench_payroll.py
