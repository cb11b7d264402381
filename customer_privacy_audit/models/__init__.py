from . import (
    base,
    privacy_audit_alert,
    privacy_audit_anchor,
    privacy_audit_log,
    privacy_audit_rule,
    res_config_settings,
)
