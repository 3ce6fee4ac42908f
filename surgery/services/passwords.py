"""What makes a password good enough: long, and not one a guesser would try early."""

import re

from zxcvbn import zxcvbn

from surgery.models import Account
from surgery.services.errors import InvalidAnswers

# zxcvbn's 3, "safely unguessable": it estimates 10⁸ guesses or more, out of reach of someone
# limited to a few dozen tries an hour, even with a stolen hash slowed by Argon2.
STRONG_ENOUGH = 3
# zxcvbn refuses longer input; a strong start is what makes a long password strong.
ASSESSED_LENGTH = 72


def check_strength(account: Account, password: str) -> None:
    """Raise InvalidAnswers, saying why, for a common or guessable password, or one made of the
    person's own name, email address or town."""
    result = zxcvbn(password[:ASSESSED_LENGTH], user_inputs=personal_words(account))
    if result["score"] >= STRONG_ENOUGH:
        return
    feedback = result["feedback"]
    why = feedback["warning"] or "It would be easy to guess."
    advice = " ".join(feedback["suggestions"]) or "A few unrelated words make a strong one."
    raise InvalidAnswers({"password": f"Choose a stronger password. {why} {advice}"})


def personal_words(account: Account) -> list[str]:
    """Return what a guesser who knows the person would try first."""
    words = [account.name, account.email, account.town]
    words += re.split(r"[\s@.+_-]+", " ".join(words))
    return [word.lower() for word in words if word]
