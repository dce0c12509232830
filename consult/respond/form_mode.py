"""Form mode: one question per page, progress shown, Back and Change keep answers."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..auth.decorators import respondent_route
from ..extensions import csrf, db
from ..security import submission_limit
from . import flow
from .views import bp


def not_started(slug: str):  # type: ignore[no-untyped-def]
    """Send someone with no answers in progress to the start of the consultation."""
    return redirect(url_for("respond.audience", slug=slug), code=303)


@bp.route("/c/<slug>/q/<core_id>", methods=["GET", "POST"])
@csrf.exempt  # the form itself checks the token, so a stale page keeps what was typed
@respondent_route
@submission_limit
def question(slug: str, core_id: str):  # type: ignore[no-untyped-def]
    """Show one question; save the answer and go on to the next (or back to check answers)."""
    try:
        expired = flow.expire_idle_kiosk()
        f = flow.current_flow(slug)
    except flow.Closed as exc:
        return flow.closed_page(exc.consultation)
    if f is None:
        return not_started(slug) if not expired else redirect(url_for("respond.kiosk_cleared", slug=slug))
    f.question(core_id)  # 404 for a question this audience is not asked
    changing = request.args.get("change") == "1"
    status = 200
    if request.method == "POST":
        form = f.form(core_id, post=True)
        ok = form.validate()
        ok = flow.check_posted_question(form, core_id, request.form.get("q")) and ok
        if flow.explain_csrf(form):
            ok, status = False, 400
        if ok:
            flow.store_answer(f, core_id, form.answer_data())
            db.session.commit()
            i = f.index(core_id)
            if changing or i + 1 >= len(f.core_ids):
                return redirect(url_for("respond.check", slug=slug), code=303)
            return redirect(url_for("respond.question", slug=slug, core_id=f.core_ids[i + 1]), code=303)
    else:
        form = f.form(core_id, post=False)
    i = f.index(core_id)
    back = (url_for("respond.check", slug=slug) if changing
            else url_for("respond.question", slug=slug, core_id=f.core_ids[i - 1]) if i > 0
            else url_for("respond.how", slug=slug, audience=f.variant.audience))
    return render_template("respond/question.html", f=f, form=form, core_id=core_id, number=i + 1,
                           total=len(f.core_ids), back=back, changing=changing, show_help=flow.pop_help(),
                           action=request.full_path.rstrip("?")), status
