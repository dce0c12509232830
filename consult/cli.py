"""Flask commands: users, the demo, consultations, analysis."""

from __future__ import annotations

import click
from flask import Flask

from .data import users
from .extensions import db
from .models import OPERATOR, ROLES


def init_app(app: Flask) -> None:
    """Register the commands."""
    from .operator.cli import partnership

    app.cli.add_command(create_user)
    app.cli.add_command(partnership)
    app.cli.add_command(demo)
    app.cli.add_command(retention)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([*ROLES, OPERATOR]))
@click.password_option()
def create_user(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a member of staff with one or more roles."""
    try:
        user = users.create_user(email=email, name=name, password=password, roles=list(roles))
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()  # a CLI command has no request, so no unit of work: it commits itself
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}")


@click.command("demo")
@click.option("--responses", default=2000, show_default=True, help="How many fictional responses to make.")
@click.option("--seed", default=2026, show_default=True)
@click.option("--analyse/--no-analyse", default=True, show_default=True, help="Run the analysis afterwards.")
def demo(responses: int, seed: int, analyse: bool) -> None:
    """Load the fictional Glenbrae demo (idempotent: does nothing if it is already there)."""
    from .demo import load_demo

    summary = load_demo(responses=responses, seed=seed, analyse=analyse)
    for line in summary:
        click.echo(line)


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Count what would be erased; change nothing.")
def retention(dry_run: bool) -> None:
    """Erase free text past each partnership's retention period (run daily; safe to run twice)."""
    from .services.retention import apply_retention_everywhere

    for r in apply_retention_everywhere(dry_run=dry_run):
        verb = "would erase" if dry_run else "erased"
        click.echo(f"partnership {r.partnership_id}: {verb} text of {r.answers_erased} answer(s) and "
                   f"{r.draft_edits_erased} draft edit(s) last changed before {r.cutoff}; "
                   f"{r.held_for_safeguarding} held for safeguarding review")
