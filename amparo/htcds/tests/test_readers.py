"""Reading the official files and files made from them (pure: no database). The
template is keyed on its visible headers, never on its hidden row 1."""

import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from amparo.htcds.mapping import TEMPLATE_FIELDS, XFORM_ORDER
from amparo.htcds.rows import Context, Problem, Record
from amparo.htcds.stream import Closed, Opened, stream, stream_in_process
from amparo.htcds.tests.conftest import SAMPLE, fill
from amparo.htcds.writer import instance

CONTEXT = Context(today=date(2026, 3, 2), owners=frozenset({"carmen"}))


def items(path, context=CONTEXT):
    return list(stream(path, context))


def records(path):
    return [i for i in items(path) if isinstance(i, Record)]


def test_the_official_template_reads_as_zero_rows(template):
    found = items(template)
    assert found[0] == Opened("xlsx")
    assert not [i for i in found if isinstance(i, Record | Problem)]
    # Its hidden row 1 names the wrong fields over N, O, Q, R and misspells T.
    assert found[-1].notes[0].params == {"value": "N, O, Q, R, T"}


def test_the_template_headers_are_the_mapping_labels_and_its_row_1_is_known(template):
    sheet = load_workbook(template, read_only=True).worksheets[0]
    first, second = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    assert list(second[1:39]) == [f.label for f in TEMPLATE_FIELDS]
    assert [c or "" for c in first[1:39]] == [f.row1 for f in TEMPLATE_FIELDS]


def test_the_xform_instance_order_is_the_official_forms(htcds_dir):
    text = (htcds_dir / "htcds_xlsform.xml").read_text(encoding="utf-8")
    start = text.index('<data id="htcds_xlsform"')
    positions = [text.index(f"<{name}/>", start) for name in XFORM_ORDER]
    assert positions == sorted(positions)


def test_mailing_fields_are_read_by_the_visible_headers_not_the_hidden_row_1(
    template, tmp_path
):
    """Row 1 says N is the city and R the postal code; the headers say street and
    country. The headers win, as the file's users typed under them."""
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    (record,) = records(path)
    assert record.valid, record.problems
    assert record.values["prs_MailingStreet"] == "12 rue des Lilas"
    assert record.values["prs_MailingCity"] == "Lyon"
    assert record.values["prs_MailingPostalCode"] == "69003"
    assert record.values["prs_MailingCountry"] == "FR"


def test_a_file_whose_row_1_was_deleted_reads_the_same(template, tmp_path):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE])
    book = load_workbook(path)
    book.worksheets[0].delete_rows(1)
    book.save(path)
    (record,) = records(path)
    assert record.row == 2
    assert record.values["prs_MailingStreet"] == "12 rue des Lilas"


def test_columns_may_come_in_any_order_and_unknown_ones_are_reported(tmp_path):
    book = Workbook()
    sheet = book.active
    labels = [f.label for f in reversed(TEMPLATE_FIELDS)]
    sheet.append([None, "Notes", *labels])
    sheet.append([None, "Our own column", *([None] * len(labels))])
    sheet.cell(row=2, column=3 + labels.index("First Name"), value="Amina")
    sheet.cell(row=2, column=3 + labels.index("Consent"), value=True)
    book.save(tmp_path / "f.xlsx")
    found = items(tmp_path / "f.xlsx")
    (record,) = [i for i in found if isinstance(i, Record)]
    assert record.values == {"prs_FirstName": "Amina", "con_Consent": True}
    assert found[-1] == Closed(unknown_used=["Notes"])


def test_a_missing_column_refuses_the_file_naming_the_field(template, tmp_path):
    book = load_workbook(template)
    book.worksheets[0].delete_cols(7)  # G: Birthdate
    book.save(tmp_path / "f.xlsx")
    opened = items(tmp_path / "f.xlsx")[0]
    assert [(p.field, p.message) for p in opened.problems] == [
        ("prs_Birthdate", "missing column")
    ]


def test_a_file_that_is_no_workbook_is_refused(tmp_path):
    (tmp_path / "f.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert "not" in items(tmp_path / "f.xlsx")[0].problems[0].message
    (tmp_path / "f.csv").write_text("First Name,Second Name\nAmina,Diallo\n")
    assert "not an HTCDS file" in items(tmp_path / "f.csv")[0].problems[0].message


def test_one_xform_instance_is_one_row(tmp_path):
    path = tmp_path / "one.xml"
    path.write_bytes(instance({"prs_FirstName": "Амина", "con_Consent": True}))
    (record,) = records(path)
    assert record.values == {"prs_FirstName": "Амина", "con_Consent": True}
    assert record.file == "one.xml"
    assert record.extra["__version__"] == "vSmt4GQA3C9uBMLPEVfgND"


def test_a_zip_of_instances_reads_each_and_refuses_a_submission_twice(tmp_path):
    path = tmp_path / "many.zip"
    one = instance({"prs_FirstName": "Amina", "con_Consent": True})
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.xml", one)
        archive.writestr("b.xml", instance({"prs_SecondName": "Diallo"}))
        archive.writestr("c.xml", one)
        archive.writestr("readme.txt", "not an instance")
    found = [i for i in items(path) if isinstance(i, Record | Problem)]
    assert [getattr(i, "file", "") for i in found] == ["a.xml", "b.xml", "c.xml"]
    assert isinstance(found[2], Problem)
    assert found[2].field == "instanceID"


def test_an_xml_entity_bomb_is_refused_unexpanded(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<data id="htcds_xlsform"><prs_First_Name>&c;</prs_First_Name></data>'
    )
    (tmp_path / "bomb.xml").write_text(bomb)
    (problem,) = [i for i in items(tmp_path / "bomb.xml") if isinstance(i, Problem)]
    assert "document type declaration" in problem.message
    assert problem.file == "bomb.xml"


def test_the_official_form_is_not_a_submission(htcds_dir):
    (problem,) = [
        i for i in items(htcds_dir / "htcds_xlsform.xml") if isinstance(i, Problem)
    ]
    assert "not an instance of the HTCDS XLSForm" in problem.message


def test_a_second_process_reads_the_same(template, tmp_path):
    path = fill(template, tmp_path / "f.xlsx", [SAMPLE, SAMPLE | {"prs_Gender": "X"}])
    assert list(stream_in_process(path, CONTEXT)) == items(path)


def test_the_mapping_core_imports_nothing_from_django():
    import subprocess
    import sys

    modules = ["codes", "mapping", "values", "rows", "convert", "excel", "xform"]
    code = (
        "import sys\n"
        + "".join(f"import amparo.htcds.{m}\n" for m in [*modules, "stream", "writer"])
        + "assert not [m for m in sys.modules if m.startswith('django')], 'django'\n"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
