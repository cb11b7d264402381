"""`pip install .` must put both addons where Odoo finds them, with their data."""

import ast
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ADDONS = ("customer_privacy", "customer_privacy_audit")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps"),
            *("--no-build-isolation", "-w", str(out), str(REPO)),
        ],
        check=True,
        cwd=out,
    )
    (path,) = out.glob("*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_every_addon_file_under_odoo_addons(wheel):
    names = set(wheel.namelist())
    for addon in ADDONS:
        root = REPO / addon
        expected = {
            f"odoo/addons/{addon}/{p.relative_to(root).as_posix()}"
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        missing = sorted(expected - names)
        assert not missing, f"files of {addon} missing from the wheel: {missing}"


def test_wheel_requires_the_external_dependencies(wheel):
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = Parser().parsestr(wheel.read(meta).decode()).get_all("Requires-Dist")
    names = {
        r.split(";")[0].split("<")[0].split(">")[0].split("=")[0].strip()
        for r in requires
    }
    assert {"cryptography", "phonenumbers", "odoo"} <= names


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_follows_style(addon):
    manifest = ast.literal_eval((REPO / addon / "__manifest__.py").read_text())
    assert manifest["version"].startswith("18.0.")
    assert manifest["license"] in {"LGPL-3", "AGPL-3"}
    assert "description" not in manifest
    assert manifest["external_dependencies"] == {
        "python": ["cryptography", "phonenumbers"]
    }
    data = manifest.get("data", [])
    security = [i for i, f in enumerate(data) if f.startswith("security/")]
    assert security == list(range(len(security))), "security files must load first"
