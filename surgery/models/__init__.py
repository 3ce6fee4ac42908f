"""Every model, imported here so that Alembic and the app see the whole schema."""

from surgery.models.accounts import Account, AccountStatus, AuditEvent, Role
from surgery.models.bookings import Booking, BookingStatus
from surgery.models.drafts import FormDraft
from surgery.models.follow_ups import FollowUp, FollowUpKind, GotGoing
from surgery.models.jobs import JobRun
from surgery.models.notifications import Notification, NotificationStatus
from surgery.models.outcomes import Outcome
from surgery.models.pairings import FIXED_STATES, MatchRun, Pairing, PairingState
from surgery.models.requests import Asker, HelpRequest, RequestStatus
from surgery.models.sessions import SessionStatus, SurgerySession
from surgery.models.signups import Signup, SignupStatus
from surgery.models.skills import Skill
from surgery.models.volunteers import Volunteer, VolunteerStatus

__all__ = [
    "Account",
    "AccountStatus",
    "AuditEvent",
    "Booking",
    "BookingStatus",
    "Role",
    "SessionStatus",
    "Signup",
    "SignupStatus",
    "Asker",
    "FollowUp",
    "FollowUpKind",
    "FormDraft",
    "GotGoing",
    "HelpRequest",
    "JobRun",
    "Notification",
    "NotificationStatus",
    "Outcome",
    "FIXED_STATES",
    "MatchRun",
    "Pairing",
    "PairingState",
    "RequestStatus",
    "Skill",
    "SurgerySession",
    "Volunteer",
    "VolunteerStatus",
]
