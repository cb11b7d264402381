"""Regenerate each addon's README.rst from its readme/ fragments (as OCA's
oca-gen-addon-readme does): .venv/bin/python scripts/gen_readme.py"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SECTIONS = (
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
)


def render(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = ["=" * len(title), title, "=" * len(title), "", manifest["summary"], ""]
    parts += [".. contents::", "   :local:", ""]
    for fragment, heading in SECTIONS:
        path = addon / "readme" / f"{fragment}.md"
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts += [path.read_text().strip(), ""]
    parts += ["Credits", "=======", "", "Authors", "-------", ""]
    parts += [f"* {manifest['author']}", ""]
    return "\n".join(parts)


def main():
    for addon in ("customer_privacy", "customer_privacy_audit"):
        (REPO / addon / "README.rst").write_text(render(REPO / addon))


if __name__ == "__main__":
    main()
