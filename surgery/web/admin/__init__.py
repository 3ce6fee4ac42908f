"""Pages for admins: approve hosts, record safeguarding checks, retry failed emails, answer
subject access and erasure requests."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def admins_only():
    # Anyone else is told the page does not exist, not that it is forbidden.
    if not current_user.is_admin:
        abort(404)


from surgery.web.admin import personal_data, views  # noqa: E402,F401  (views register on it)
