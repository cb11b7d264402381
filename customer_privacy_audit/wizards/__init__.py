from . import privacy_audit_report_wizard
