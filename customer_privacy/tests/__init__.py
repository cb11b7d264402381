from . import (
    test_classification,
    test_customer_code,
    test_encryption,
    test_field_protection,
    test_field_protection_rpc,
    test_i18n,
    test_masked_forms,
    test_reveal,
    test_roles,
    test_rpc_access,
    test_tours,
    test_value_grade,
)
