"""Evidence of consultation: who was invited, when, with what notice, reminders, who responded."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from ..models import ORG_TYPES, Consultation, Contact, SectorResponse
from . import organisations
from .invitations import OrgStatus, as_date, is_late, org_statuses, respond_days
from .sector import get_sector_response

OPPORTUNITY = ["yes", "late", "never", "opted_out"]


@dataclass
class EvidenceRow:
    """One organisation's consultation record."""

    name: str
    org_type: str
    area: str
    tsi_member: bool
    status: str
    first_invited: date | None
    notice_days: int | None
    respond_days: int | None
    contacts_invited: int
    reminders: int
    last_reminder: date | None
    opened: date | None
    submitted: date | None
    submitted_by: str
    opportunity: str  # yes / late / never / opted_out

    @property
    def responded(self) -> bool:
        return self.status == "submitted"


@dataclass
class Tally:
    """Counts for one group of organisations (a type, an area, or everyone)."""

    label: str
    in_register: int = 0
    invited: int = 0
    late: int = 0
    never: int = 0
    reminded: int = 0
    responded: int = 0

    def add(self, row: EvidenceRow) -> None:
        self.in_register += 1
        self.invited += row.first_invited is not None
        self.late += row.opportunity == "late"
        self.never += row.opportunity == "never"
        self.reminded += row.reminders > 0
        self.responded += row.responded


@dataclass
class EvidenceReport:
    """The whole report for one consultation."""

    consultation: Consultation
    min_notice_days: int
    min_window_days: int
    window_days: int
    rows: list[EvidenceRow]
    total: Tally
    by_type: list[Tally]
    by_area: list[Tally]
    sector: SectorResponse | None
    sector_supporters: list[str] = field(default_factory=list)

    @property
    def no_opportunity(self) -> list[EvidenceRow]:
        return [r for r in self.rows if r.opportunity in ("late", "never")]

    @property
    def no_contact(self) -> list[EvidenceRow]:
        """Organisations invited whose contacts have all been removed since (invited, not opted out)."""
        return [r for r in self.rows if r.status == "no_contact"]

    @property
    def reminders_sent(self) -> int:
        return sum(r.reminders for r in self.rows)


def _row(consultation: Consultation, status: OrgStatus, contacts: dict[int, Contact]) -> EvidenceRow:
    org, invs = status.organisation, status.invitations
    first = min(invs, key=lambda i: (i.sent_at, i.id)) if invs else None
    reminders = status.reminders
    opened = [i.opened_at for i in invs if i.opened_at]
    response = status.response
    submitted = response.submitted_at if response is not None and response.status == "submitted" else None
    by = contacts.get(response.submitted_by_contact_id) if response is not None and response.submitted_by_contact_id \
        else None
    if first is None:
        opportunity = "never"
    elif is_late(consultation, as_date(first.sent_at)):
        opportunity = "late"
    elif status.status == "opted_out":
        opportunity = "opted_out"
    else:  # "no_contact" too: it was invited in time, and losing its contacts since is not opting out
        opportunity = "yes"
    return EvidenceRow(
        name=org.name, org_type=org.org_type, area=org.area or "", tsi_member=org.tsi_member, status=status.status,
        first_invited=as_date(first.sent_at) if first else None, notice_days=first.notice_days if first else None,
        respond_days=respond_days(consultation, as_date(first.sent_at)) if first else None,
        contacts_invited=len({i.contact_id for i in invs}), reminders=len(reminders),
        last_reminder=as_date(reminders[-1].sent_at) if reminders else None,
        opened=as_date(min(opened)) if opened else None, submitted=as_date(submitted) if submitted else None,
        submitted_by=by.name if by else "", opportunity=opportunity)


def build_report(consultation: Consultation) -> EvidenceReport:
    """Return the evidence of consultation for every organisation in the partnership's register."""
    partnership = consultation.plan.partnership
    orgs = organisations.list_organisations(partnership.id)
    # Only to name who submitted: a contact removed since keeps their name for the record. Statuses
    # (org_statuses) leave removed contacts out.
    contacts = {c.id: c for o in orgs for c in o.contacts}
    rows = [_row(consultation, s, contacts) for s in org_statuses(consultation, orgs)]
    total = Tally("all")
    types: OrderedDict[str, Tally] = OrderedDict((t, Tally(t)) for t in ORG_TYPES)
    areas: OrderedDict[str, Tally] = OrderedDict((a.name, Tally(a.name)) for a in partnership.areas)
    for row in rows:
        total.add(row)
        types.setdefault(row.org_type, Tally(row.org_type)).add(row)
        areas.setdefault(row.area or "", Tally(row.area or "")).add(row)
    sector = get_sector_response(consultation.id)
    supporters: list[str] = []
    if sector is not None:
        names = {o.id: o.name for o in orgs}
        ids = sorted({i for p in sector.points for i in (p.supporting_org_ids or [])})
        supporters = sorted(names[i] for i in ids if i in names)
    return EvidenceReport(consultation, partnership.min_notice_days, partnership.min_window_days,
                          (consultation.closes_on - consultation.opens_on).days, rows, total,
                          list(types.values()), [t for t in areas.values() if t.in_register], sector, supporters)


TABLE_HEADERS = ["organisation", "type", "area", "tsi_member", "status", "first_invited", "notice_days",
                 "days_to_respond",
                 "contacts_invited", "reminders", "last_reminder", "opened", "submitted", "submitted_by",
                 "effective_opportunity"]


def table(report: EvidenceReport) -> list[list[object]]:
    """Return the per-organisation table (header first) for CSV and XLSX export."""
    out: list[list[object]] = [list(TABLE_HEADERS)]
    for r in report.rows:
        out.append([r.name, r.org_type, r.area, "yes" if r.tsi_member else "no", r.status,
                    r.first_invited.isoformat() if r.first_invited else "",
                    "" if r.notice_days is None else r.notice_days,
                    "" if r.respond_days is None else r.respond_days, r.contacts_invited, r.reminders,
                    r.last_reminder.isoformat() if r.last_reminder else "", r.opened.isoformat() if r.opened else "",
                    r.submitted.isoformat() if r.submitted else "", r.submitted_by, r.opportunity])
    return out
