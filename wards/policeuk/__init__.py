"""The data.police.uk-compatible read API for our force, under /api/.

Programs written for data.police.uk work unchanged against our base URL: the same paths,
field names, types (numbers as strings), nulls, dates and 404s. A police.uk
"neighbourhood" is one of our wards of the active generation (settings.PACT_WARD_GENERATION),
its id the ward's ONS code, because PACT priorities are set per ward. The wards app serves
the force, neighbourhoods, boundaries, people and locate; priorities and events come from the
priorities app (priorities/policeuk.py).
"""
