"""Packages both addons so that ``pip install .`` puts them where Odoo finds
them: the ``odoo.addons`` namespace (as setuptools-odoo wheels do)."""

import ast
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
ADDONS = ["customer_privacy", "customer_privacy_audit"]
DATA_SUFFIXES = {
    ".xml",
    ".csv",
    ".po",
    ".pot",
    ".js",
    ".scss",
    ".css",
    ".png",
    ".svg",
    ".html",
    ".md",
    ".rst",
    ".txt",
    ".jpg",
}


def manifest(addon):
    return ast.literal_eval((HERE / addon / "__manifest__.py").read_text())


def packages_and_data():
    packages, package_dir, package_data = [], {}, {}
    for addon in ADDONS:
        root = HERE / addon
        for init in sorted(root.rglob("__init__.py")):
            rel = init.parent.relative_to(HERE)
            name = "odoo.addons." + ".".join(rel.parts)
            packages.append(name)
            package_dir[name] = str(rel)
        package_data["odoo.addons." + addon] = sorted(
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file()
            # migration scripts are modules of no package: Odoo loads them
            and (p.suffix in DATA_SUFFIXES or "migrations" in p.relative_to(root).parts)
            and "__pycache__" not in p.parts
        )
    return packages, package_dir, package_data


def install_requires():
    deps = {"odoo>=18.0a,<18.1dev"}
    for addon in ADDONS:
        deps.update(manifest(addon).get("external_dependencies", {}).get("python", []))
    return sorted(deps)


packages, package_dir, package_data = packages_and_data()
main = manifest("customer_privacy")
setup(
    name="odoo-addons-customer-privacy",
    version=main["version"],
    description=main["summary"],
    license="LGPL-3",
    author=main["author"],
    url=main["website"],
    python_requires=">=3.10,<3.13",
    packages=packages,
    package_dir=package_dir,
    package_data=package_data,
    install_requires=install_requires(),
    classifiers=[
        "Programming Language :: Python :: 3",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
    zip_safe=False,
)
