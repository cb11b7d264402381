from . import privacy_audit
