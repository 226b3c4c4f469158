"""The supervisor's page for importing an HTCDS file and reading its report. Thin: the
form is parsed, the action runs, the report is shown."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from amparo.accounts.decorators import AuthenticatedRequest, case_role_required, denied
from amparo.accounts.models import User
from amparo.core.errors import add_to_form
from amparo.htcds.actions import import_batch
from amparo.htcds.build import Basis
from amparo.htcds.forms import ImportForm
from amparo.htcds.report import ImportReport, lines


@case_role_required
def import_file(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.role != User.Role.SUPERVISOR:
        raise denied(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        basis = Basis(data["consent_method"], data["basis"], data["justification"])
        with tempfile.TemporaryDirectory(prefix="amparo-htcds-") as folder:
            path = Path(folder) / "upload"
            with path.open("wb") as handle:
                for chunk in data["file"].chunks():
                    handle.write(chunk)
            try:
                report = import_batch(
                    path,
                    acting_user=request.user,
                    basis=basis,
                    risk=data["risk"],
                    dry_run=data["dry_run"],
                )
            except ValidationError as error:
                add_to_form(form, error)
    refused = report is not None and report.refused
    return render(
        request,
        "htcds/import.html",
        {"form": form, "report": report, "lines": lines(report) if report else []},
        status=400 if form.errors or refused else 200,
    )
