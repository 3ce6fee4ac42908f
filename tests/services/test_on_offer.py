"""The skills on offer at a session: each once, in the skill list's order, the same however the
sessions are read (one session, a list of them, or a search)."""

from surgery.extensions import db
from surgery.models import Skill
from surgery.services import finding, signups
from surgery.services.answers import place_for
from tests.factories import NOW, approved_host, published_session, skill_ids, volunteer_signed_up


def test_skills_on_offer_are_each_named_once_in_the_skill_lists_order(app):
    surgery_session = published_session(approved_host())
    volunteer_signed_up(surgery_session, "Sam Okafor", skill_ids=skill_ids("Video", "Facebook"))
    volunteer_signed_up(surgery_session, "Ola Ade", skill_ids=skill_ids("Facebook", "Instagram"))
    in_order = db.session.scalars(
        db.select(Skill.name)
        .where(Skill.name.in_(("Video", "Facebook", "Instagram")))
        .order_by(Skill.position, Skill.name)
    ).all()

    assert signups.skills_on_offer(surgery_session) == in_order
    found = finding.find_sessions(place_for("B13 8JP"), 10, NOW).results
    assert [f.skills for f in found] == [in_order]


def test_a_volunteer_who_withdrew_offers_nothing_there(app):
    surgery_session = published_session(approved_host())
    signup = volunteer_signed_up(surgery_session, skill_ids=skill_ids("Video"))
    assert signups.skills_on_offer(surgery_session) == ["Video"]
    signups.withdraw_signup(signup, NOW)
    assert signups.skills_on_offer(surgery_session) == []
    assert finding.find_sessions(place_for("B13 8JP"), 10, NOW).results[0].skills == []
