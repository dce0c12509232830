"""The consultee register: organisations, their contacts, CSV import and export."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy import exists, select

from ..extensions import db
from ..labels import ORG_TYPE_LABELS
from ..models import (
    ORG_TYPES,
    Consultation,
    Contact,
    DraftEdit,
    EvidenceFile,
    Invitation,
    Organisation,
    Response,
)
from ..models._base import utcnow
from .scope import as_id, organisation_for

# Which template variant each kind of organisation answers.
AUDIENCE_FOR_TYPE = {"social_landlord": "social_landlord", "other_provider": "other_provider"}
CSV_COLUMNS = ["name", "type", "area", "themes", "tsi_member", "contact_name", "contact_email", "contact_role"]
REQUIRED_COLUMNS = ["name", "type"]
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_IMPORT_ROWS = 5000
# The longest value each imported column's database field holds (the name has its own message).
COLUMN_LIMITS = {"area": 200, "contact_name": 200, "contact_email": 320, "contact_role": 200}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


def name_key(name: str) -> str:
    """Return the key names are de-duplicated on: NFKC, lower-cased, spaces folded."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())[:300]


def type_label(code: str) -> str:
    """Return the translated label for an organisation type."""
    return str(ORG_TYPE_LABELS.get(code, code))


def audience_for(org: Organisation) -> str:
    """Return the consultation audience (template variant) an organisation answers."""
    return AUDIENCE_FOR_TYPE.get(org.org_type, "organisation")


def list_organisations(partnership_id: int, *, tsi_only: bool = False) -> list[Organisation]:
    """Return the partnership's organisations by name."""
    q = select(Organisation).where(Organisation.partnership_id == partnership_id).order_by(Organisation.name_key)
    if tsi_only:
        q = q.where(Organisation.tsi_member.is_(True))
    return list(db.session.scalars(q))


def get_organisation(partnership_id: int, org_id: int) -> Organisation | None:
    """Return one of the partnership's organisations, or None (another partnership's gives None)."""
    return organisation_for(partnership_id, org_id)


def find_by_name(partnership_id: int, name: str) -> Organisation | None:
    """Return the organisation with this name (de-duplication key), or None."""
    return db.session.scalar(select(Organisation).where(Organisation.partnership_id == partnership_id,
                                                        Organisation.name_key == name_key(name)))


def create_organisation(*, partnership_id: int, name: str, org_type: str, area: str = "",
                        themes: list[str] | None = None, tsi_member: bool = False) -> Organisation:
    """Add an organisation to the register."""
    if org_type not in ORG_TYPES:
        raise ValueError(f"unknown organisation type {org_type!r}")
    org = Organisation(partnership_id=partnership_id, name=name.strip(), name_key=name_key(name),
                       org_type=org_type, area=area.strip(), themes_of_interest=list(themes or []),
                       tsi_member=tsi_member)
    db.session.add(org)
    db.session.flush()
    return org


def update_organisation(org: Organisation, *, name: str, org_type: str, area: str, themes: list[str],
                        tsi_member: bool) -> None:
    """Change an organisation's details."""
    org.name, org.name_key, org.org_type = name.strip(), name_key(name), org_type
    org.area, org.themes_of_interest, org.tsi_member = area.strip(), list(themes), tsi_member
    db.session.flush()


def _clean(text: str) -> str:
    """Return typed text as stored: NFC-normalised, without surrounding spaces."""
    return unicodedata.normalize("NFC", text or "").strip()


def _clean_email(email: str) -> str:
    return _clean(email).lower()


# A removed contact who must stay on record (an invitation, a draft edit, a file or a submission
# names them, and the evidence of consultation counts those) keeps its row with removed_at set and
# the address erased, so nothing can email them again.
REMOVED_EMAIL = ""


def is_removed(contact: Contact) -> bool:
    """Return True if the contact was removed from the register (kept only as a record)."""
    return contact.removed_at is not None


def contacts_of(org: Organisation) -> list[Contact]:
    """Return the organisation's contacts in the register (not those removed), in the order added."""
    return sorted((c for c in org.contacts if not is_removed(c)), key=lambda c: c.id)


def add_contact(org: Organisation, *, name: str, email: str, role: str = "") -> Contact:
    """Add a contact to an organisation."""
    contact = Contact(organisation_id=org.id, name=_clean(name), email=_clean_email(email), role=_clean(role))
    db.session.add(contact)
    db.session.flush()
    return contact


def get_contact(org: Organisation, contact_id: int) -> Contact | None:
    """Return one of the organisation's contacts in the register, or None (removed ones give None)."""
    cid = as_id(contact_id)
    contact = db.session.get(Contact, cid) if cid is not None else None
    if contact is None or contact.organisation_id != org.id or is_removed(contact):
        return None
    return contact


def update_contact(contact: Contact, *, name: str, email: str, role: str) -> list[str]:
    """Change a contact's name, email and role; return the names of the fields that changed."""
    new = {"name": _clean(name), "email": _clean_email(email), "role": _clean(role)}
    changed = [k for k, v in new.items() if getattr(contact, k) != v]
    for key in changed:
        setattr(contact, key, new[key])
    db.session.flush()
    return changed


def live_invitations(contact: Contact) -> list[Invitation]:
    """Return the contact's invitations whose personal links work now (not replaced, not expired)."""
    if contact.opted_out or is_removed(contact):
        return []
    now = utcnow()
    rows = db.session.scalars(select(Invitation).where(Invitation.contact_id == contact.id,
                                                       Invitation.revoked.is_(False)).order_by(Invitation.id))
    # Compared here, not in SQL: SQLite hands stored moments back without their time zone.
    return [i for i in rows if (i.expires_at if i.expires_at.tzinfo else i.expires_at.replace(tzinfo=UTC)) > now]


def outstanding_consultations(contact: Contact) -> list[Consultation]:
    """Return consultations the contact holds a working link for and the organisation has not yet answered."""
    ids = {i.consultation_id for i in live_invitations(contact)}
    if not ids:
        return []
    answered = set(db.session.scalars(select(Response.consultation_id).where(
        Response.organisation_id == contact.organisation_id, Response.status == "submitted",
        Response.consultation_id.in_(ids))))
    return list(db.session.scalars(select(Consultation).where(Consultation.id.in_(ids - answered))
                                   .order_by(Consultation.id)))


def stranded_consultations(contact: Contact) -> list[Consultation]:
    """Return outstanding consultations for which nobody else at the organisation holds a working link.

    These are what removing the contact would leave with nobody able to respond or be reminded.
    """
    others = {i.consultation_id for c in contacts_of(contact.organisation) if c.id != contact.id
              for i in live_invitations(c)}
    return [c for c in outstanding_consultations(contact) if c.id not in others]


def revoke_links(contact: Contact) -> int:
    """Stop every working personal link of the contact; return how many there were."""
    live = live_invitations(contact)
    for invitation in live:
        invitation.revoked = True
    db.session.flush()
    return len(live)


def on_record(contact: Contact) -> bool:
    """Return True if anything the evidence or a draft's history relies on names the contact."""
    cid = contact.id
    return bool(db.session.scalar(select(
        exists().where(Invitation.contact_id == cid) | exists().where(DraftEdit.contact_id == cid)
        | exists().where(EvidenceFile.uploaded_by_contact_id == cid)
        | exists().where(Response.submitted_by_contact_id == cid))))


def remove_contact(contact: Contact) -> bool:
    """Take a contact out of the register; their links stop working at once.

    A contact on record (invited, or named in a draft's history or a submission) keeps a row for
    the evidence of consultation: their name stays, their email address is erased, removed_at says
    when, and they get no more email. Whether they had opted out is left as it was: being removed
    is not opting out. Anyone else is deleted outright. Return True if a record was kept.
    """
    revoke_links(contact)
    if on_record(contact):
        contact.email, contact.removed_at = REMOVED_EMAIL, utcnow()
        db.session.flush()
        return True
    org = contact.organisation
    org.contacts.remove(contact)  # delete-orphan: the row goes with the flush
    db.session.flush()
    return False


# Commas and semicolons as people type them: Latin, Arabic (، ؛), full-width and ideographic.
THEME_SEPARATORS = re.compile(r"[;,\u060c\u061b\uff0c\uff1b\u3001]")


def split_themes(raw: str) -> list[str]:
    """Return themes typed as a list separated by commas or semicolons (in any script)."""
    return [t.strip() for t in THEME_SEPARATORS.split(raw or "") if t.strip()][:30]


def email_taken(org: Organisation, email: str, *, other_than: Contact | None = None) -> bool:
    """Return True if another contact of the organisation already has this email."""
    wanted = _clean_email(email)
    return bool(wanted) and any(c.email == wanted and c is not other_than for c in contacts_of(org))


# ---- CSV -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportProblem:
    """One reason an import did nothing, as a code and the values to word it with.

    The page words it (``consult/planner/organisations.py``, ``import_problem_message``). Codes about
    the whole file: ``not_utf8`` (``row`` is the first bad line), ``binary``, ``too_many_rows`` (``n``
    is the limit), ``malformed`` (``row``, ``value`` says why), ``empty``, ``missing_columns``
    (``columns``), ``no_rows``. Codes about one row (``row`` is its number, the header being 1):
    ``name_empty``, ``name_too_long``, ``bad_type``, ``bad_tsi_member`` and ``bad_email`` (``value``
    is the cell), ``too_long`` (``column``, ``n`` is its limit), ``control_characters`` (``column``)
    and ``repeats`` (``n`` is the row it repeats).
    """

    code: str
    row: int = 0
    value: str = ""
    column: str = ""
    columns: tuple[str, ...] = ()
    n: int = 0


#: The codes that are about one row of the file (worded "Row N: ...").
ROW_PROBLEMS = frozenset({"name_empty", "name_too_long", "bad_type", "bad_tsi_member", "bad_email", "too_long",
                          "control_characters", "repeats"})


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    errors: list[ImportProblem] = field(default_factory=list)
    created: int = 0
    matched: int = 0
    contacts_added: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _type_code(raw: str) -> str | None:
    value = raw.strip().casefold()
    for code in ORG_TYPES:
        if value in (code, code.replace("_", " "), str(ORG_TYPE_LABELS[code]).casefold()):
            return code
    return None


def _import_read_error(exc: Exception) -> ImportProblem:
    kind, line = getattr(exc, "kind", ""), getattr(exc, "line", 0)
    if kind == "not_utf8":
        return ImportProblem("not_utf8", row=line)
    if kind == "binary":
        return ImportProblem("binary")
    if kind in ("too_many_rows", "too_large"):
        return ImportProblem("too_many_rows", n=MAX_IMPORT_ROWS)
    return ImportProblem("malformed", row=line or 1, value=getattr(exc, "detail", "") or kind)


def import_csv(partnership_id: int, data: bytes) -> ImportResult:
    """Import organisations and contacts from CSV: all rows or none, de-duplicated on the name key.

    A row naming an organisation already in the register adds only a new contact; two rows with
    the same organisation and contact email are a mistake and are refused with both row numbers.
    Nothing is imported if ``errors`` lists any ``ImportProblem``.
    """
    from ..services.imports import TableReadError, iter_rows

    result = ImportResult()
    lines = (cells for _line, cells in iter_rows("organisations.csv", data, max_rows=MAX_IMPORT_ROWS))
    rows: list[tuple[int, dict[str, str]]] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        header_cells = next((cells for cells in lines if cells), [])  # blank lines before the header are skipped
        headers = [h.strip().casefold() for h in header_cells]
        if not headers:
            result.errors.append(ImportProblem("empty"))
            return result
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            result.errors.append(ImportProblem("missing_columns", columns=tuple(missing)))
            return result
        numbered = enumerate((cells for cells in lines if cells), start=2)  # rows as a CSV reader numbers them
        for i, cells in numbered:
            if i - 1 > MAX_IMPORT_ROWS:
                result.errors.append(ImportProblem("too_many_rows", n=MAX_IMPORT_ROWS))
                return result
            raw: dict[str | None, str | None] = dict(zip(headers, cells, strict=False))
            for name in headers[len(cells):]:
                raw[name] = None
            # NFC first, so a value's length here is its length as stored (normalising can change it).
            row = {k: unicodedata.normalize("NFC", v).strip() if isinstance(v, str) else "" for k, v in raw.items()
                   if k}
            if not any(row.values()):
                continue
            problems = _row_problems(row, i)
            key = (name_key(row.get("name", "")), row.get("contact_email", "").lower())
            if key[0] and key in seen:
                problems.append(ImportProblem("repeats", row=i, n=seen[key]))
            seen.setdefault(key, i)
            result.errors.extend(problems)
            rows.append((i, row))
    except TableReadError as exc:
        result.errors.append(_import_read_error(exc))
        return result
    if not rows and not result.errors:
        result.errors.append(ImportProblem("no_rows"))
    if result.errors:
        return result

    for _i, row in rows:
        org = find_by_name(partnership_id, row["name"])
        if org is None:
            org = create_organisation(partnership_id=partnership_id, name=row["name"],
                                      org_type=_type_code(row["type"]) or "provides", area=row.get("area", ""),
                                      themes=split_themes(row.get("themes", "")),
                                      tsi_member=row.get("tsi_member", "").casefold() in YES)
            result.created += 1
        else:
            result.matched += 1
        email = row.get("contact_email", "")
        if email and not email_taken(org, email):
            add_contact(org, name=row.get("contact_name") or email[:200], email=email,
                        role=row.get("contact_role", ""))
            db.session.refresh(org)
            result.contacts_added += 1
    return result


def _row_problems(row: dict[str, str], i: int) -> list[ImportProblem]:
    problems = []
    if not row.get("name"):
        problems.append(ImportProblem("name_empty", row=i))
    elif len(row["name"]) > 300:
        problems.append(ImportProblem("name_too_long", row=i))
    if _type_code(row.get("type", "")) is None:
        problems.append(ImportProblem("bad_type", row=i, value=row.get("type", "")))
    if row.get("tsi_member", "").casefold() not in YES | NO:
        problems.append(ImportProblem("bad_tsi_member", row=i, value=row["tsi_member"]))
    email = row.get("contact_email", "")
    if email and not EMAIL_RE.match(email):
        problems.append(ImportProblem("bad_email", row=i, value=email))
    for key, limit in COLUMN_LIMITS.items():  # longer than the database column: PostgreSQL refuses it (a 500)
        stored = row.get(key, "").lower() if key == "contact_email" else row.get(key, "")  # as add_contact keeps it
        if len(stored) > limit:
            problems.append(ImportProblem("too_long", row=i, column=key, n=limit))
    for key, value in row.items():
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            problems.append(ImportProblem("control_characters", row=i, column=key))
    return problems


def _cell(value: str) -> str:
    """Stop a spreadsheet reading a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_rows(partnership_id: int) -> list[list[str]]:
    """Return the register as CSV rows (header first): one row per contact, or one per organisation without."""
    out = [list(CSV_COLUMNS)]
    for org in list_organisations(partnership_id):
        base = [org.name, org.org_type, org.area, "; ".join(org.themes_of_interest or []),
                "yes" if org.tsi_member else "no"]
        contacts: list[Contact | None] = list(contacts_of(org)) or [None]
        for c in contacts:
            out.append([_cell(v) for v in base + ([c.name, c.email, c.role] if c else ["", "", ""])])
    return out


def export_csv(partnership_id: int) -> str:
    """Return the register as CSV text that import_csv reads back without change."""
    buf = io.StringIO()
    csv.writer(buf).writerows(export_rows(partnership_id))
    return buf.getvalue()
