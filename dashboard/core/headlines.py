"""Which indicators the dashboard leads with. Ids that the build has not produced are skipped,
so a renamed or missing indicator removes a tile instead of breaking a page."""

from __future__ import annotations

# Headline tiles on the ward profile, in order.
HEADLINE_INDICATORS: tuple[str, ...] = (
    "population",
    "imd2025_score",
    "imd2025_decile",
    "imd2025_pct_most_deprived_10",
    "bad_health",
    "disabled",
    "unpaid_care",
    "no_qualifications",
)
# Short tile labels that fit a projector (the full name is in each tile's help).
TILE_LABELS: dict[str, str] = {
    "population": "Residents (2021)",
    "imd2025_score": "IMD 2025 score",
    "imd2025_decile": "IMD 2025 England decile",
    "imd2025_pct_most_deprived_10": "In England's most deprived 10%",
    "bad_health": "Bad or very bad health",
    "disabled": "Disabled (Equality Act)",
    "unpaid_care": "Provides unpaid care",
    "no_qualifications": "No qualifications",
}
# Indicators the plain-English summary talks about after deprivation (when they exist).
SUMMARY_HEALTH_INDICATORS: tuple[str, ...] = ("bad_health", "disabled", "unpaid_care", "no_qualifications", "no_car")
DEFAULT_INDICATOR_ORDER: tuple[str, ...] = ("imd2025_score", "bad_health", "population")
IMD_SCORE = "imd2025_score"
IMD_DECILE = "imd2025_decile"
IMD_MOST_DEPRIVED = "imd2025_pct_most_deprived_10"
POPULATION = "population"
# The value types a spine chart can place against England (counts, ranks and deciles cannot).
SPINE_VALUE_TYPES: tuple[str, ...] = ("percentage", "score", "rate", "years", "proportion")
# What the IMD domain ids stand for, in the order the IoD publishes them.
IMD_DOMAINS: dict[str, str] = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health deprivation and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "housing": "Barriers to housing and services",
    "living_environment": "Living environment",
    "environment": "Living environment",
    "idaci": "Income deprivation affecting children",
    "idaopi": "Income deprivation affecting older people",
}


def available(ids: tuple[str, ...] | list[str], known: set[str] | list[str]) -> list[str]:
    """The ids from ``ids`` that exist in ``known``, in the order given."""
    known = set(known)
    return [i for i in ids if i in known]


# One plain sentence per IMD domain: what it measures (after MHCLG's English Indices of
# Deprivation technical report). Keyed by the domain's label above.
IMD_DOMAIN_MEANINGS: dict[str, str] = {
    "Income": "The share of people on low incomes: claiming income-related benefits or tax credits.",
    "Employment": (
        "The share of working-age people who want to work but cannot: unemployed, sick or disabled, or caring."
    ),
    "Education, skills and training": "Low attainment and skills among children, young people and adults.",
    "Health deprivation and disability": (
        "The risk of early death and of poor physical or mental health, and disability."
    ),
    "Crime": "The risk of being a victim of violence, burglary, theft or criminal damage.",
    "Barriers to housing and services": (
        "How far away shops, schools and GPs are, and how hard it is to afford or find a home."
    ),
    "Living environment": "The quality of housing (condition, heating) and of the air and roads outside it.",
    "Income deprivation affecting children": "The share of children under 16 living in low-income families.",
    "Income deprivation affecting older people": "The share of people aged 60 and over on low incomes.",
}
