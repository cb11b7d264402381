"""Test-session rules for the whole repository.

A skipped test is a failure: Odoo skips browser tours when Chromium is
missing and HttpCase tests when the server cannot start; neither may pass
silently."""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.longrepr = f"skipped tests are not allowed here: {reason}"
