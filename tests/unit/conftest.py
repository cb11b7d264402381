"""Load the addons' pure-logic modules without importing the addons.

``customer_privacy/__init__.py`` imports Odoo models, so ``tools`` modules are
loaded straight from their file path instead of as package members.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_tool(addon, name):
    """Import ``<repo>/<addon>/tools/<name>.py`` as a standalone module."""
    path = REPO / addon / "tools" / f"{name}.py"
    module_name = f"_unit_{addon}_tools_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


@pytest.fixture(scope="module")
def masking():
    return load_tool("customer_privacy", "masking")


@pytest.fixture(scope="module")
def validation():
    return load_tool("customer_privacy", "validation")


@pytest.fixture(scope="module")
def crypto():
    return load_tool("customer_privacy", "crypto")


@pytest.fixture(scope="module")
def hashchain():
    return load_tool("customer_privacy_audit", "hashchain")
