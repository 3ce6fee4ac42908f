"""The words the service shares: levels, kinds of organisation, availability, access needs."""

from datetime import datetime, time
from enum import IntEnum, StrEnum


class Level(IntEnum):
    """How far along a group is with a digital tool: the four levels of the surgeries' writing."""

    EYE_OPENER = 1
    FIRST_STEPS = 2
    PLANNING = 3
    DOING_IT = 4

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def explanation(self) -> str:
        """The level told to a group about itself ("You are curious…")."""
        return _EXPLANATIONS[self].format(who="You", they="you", their="your")

    @property
    def explanation_for_volunteers(self) -> str:
        """The level told to a volunteer as the groups they would help ("Groups that are…")."""
        return _EXPLANATIONS[self].format(who="Groups that", they="they", their="their")


_TITLES = {
    Level.EYE_OPENER: "Eye-opener",
    Level.FIRST_STEPS: "First steps",
    Level.PLANNING: "Planning",
    Level.DOING_IT: "Doing it",
}

# One wording for each level, read by the group about itself and by a volunteer about the groups
# they would help: the verbs are plural, so either subject fits.
_EXPLANATIONS = {
    Level.EYE_OPENER: "{who} are curious and want to see what other groups have done online.",
    Level.FIRST_STEPS: (
        "{who} have started using a tool and want to know how it fits {their} group."
    ),
    Level.PLANNING: (
        "{who} know what {they} want to do and need help planning how to make it happen."
    ),
    Level.DOING_IT: (
        "{who} are already doing it and want to get better or share what {they} learned."
    ),
}


class OrganisationKind(StrEnum):
    COMMUNITY_GROUP = "community-group"
    CHARITY = "charity"
    SOCIAL_ENTERPRISE = "social-enterprise"
    PUBLIC_SERVICE = "public-service"
    JUST_ME = "just-me"

    @property
    def label(self) -> str:
        return {
            OrganisationKind.COMMUNITY_GROUP: "Community group",
            OrganisationKind.CHARITY: "Charity",
            OrganisationKind.SOCIAL_ENTERPRISE: "Social enterprise",
            OrganisationKind.PUBLIC_SERVICE: "Public service",
            OrganisationKind.JUST_ME: "Just me, an active citizen",
        }[self]


# Where a weekday's daytime ends and its evening begins, in UK time: the forms say it and the
# matcher uses it, so a group that chose evenings is never sent to a session before this.
EVENING_FROM = time(18)


class Availability(StrEnum):
    """When someone can come to a session; a session's start time falls in one of these."""

    WEEKDAYS = "weekdays"
    WEEKDAY_EVENINGS = "weekday-evenings"
    WEEKENDS = "weekends"

    @property
    def label(self) -> str:
        evening = EVENING_FROM.strftime("%-I%p").lower()
        return {
            Availability.WEEKDAYS: f"Weekdays, in the daytime (before {evening})",
            Availability.WEEKDAY_EVENINGS: f"Weekday evenings, from {evening}",
            Availability.WEEKENDS: "Weekends",
        }[self]

    @classmethod
    def of_start(cls, starts: datetime) -> "Availability":
        """Return the one these a session falls in, from its start in UK wall-clock time."""
        if starts.weekday() >= 5:
            return cls.WEEKENDS
        return cls.WEEKDAY_EVENINGS if starts.time() >= EVENING_FROM else cls.WEEKDAYS


class AccessNeed(StrEnum):
    """One list for what askers need and what venues offer, so the two can be compared."""

    STEP_FREE = "step-free"
    HEARING_LOOP = "hearing-loop"
    QUIET_SPACE = "quiet-space"
    DEVICE_TO_BORROW = "device-to-borrow"
    PARKING = "parking"

    @property
    def label(self) -> str:
        return {
            AccessNeed.STEP_FREE: "Step-free access",
            AccessNeed.HEARING_LOOP: "A hearing loop",
            AccessNeed.QUIET_SPACE: "A quiet space",
            AccessNeed.DEVICE_TO_BORROW: "A laptop or tablet to borrow",
            AccessNeed.PARKING: "Parking",
        }[self]
