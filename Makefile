# The two commands of the README. Both prepare a new machine themselves
# (PostgreSQL, virtualenv, Odoo requirements); ODOO_SRC points at Odoo 18.0.
.PHONY: demo demo-reset test lint

demo:         ## set up and serve the demo on http://localhost:8069
	bash scripts/demo.sh

demo-reset:   ## rebuild the demo database from scratch, then serve it
	bash scripts/demo.sh --reset

test:         ## lint + every test against real Odoo and PostgreSQL
	bash scripts/test.sh

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && \
	.venv/bin/pylint --rcfile=.pylintrc customer_privacy customer_privacy_audit
