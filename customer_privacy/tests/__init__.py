from . import (
    test_classification,
    test_customer_code,
    test_i18n,
    test_roles,
    test_rpc_access,
    test_tours,
    test_value_grade,
)
