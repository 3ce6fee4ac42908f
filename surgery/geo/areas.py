"""Towns: the 120 postcode areas of Great Britain, each named after its post town.

A "town" in reports, feeds and the API is a postcode area (WV is Wolverhampton), because every
session, request and volunteer already has a postcode, and areas are public, stable and coarse
enough that a count by area names no one.
"""

from dataclasses import dataclass

AREA_NAMES = {
    "AB": "Aberdeen", "AL": "St Albans", "B": "Birmingham", "BA": "Bath", "BB": "Blackburn",
    "BD": "Bradford", "BH": "Bournemouth", "BL": "Bolton", "BN": "Brighton", "BR": "Bromley",
    "BS": "Bristol", "CA": "Carlisle", "CB": "Cambridge", "CF": "Cardiff", "CH": "Chester",
    "CM": "Chelmsford", "CO": "Colchester", "CR": "Croydon", "CT": "Canterbury",
    "CV": "Coventry", "CW": "Crewe", "DA": "Dartford", "DD": "Dundee", "DE": "Derby",
    "DG": "Dumfries", "DH": "Durham", "DL": "Darlington", "DN": "Doncaster",
    "DT": "Dorchester", "DY": "Dudley", "E": "East London", "EC": "Central London (EC)",
    "EH": "Edinburgh", "EN": "Enfield", "EX": "Exeter", "FK": "Falkirk", "FY": "Blackpool",
    "G": "Glasgow", "GL": "Gloucester", "GU": "Guildford", "HA": "Harrow",
    "HD": "Huddersfield", "HG": "Harrogate", "HP": "Hemel Hempstead", "HR": "Hereford",
    "HS": "Outer Hebrides", "HU": "Hull", "HX": "Halifax", "IG": "Ilford", "IP": "Ipswich",
    "IV": "Inverness", "KA": "Kilmarnock", "KT": "Kingston upon Thames", "KW": "Kirkwall",
    "KY": "Kirkcaldy", "L": "Liverpool", "LA": "Lancaster", "LD": "Llandrindod Wells",
    "LE": "Leicester", "LL": "Llandudno", "LN": "Lincoln", "LS": "Leeds", "LU": "Luton",
    "M": "Manchester", "ME": "Medway", "MK": "Milton Keynes", "ML": "Motherwell",
    "N": "North London", "NE": "Newcastle upon Tyne", "NG": "Nottingham",
    "NN": "Northampton", "NP": "Newport", "NR": "Norwich", "NW": "North West London",
    "OL": "Oldham", "OX": "Oxford", "PA": "Paisley", "PE": "Peterborough", "PH": "Perth",
    "PL": "Plymouth", "PO": "Portsmouth", "PR": "Preston", "RG": "Reading", "RH": "Redhill",
    "RM": "Romford", "S": "Sheffield", "SA": "Swansea", "SE": "South East London",
    "SG": "Stevenage", "SK": "Stockport", "SL": "Slough", "SM": "Sutton", "SN": "Swindon",
    "SO": "Southampton", "SP": "Salisbury", "SR": "Sunderland", "SS": "Southend-on-Sea",
    "ST": "Stoke-on-Trent", "SW": "South West London", "SY": "Shrewsbury", "TA": "Taunton",
    "TD": "Galashiels", "TF": "Telford", "TN": "Tonbridge", "TQ": "Torquay", "TR": "Truro",
    "TS": "Middlesbrough", "TW": "Twickenham", "UB": "Southall", "W": "West London",
    "WA": "Warrington", "WC": "Central London (WC)", "WD": "Watford", "WF": "Wakefield",
    "WN": "Wigan", "WR": "Worcester", "WS": "Walsall", "WV": "Wolverhampton", "YO": "York",
    "ZE": "Lerwick",
}  # fmt: skip


@dataclass(frozen=True, order=True)
class Town:
    """A postcode area by its post town's name; slug is the area in lower case ("wv")."""

    name: str
    slug: str


def area_of(district: str) -> str:
    """The postcode area of a district: its leading letters ("WV1" → "WV")."""
    letters = ""
    for character in district.upper():
        if not character.isalpha():
            break
        letters += character
    return letters


def town_of(district: str) -> Town | None:
    """The town a district is in, or None for a district outside the areas we know."""
    return town_by_slug(area_of(district))


def town_by_slug(slug: str) -> Town | None:
    """The town named in a link or filter ("wv"), or None if there is no such area."""
    area = slug.upper()
    return Town(AREA_NAMES[area], slug.lower()) if area in AREA_NAMES else None
