"""The forms of the intake journeys; each step form asks one thing."""
