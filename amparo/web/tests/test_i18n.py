"""The French, Spanish and Arabic translations: pages render in the language the
selector chose (Arabic right to left), and the committed catalogs are complete, not
fuzzy, compiled from their current .po, and cover every string marked in the source.

The .po files are read with a small parser of our own and the .mo files with the
standard library, so these tests need neither gettext's tools nor polib."""

import ast
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation.template import templatize

from amparo.cases.tests.factories import make_case

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ["fr", "es", "ar"]
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
    ": n%100>=11 && n%100<=99 ? 4 : 5;"
)


def _choose_language(client, code: str) -> None:
    """What the language selector in the navigation bar does."""
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- Pages in each language ---------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_in_arabic_is_right_to_left_and_translated(client, caseworker):
    make_case(caseworker, risk="medium")
    client.force_login(caseworker)
    _choose_language(client, "ar")

    page = _page(client, reverse("web:dashboard"))

    assert '<html lang="ar" dir="rtl"' in page
    assert "bootstrap/css/bootstrap.rtl.min.css" in page
    assert "bootstrap/css/bootstrap.min.css" not in page
    assert '<option value="ar" lang="ar" selected>' in page
    # Template strings...
    assert "لوحة المعلومات" in page  # Dashboard
    assert "حالاتي المفتوحة" in page  # My open cases
    assert "My open cases" not in page
    # ...and model choices marked in Python.
    assert "<td>مفتوحة</td>" in page  # status Open
    assert "<td>متوسط</td>" in page  # risk Medium


@pytest.mark.django_db
def test_english_stays_the_default(client, caseworker):
    client.force_login(caseworker)

    page = _page(client, reverse("web:dashboard"))

    assert '<html lang="en" dir="ltr"' in page
    assert "bootstrap/css/bootstrap.min.css" in page
    assert "My open cases" in page


LOGIN = {
    "fr": ("Se connecter à Amparo", "Log in to Amparo"),
    "es": ("Iniciar sesión en Amparo", "Log in to Amparo"),
}

REGISTER = {
    "fr": {
        "Enregistrer une personne": "Register a person",
        "Besoins spécifiques": "Specific needs",
        "Enfant non accompagné": "Unaccompanied child",
        "Statut migratoire (facultatif, donnée sensible)": "Migration status",
        "Prénoms": "Given names",
        "Pays de naissance": "Country of birth",
    },
    "es": {
        "Registrar a una persona": "Register a person",
        "Necesidades específicas": "Specific needs",
        "Niño o niña no acompañado/a": "Unaccompanied child",
        "Situación migratoria (opcional, dato sensible)": "Migration status",
        "Apellidos": "Family names",
        "País de nacimiento": "Country of birth",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["fr", "es"])
def test_login_page_is_translated(client, code):
    _choose_language(client, code)

    page = _page(client, reverse("accounts:login"))

    translated, english = LOGIN[code]
    assert f'<html lang="{code}" dir="ltr"' in page
    assert "bootstrap/css/bootstrap.min.css" in page
    assert translated in page
    assert english not in page


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["fr", "es"])
def test_person_registration_form_is_translated(client, caseworker, code):
    client.force_login(caseworker)
    _choose_language(client, code)

    page = _page(client, reverse("people:register"))

    assert f'<html lang="{code}" dir="ltr"' in page
    for translated, english in REGISTER[code].items():
        assert translated in page
        assert english not in page


# --- The catalogs -------------------------------------------------------------------

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def read_po(path: Path) -> list[PoEntry]:
    """The entries of a .po file as makemessages writes it: one entry per block of
    lines, blocks separated by blank lines. Obsolete (#~) entries are left out."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, target = PoEntry(), None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                target = (match[1], int(match[2] or 0))
                _append(entry, target, ast.literal_eval(match[3]))
            elif line.startswith('"') and target is not None:
                _append(entry, target, ast.literal_eval(line))
        if target is not None:
            entries.append(entry)
    return entries


def _append(entry: PoEntry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    else:
        setattr(entry, name, (getattr(entry, name) or "") + text)


def _header(entries: list[PoEntry]) -> PoEntry:
    (header,) = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    return header


def _messages(entries: list[PoEntry]) -> list[PoEntry]:
    return [e for e in entries if e.msgid != "" or e.msgctxt is not None]


def _po(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "django.po"


def test_every_offered_language_has_a_catalog():
    offered = {code for code, _name in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert offered == set(TRANSLATED)


@pytest.mark.parametrize("code", TRANSLATED)
def test_catalog_is_complete_and_not_fuzzy(code):
    entries = read_po(_po(code))
    header, messages = _header(entries), _messages(entries)

    assert len(messages) > 200
    assert "fuzzy" not in header.flags
    metadata = dict(
        line.split(": ", 1) for line in header.msgstr[0].splitlines() if line
    )
    assert metadata["Language"] == code
    if code == "ar":
        assert metadata["Plural-Forms"] == ARABIC_PLURAL_FORMS
    nplurals = int(re.search(r"nplurals=(\d+)", metadata["Plural-Forms"])[1])

    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in messages if not all(e.msgstr.values())]
    wrong_plurals = [
        e.msgid
        for e in messages
        if e.msgid_plural is not None and sorted(e.msgstr) != list(range(nplurals))
    ]
    wrong_placeholders = [
        e.msgid
        for e in messages
        if "python-format" in e.flags
        and any(
            sorted(set(_PLACEHOLDER.findall(s)))
            != sorted(set(_PLACEHOLDER.findall(e.msgid + (e.msgid_plural or ""))))
            for s in e.msgstr.values()
        )
    ]
    assert fuzzy == []
    assert untranslated == []
    assert wrong_plurals == []
    assert wrong_placeholders == []


MISSING = "\x00missing from the .mo\x00"


class _Missing(gettext.NullTranslations):
    """Fallback that tells a message absent from the .mo from one translated as
    itself."""

    def gettext(self, message):
        return MISSING

    def pgettext(self, context, message):
        return MISSING

    def ngettext(self, msgid1, msgid2, n):
        return MISSING

    def npgettext(self, context, msgid1, msgid2, n):
        return MISSING


@pytest.mark.parametrize("code", TRANSLATED)
def test_compiled_catalog_matches_its_po(code):
    """The committed .mo was compiled from the committed .po: it holds every message
    of the .po, translated as the .po says (a stale .mo fails here)."""
    with (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        translations = gettext.GNUTranslations(mo)
    translations.add_fallback(_Missing())

    stale = []
    for e in _messages(read_po(_po(code))):
        if e.msgid_plural is None:
            found = (
                translations.gettext(e.msgid)
                if e.msgctxt is None
                else translations.pgettext(e.msgctxt, e.msgid)
            )
            ok = found == e.msgstr[0]
        else:
            # Enough counts to reach every plural form of fr, es and ar.
            forms = {
                translations.ngettext(e.msgid, e.msgid_plural, n)
                if e.msgctxt is None
                else translations.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                for n in [*range(200), 1_000_000]
            }
            ok = forms == set(e.msgstr.values())
        if not ok:
            stale.append(e.msgid)
    assert stale == []


# --- The catalogs against the source ------------------------------------------------

_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}
# templatize() turns a template into the gettext calls makemessages extracts.
_TEMPLATE_CALL = re.compile(
    r"\b(?:gettext|_)\(\s*u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*\)"
)


def _is_test(path: Path) -> bool:
    return "tests" in path.relative_to(PACKAGE).parts


def _python_messages() -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        if _is_test(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None))
                in _GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _template_messages() -> set[str]:
    found = set()
    for path in PACKAGE.glob("*/templates/**/*.html"):
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        found.update(ast.literal_eval(s) for s in _TEMPLATE_CALL.findall(source))
    return found


def test_source_strings_found():
    """The extraction below sees the strings it must see."""
    assert "Specific needs" in _python_messages()
    assert "Open a case for %(name)s" in _template_messages()
    assert "Reopen the case" in _template_messages()


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_in_the_catalog(code):
    """A string marked for translation but missing from the catalog shows in English;
    run makemessages, translate, compilemessages (see amparo/locale)."""
    catalog = {e.msgid for e in _messages(read_po(_po(code))) if e.msgctxt is None}
    missing = (_python_messages() | _template_messages()) - catalog
    assert sorted(missing) == []
