"""The words the service shares: levels, kinds of organisation, availability, access needs."""

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
        return _EXPLANATIONS[self]


_TITLES = {
    Level.EYE_OPENER: "Eye-opener",
    Level.FIRST_STEPS: "First steps",
    Level.PLANNING: "Planning",
    Level.DOING_IT: "Doing it",
}

_EXPLANATIONS = {
    Level.EYE_OPENER: "You are curious and want to see what other groups have done online.",
    Level.FIRST_STEPS: "You have started using a tool and want to know how it fits your group.",
    Level.PLANNING: "You know what you want to do and need help planning how to make it happen.",
    Level.DOING_IT: "You are already doing it and want to get better or share what you learned.",
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


class Availability(StrEnum):
    """When someone can come to a session; a session's start time falls in one of these."""

    WEEKDAYS = "weekdays"
    WEEKDAY_EVENINGS = "weekday-evenings"
    WEEKENDS = "weekends"

    @property
    def label(self) -> str:
        return {
            Availability.WEEKDAYS: "Weekdays, in the daytime",
            Availability.WEEKDAY_EVENINGS: "Weekday evenings, from 6pm",
            Availability.WEEKENDS: "Weekends",
        }[self]


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
