"""Random sequences of the moves of groups' places, over two sessions, four groups and three
volunteers; after every step, the place tells one story in the rows and in the messages."""

import os
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from surgery import clock
from surgery.extensions import db
from surgery.models import (
    FIXED_STATES,
    Booking,
    BookingStatus,
    HelpRequest,
    Notification,
    NotificationStatus,
    Pairing,
    PairingState,
    RequestStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
)
from surgery.services import asking, booking, follow_through, reviewing, signups
from surgery.services.matching import run_matching
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.tell import volunteer_groups_key
from surgery.vocabulary import AccessNeed
from tests.conftest import empty_tables
from tests.factories import (
    NOW,
    approved_host,
    confirmed_request,
    contact,
    offer_details,
    published_session,
)

GROUPS, SESSIONS, VOLUNTEERS = 3, 2, 3
LIVE = (PairingState.PROPOSED, *FIXED_STATES)
PLACE_NEWS = ("booked", "paired")


class PlaceMoves(RuleBasedStateMachine):
    """Each step happens a minute after the last, so messages of one step share a moment."""

    @initialize(
        seats=st.lists(st.integers(1, 2), min_size=SESSIONS, max_size=SESSIONS),
        booked=st.lists(st.sampled_from([None, 0, 1]), min_size=GROUPS, max_size=GROUPS),
    )
    def start(self, seats, booked):
        """Two sessions with a volunteer or two each, and groups, some booked (or waiting)."""
        self.forget_everything()
        self.now = NOW
        clock.freeze(self.now)
        self.host = approved_host()
        self.sessions = []
        for n, tables in enumerate(seats):
            created = published_session(
                self.host,
                when=self.now,
                title=f"Session {n}",
                seats=tables,
                access=(AccessNeed.STEP_FREE,),
            )
            self.sessions.append(created.id)
        for n in range(VOLUNTEERS):
            email = f"volunteer{n}@example.org"
            submit_volunteer_offer(contact(name=f"Vol{n} X", email=email), offer_details(), NOW)
            volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
            confirm_volunteer(volunteer, self.now)
            signups.sign_up(volunteer, self.session(n % SESSIONS), 1 + n % 2, self.now)
        self.groups = [
            confirmed_request(f"group{n}@example.org", organisation_name=f"Group {n}").id
            for n in range(GROUPS)
        ]
        for n, s in enumerate(booked):
            if s is not None:
                self.book(n, s)

    def teardown(self):
        self.forget_everything()

    @staticmethod
    def forget_everything():
        """Each sequence starts from empty tables and an empty identity map."""
        db.session.rollback()
        empty_tables()
        db.session.expunge_all()
        db.session.info.clear()  # messages queued by the last sequence, kept to send after commit

    # Helpers.

    def step(self):
        self.now += timedelta(minutes=1)
        clock.freeze(self.now)
        db.session.expire_all()
        return self.now

    def session(self, n: int) -> SurgerySession:
        return db.session.get(SurgerySession, self.sessions[n % SESSIONS])

    def group(self, n: int) -> HelpRequest:
        return db.session.get(HelpRequest, self.groups[n % GROUPS])

    def pairings(self, *states) -> list[Pairing]:
        query = db.select(Pairing).where(Pairing.state.in_(states)).order_by(Pairing.id)
        return list(db.session.scalars(query))

    # The moves, as the people who make them would.

    @rule(n=st.integers(0, GROUPS - 1), s=st.integers(0, SESSIONS - 1))
    def book(self, n, s):
        now = self.step()
        try:
            booking.book_place(self.group(n), self.session(s), now)
        except booking.BookingRefused:
            db.session.rollback()

    @rule(n=st.integers(0, GROUPS - 1))
    def book_where_full(self, n):
        """Waiting lists are where places change hands: join one whenever a session is full."""
        full = [s for s in range(SESSIONS) if self.session(s).seats_left == 0]
        if full:
            self.book(n, full[0])

    @rule(n=st.integers(0, GROUPS - 1), answer_no=st.booleans())
    def give_up(self, n, answer_no):
        now = self.step()
        held = booking.active_booking(self.group(n))
        if held is None:
            return
        if answer_no and held.status is BookingStatus.BOOKED:
            follow_through.answer_still_coming(held, False, now)
        else:
            booking.cancel_booking(held, now)

    @rule()
    def match(self):
        run_matching(self.step(), "test")

    @rule(s=st.integers(0, SESSIONS - 1))
    def confirm_all(self, s):
        reviewing.confirm_all(self.host, self.session(s), self.step())

    @rule(data=st.data())
    @precondition(lambda self: self.pairings(PairingState.PROPOSED))
    def lock(self, data):
        pairing = data.draw(st.sampled_from(self.pairings(PairingState.PROPOSED)))
        try:
            reviewing.lock(self.host, pairing, self.step())
        except ValueError:
            db.session.rollback()

    @rule(data=st.data(), here_again=st.booleans())
    @precondition(lambda self: self.pairings(*LIVE))
    def drop(self, data, here_again):
        pairing = data.draw(st.sampled_from(self.pairings(*LIVE)))
        reviewing.drop(self.host, pairing, self.step(), here_again=here_again)

    @rule(data=st.data())
    @precondition(lambda self: self.pairings(*FIXED_STATES))
    def swap(self, data):
        pairing = data.draw(st.sampled_from(self.pairings(*FIXED_STATES)))
        others = db.select(Signup.id).where(
            Signup.session_id == pairing.session_id, Signup.id != pairing.signup_id
        )
        for signup_id in db.session.scalars(others):
            try:
                reviewing.swap(self.host, pairing, signup_id, self.step())
                return
            except ValueError:
                db.session.rollback()

    @rule(n=st.integers(0, GROUPS - 1))
    def withdraw(self, n):
        help_request = self.group(n)
        if help_request.can_withdraw:
            asking.withdraw_help_request(help_request, self.step())

    @rule()
    def two_days_before(self):
        """The scheduler, within two days of the sessions: reminders and volunteers' lists."""
        first = min(self.session(s).starts_at for s in range(SESSIONS))
        self.now = max(self.now, first - timedelta(hours=47))
        follow_through.create_due_messages(self.step())

    # What must stay true.

    @invariant()
    def each_group_holds_at_most_one_place(self):
        active = db.select(Booking.help_request_id).where(
            Booking.status.in_((BookingStatus.BOOKED, BookingStatus.WAITING))
        )
        counts = Counter(db.session.scalars(active))
        assert all(count == 1 for count in counts.values()), counts

    @invariant()
    def tables_taken_are_the_tables_held(self):
        for s in range(SESSIONS):
            surgery_session = self.session(s)
            held = db.session.scalar(
                db.select(db.func.count(Booking.id)).where(
                    Booking.session_id == surgery_session.id,
                    Booking.status == BookingStatus.BOOKED,
                )
            )
            assert surgery_session.seats_taken == held <= surgery_session.seats

    @invariant()
    def status_pairing_and_table_agree(self):
        for n in range(GROUPS):
            help_request = self.group(n)
            live = [p for p in self.pairings(*LIVE) if p.help_request_id == help_request.id]
            agreed = [p for p in live if p.state in FIXED_STATES]
            held = booking.active_booking(help_request)
            assert len(live) <= 1
            if agreed:
                assert held is not None and held.status is BookingStatus.BOOKED
                assert held.session_id == agreed[0].session_id
            assert (help_request.status is RequestStatus.MATCHED) == bool(agreed)
            if help_request.status is RequestStatus.WITHDRAWN:
                assert held is None and not live

    @invariant()
    def nobody_is_told_of_a_place_they_do_not_have(self):
        for n in range(GROUPS):
            help_request = self.group(n)
            held = booking.active_booking(help_request)
            table_at = held.session_id if held and held.status is BookingStatus.BOOKED else None
            pending = db.session.scalars(
                db.select(Notification.session_id).where(
                    Notification.recipient == help_request.asker.email,
                    Notification.kind.in_((*PLACE_NEWS, "reminder")),
                    Notification.status == NotificationStatus.PENDING,
                )
            ).all()
            assert all(session_id == table_at for session_id in pending)

    @invariant()
    def one_place_is_announced_once_at_a_time(self):
        told = db.session.execute(
            db.select(Notification.recipient, Notification.session_id, Notification.created_at)
            .where(Notification.kind.in_(PLACE_NEWS))
            .where(Notification.status != NotificationStatus.CANCELLED)
        ).all()
        assert len(told) == len(set(told)), "two 'your place' emails at one moment"

    @invariant()
    def each_volunteers_last_list_names_their_agreed_groups(self):
        for signup in db.session.scalars(
            db.select(Signup).where(Signup.status == SignupStatus.ACTIVE)
        ):
            last = db.session.scalar(
                db.select(Notification.body_text)
                .where(Notification.key.startswith(volunteer_groups_key(signup)))
                .where(Notification.status != NotificationStatus.CANCELLED)
                .order_by(Notification.id.desc())
                .limit(1)
            )
            if last is None:
                continue
            agreed = {
                p.help_request.organisation_name
                for p in self.pairings(*FIXED_STATES)
                if p.signup_id == signup.id
            }
            listed = {f"Group {n}" for n in range(GROUPS) if f"from Group {n} (" in last}
            assert listed == agreed


def test_every_sequence_of_moves_keeps_the_place_true(app):
    run_state_machine_as_test(
        PlaceMoves,
        settings=settings(
            max_examples=int(os.environ.get("PLACE_EXAMPLES", "15")),
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
