"""Form mode: one question per page, progress shown, Back and Change keep answers."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from ..auth.decorators import respondent_route
from ..extensions import csrf, db
from ..security import submission_limit
from . import flow
from .views import bp


@bp.route("/c/<slug>/q/<core_id>", methods=["GET", "POST"])
@csrf.exempt  # the form itself checks the token, so a stale page keeps what was typed
@respondent_route
@submission_limit
def question(slug: str, core_id: str):  # type: ignore[no-untyped-def]
    """Show one question; save the answer and go on to the next (or back to check answers)."""
    changing = request.args.get("change") == "1"
    if request.method == "POST":
        done = flow.answer_at_once(slug, core_id, changing=changing)
        if done is not None:
            return done
    f, instead = flow.load(slug)
    if f is None:
        return instead
    f.question(core_id)  # 404 for a question this audience is not asked
    status = 200
    if request.method == "POST":
        form = f.form(core_id, post=True)
        ok = form.validate()
        ok = flow.check_posted_question(form, core_id, request.form.get("q")) and ok
        if flow.explain_csrf(form):
            ok, status = False, 400
        if ok:
            flow.store_answer(f, core_id, form.answer_data())
            db.session.commit()  # respondent path, kept as it was: stored before the next page is shown
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
