"""`flask partnership ...`: set up and list partnerships from the command line (the operator page's twin)."""

from __future__ import annotations

import click

from ..data import partnerships as data
from ..data import users
from ..extensions import db
from ..i18n import LANGUAGE_NAMES


@click.group("partnership")
def partnership() -> None:
    """Set up and list the partnerships on this Guth."""


@partnership.command("create")
@click.option("--name", required=True)
@click.option("--local-authority", required=True)
@click.option("--health-board", required=True)
@click.option("--area", "areas", multiple=True, required=True, help="A coarse area respondents choose (repeat).")
@click.option("--language", "languages", multiple=True, type=click.Choice(list(LANGUAGE_NAMES)),
              help="A language it consults in besides English (repeat).")
@click.option("--safeguarding-contact", "contacts", multiple=True, help="Emailed at once of a flag (repeat).")
@click.option("--safeguarding-deputy", "deputies", multiple=True, help="Told when a flag waits too long (repeat).")
@click.option("--retention-days", type=int)
@click.option("--min-notice-days", type=int)
@click.option("--min-window-days", type=int)
@click.option("--suppression-threshold", type=int)
@click.option("--planner-email", help="Also create its first planner (and admin) with this email.")
@click.option("--planner-name", default="", help="The first planner's name.")
@click.option("--planner-password", help="The first planner's password (asked for if not given).")
def create(name: str, local_authority: str, health_board: str, areas: tuple[str, ...], languages: tuple[str, ...],
           contacts: tuple[str, ...], deputies: tuple[str, ...], retention_days: int | None,
           min_notice_days: int | None, min_window_days: int | None, suppression_threshold: int | None,
           planner_email: str | None, planner_name: str, planner_password: str | None) -> None:
    """Create a partnership with its areas and settings, and optionally its first planner."""
    try:
        made = data.save_partnership(name=name, local_authority=local_authority, health_board=health_board,
                                     areas=list(areas), languages=list(languages), safeguarding_contacts=list(contacts),
                                     safeguarding_deputies=list(deputies), retention_days=retention_days,
                                     min_notice_days=min_notice_days, min_window_days=min_window_days,
                                     suppression_threshold=suppression_threshold)
        if planner_email:
            password = planner_password or click.prompt("First planner's password", hide_input=True,
                                                        confirmation_prompt=True)
            data.create_first_planner(made, name=planner_name or planner_email, email=planner_email,
                                      password=password)
    except data.PartnershipError as exc:
        db.session.rollback()
        words = {"name_taken": f"a partnership called {name!r} already exists", "no_areas": "give at least one --area"}
        low, high = exc.details.get("low"), exc.details.get("high")
        raise click.ClickException(words.get(exc.code, f"--{exc.field.replace('_', '-')} must be from {low} to {high}")) \
            from exc
    except users.UserError as exc:
        db.session.rollback()
        raise click.ClickException(f"planner not created: {exc.code.replace('_', ' ')}") from exc
    db.session.commit()  # a CLI command has no request, so no unit of work: it commits itself
    click.echo(f"Created partnership {made.id}: {made.name} ({len(made.areas)} areas, "
               f"languages {', '.join(made.languages)})" + (f"; planner {planner_email}" if planner_email else ""))


@partnership.command("list")
def list_() -> None:
    """List the partnerships with their staff and consultation counts."""
    for row in data.list_partnerships():
        p = row.partnership
        click.echo(f"{p.id}\t{p.name}\t{p.local_authority}\t{p.health_board}\tstaff {row.staff}\t"
                   f"consultations {row.consultations}")
