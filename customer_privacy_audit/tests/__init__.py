from . import (
    test_access_log,
    test_anomaly_rules,
    test_audit_security,
    test_chain,
    test_concurrency,
    test_report,
)
