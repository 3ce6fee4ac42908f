"""How long a refused sign-in takes: a wrong password, an address without an account, a paused
account. They should take the same time, so that timing tells a guesser nothing.

    .venv/bin/python bench/sign_in_timing.py [--rounds 20]

The cases take turns, so a busy moment on the machine falls on each alike. Prints each case's
median and its ratio to the wrong-password case; the last line is one JSON object.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import flask_migrate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surgery import create_app  # noqa: E402
from surgery.extensions import db  # noqa: E402
from surgery.models import Account  # noqa: E402
from surgery.services import accounts  # noqa: E402
from surgery.services.accounts import SignInRefused  # noqa: E402
from tests.factories import approved_host  # noqa: E402
from tests.instants import NOW  # noqa: E402

CASES = {
    "wrong_password": "open@example.org",
    "no_account": "nobody@example.org",
    "paused_account": "paused@example.org",
}


def refuse(email: str) -> float:
    start = time.perf_counter()
    try:
        accounts.sign_in(email, "a wrong guess", NOW)
    except SignInRefused:
        pass
    return (time.perf_counter() - start) * 1000


def reopen(email: str) -> None:
    account = db.session.scalar(db.select(Account).where(Account.email == email))
    account.failed_sign_ins, account.locked_until = 0, None
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, CLOCK_FROZEN_AT=NOW)
        with app.app_context():
            flask_migrate.upgrade()
            approved_host("open@example.org")
            approved_host("paused@example.org")
            for _ in range(accounts.FREE_ATTEMPTS):
                refuse("paused@example.org")
            times = {case: [] for case in CASES}
            for _ in range(rounds):
                for case, email in CASES.items():
                    times[case].append(refuse(email))
                reopen("open@example.org")
    medians = {case: round(statistics.median(found), 1) for case, found in times.items()}
    for case, median in medians.items():
        ratio = median / medians["wrong_password"]
        print(f"{case:16} median {median:7.1f} ms   ratio {ratio:4.2f}")
    print(json.dumps({"rounds": rounds, "median_ms": medians}))


if __name__ == "__main__":
    main()
