"""News-English vocabulary for the synthetic corpus (written for this project).

Sentences are built from templates whose ``{slot}`` names are keys of
``SLOTS``. Everything here is invented; names and places are generic and
plausible, not quotations of any source.
"""

from __future__ import annotations

FIRST = [
    "Maria", "James", "Aisha", "Daniel", "Sofia", "Omar", "Laura", "Peter", "Nadia", "Samuel",
    "Elena", "David", "Fatima", "Thomas", "Grace", "Yusuf", "Hannah", "Michael", "Leila", "Robert",
    "Anna", "Karim", "Sarah", "Lucas", "Mei", "Ahmed", "Claire", "Ivan", "Rosa", "Jonathan",
    "Amira", "Paul", "Ingrid", "Tariq", "Julia", "Kwame", "Helen", "Mateo", "Noor", "Richard",
]
LAST = [
    "Okafor", "Bennett", "Haddad", "Novak", "Schneider", "Castillo", "Murray", "Rahman", "Lindqvist",
    "Fischer", "Moreau", "Adeyemi", "Kowalski", "Whitfield", "Nakamura", "Barros", "Hughes", "Khalil",
    "Petrov", "Sullivan", "Delgado", "Andersen", "Mensah", "Costa", "Brennan", "Farouk", "Keller",
    "Ortiz", "Walsh", "Yilmaz", "Harper", "Sandoval", "Lambert", "Osei", "Reyes", "Marsh",
]
ROLES = [
    "the prime minister", "the foreign minister", "the defence minister", "a government spokesman",
    "the president", "the opposition leader", "the mayor", "a senior official", "the health minister",
    "the interior ministry", "a military spokeswoman", "the energy secretary", "the central bank",
    "the finance minister", "the UN secretary general", "an aid worker", "a local doctor",
    "the police chief", "a senior diplomat", "the army", "the electoral commission", "the coast guard",
]
COUNTRIES = [
    "France", "Germany", "Brazil", "Nigeria", "Japan", "Canada", "Kenya", "India", "Turkey", "Egypt",
    "Mexico", "Poland", "Indonesia", "Australia", "Spain", "Italy", "Pakistan", "Argentina", "Ghana",
    "Sweden", "Jordan", "Chile", "Vietnam", "Morocco", "Ukraine", "Lebanon", "Ethiopia", "Peru",
    "the United States", "the United Kingdom", "South Africa", "South Korea", "the Philippines",
]
CITIES = [
    "Lagos", "Berlin", "Paris", "Nairobi", "Jakarta", "Toronto", "Madrid", "Cairo", "Mumbai",
    "Warsaw", "Istanbul", "Lima", "Accra", "Manila", "Beirut", "Amman", "Rome", "Santiago",
    "Sydney", "Washington", "London", "Brussels", "Geneva", "Hanoi", "Casablanca", "Addis Ababa",
    "Kyiv", "Karachi", "Buenos Aires", "Seoul", "Tokyo", "Mexico City", "Cape Town", "Stockholm",
]
REGIONS = [
    "the north", "the south of the country", "the border region", "the capital", "the coast",
    "the eastern provinces", "the river valley", "the southern highlands", "the delta",
    "the outskirts of the city", "the old town", "the refugee camps", "the industrial zone",
]
ORGS = [
    "the United Nations", "the World Health Organization", "the Red Cross", "the European Union",
    "the African Union", "the World Bank", "the IMF", "NATO", "the Security Council",
    "the national weather service", "the supreme court", "parliament", "the ruling party",
    "the transport union", "the teachers' union", "the World Food Programme", "the stock exchange",
]
CHANNEL_NAMES = ["CNN", "BBC", "Al Jazeera", "DW", "Fox News", "Sky News", "France 24", "NBC"]

VERBS_PAST = [
    "announced", "confirmed", "denied", "warned", "reported", "said", "insisted", "admitted",
    "promised", "rejected", "welcomed", "condemned", "suggested", "revealed", "acknowledged",
]
ACTIONS = [
    "raise interest rates", "send more troops", "close the border", "hold early elections",
    "release the hostages", "cut fuel subsidies", "open a new investigation", "reopen the schools",
    "extend the ceasefire", "lift the curfew", "restore power to the region", "sign the agreement",
    "evacuate the coastal towns", "deliver more aid", "resume the talks", "tighten sanctions",
    "increase spending on health", "build new shelters", "ban the protests", "recall its ambassador",
]
EVENTS = [
    "the storm", "the strike", "the election", "the earthquake", "the protests", "the ceasefire",
    "the summit", "the floods", "the trial", "the negotiations", "the outbreak", "the wildfires",
    "the blackout", "the budget vote", "the military operation", "the investigation", "the drought",
    "the attack", "the rescue effort", "the talks",
]
THINGS = [
    "the economy", "food prices", "the water supply", "hospitals", "the roads", "the power grid",
    "fuel", "medical supplies", "the schools", "public transport", "housing", "the harvest",
    "the currency", "tourism", "the fishing fleet", "emergency services", "the aid convoys",
]
PEOPLE = [
    "families", "residents", "civilians", "children", "farmers", "workers", "doctors", "students",
    "protesters", "voters", "refugees", "soldiers", "journalists", "investors", "shop owners",
    "volunteers", "patients", "teachers", "fishermen", "pensioners",
]
ADJ = [
    "serious", "difficult", "dangerous", "unprecedented", "tense", "fragile", "critical", "chaotic",
    "remarkable", "worrying", "complicated", "desperate", "calm", "uncertain", "historic",
]
TIMES = [
    "today", "this morning", "last night", "on Monday", "on Tuesday", "on Wednesday", "on Thursday",
    "on Friday", "over the weekend", "earlier this week", "in the past hour", "just moments ago",
    "yesterday", "late on Sunday", "for the third day in a row", "since the start of the year",
]
NUMBERS = [
    "two", "three", "four", "five", "six", "a dozen", "dozens of", "hundreds of", "thousands of",
    "10", "12", "15", "20", "25", "30", "40", "50", "100", "200", "1,500", "3,000", "10,000",
    "100,000", "more than 60", "at least 18", "nearly 400", "about 7,000",
]
UNITS = ["people", "homes", "trucks", "flights", "schools", "villages", "tonnes of food", "jobs"]
AMOUNTS = [
    "$2 billion", "$40 million", "15 percent", "3.5 percent", "half a million dollars",
    "a record amount", "twice as much", "$800 million", "nine percent", "a third",
]
OPENERS = [
    "Well,", "Look,", "Now,", "And", "But", "So", "Of course,", "Meanwhile,", "In fact,",
    "At the same time,", "Right now,", "Tonight,", "Again,", "Still,", "Frankly,",
]
FILLERS = ["you know,", "I mean,", "of course,", "frankly,", "really", "again,", "at this point,"]

# Templates: one spoken sentence each. Slot names are keys of SLOTS.
TEMPLATES = [
    "{opener} {role} {vpast} {time} that {country} would {action}.",
    "{name}, {role}, {vpast} that the situation in {city} is {adj}.",
    "{opener} we are hearing {time} that {number} {unit} have been affected by {event}.",
    "{name} is live for us in {city}. {first}, what are you seeing there?",
    "Thank you, {first}. {opener} this is a {adj} moment for {country}.",
    "{people} in {region} say they have been waiting for days for {thing}.",
    "According to {org}, {number} {people} have had to leave their homes since {event}.",
    "{role} {vpast} the plan, saying it would cost {amount}.",
    "{opener} {org} has called for calm after {event} in {city}.",
    "We spoke to {people} in {region} and they told us {thing} is running out.",
    "What does this mean for {thing} in {country}?",
    "It is {adj}, {filler} and nobody here knows what happens next.",
    "{opener} the pressure is growing on {role} to {action}.",
    "{name} has more on that from {city}.",
    "{people} lined up outside the offices of {org} {time}.",
    "The cost of {thing} has risen by {amount} since {event}, {role} {vpast}.",
    "{opener} there is a lot of anger here, {filler} people feel they have been forgotten.",
    "Officials in {city} {vpast} {time} that {number} {unit} were damaged.",
    "{role} is expected to speak in the next hour, and we will bring that to you live.",
    "I want to bring in {name}, who covers {country} for us.",
    "{opener} {country} and {country} are now in talks over {event}.",
    "This is not the first time {people} in {region} have faced {event}.",
    "{name} {vpast} that {org} would not {action} without more guarantees.",
    "Is there any sign that {role} is willing to {action}?",
    "{opener} the numbers are {adj}: {number} {unit} in {region} alone.",
    "You can see behind me the queues of {people} waiting for {thing}.",
    "{org} {vpast} {time} that it is ready to {action}.",
    "We have seen {number} {unit} leave {city} {time}.",
    "{opener} that is the key question, and {role} has not answered it.",
    "{people} told our team that {thing} has been cut for {number} days.",
    "It comes as {org} prepares to {action} in {region}.",
    "Let's go straight to {name} in {city}.",
    "{opener} the mood in {city} is {adj} {time}.",
    "Critics say {role} waited too long to {action}.",
    "The decision affects {number} {people} across {country}.",
    "{name} of {org} told us the next few days will be {adj}.",
    "{opener} I think what we are seeing is a {adj} shift in how {country} deals with {event}.",
    "Markets in {city} fell {time} on fears over {thing}.",
    "{role} has ordered an inquiry into {event}.",
    "We are going to stay across this story and bring you updates as we get them.",
]

# Headline templates for <video_title>.
TITLE_TEMPLATES = [
    "{country} {vpast_title} plan to {action}",
    "{event_title} in {city}: {number} {unit} affected",
    "Why {people} in {city} are angry about {thing}",
    "{org_title} warns of {adj} situation in {region}",
    "Live: {event_title} latest from {city}",
    "{role_title} under pressure over {event}",
    "{city} {people} wait for {thing} after {event}",
    "What {event} means for {thing} in {country}",
    "{country}: {role} {vpast} {time}",
    "Inside {city} as {event} enters day {day}",
    "{number_title} {unit} evacuated in {region} of {country}",
    "{country} and {country} agree to {action}",
]

SLOTS: dict[str, list[str]] = {
    "role": ROLES, "country": COUNTRIES, "city": CITIES, "region": REGIONS, "org": ORGS,
    "vpast": VERBS_PAST, "action": ACTIONS, "event": EVENTS, "thing": THINGS, "people": PEOPLE,
    "adj": ADJ, "time": TIMES, "number": NUMBERS, "unit": UNITS, "amount": AMOUNTS,
    "opener": OPENERS, "filler": FILLERS, "first": FIRST,
    "day": [str(i) for i in range(2, 120)],
    "obj": ["him", "her", "them"], "obj2": ["their", "your", "our"],
}

# Words that can stand in for each other in a near-duplicate quote.
SWAPS: dict[str, list[str]] = {
    "said": ["told", "stated", "added"], "people": ["civilians", "residents", "families"],
    "very": ["really", "so"], "now": ["today", "tonight"], "big": ["huge", "major"],
    "city": ["town", "capital"], "help": ["aid", "support"], "must": ["should", "will"],
    "the": ["this", "that"], "we": ["they"], "are": ["were"], "is": ["was"],
    "many": ["several", "some"], "government": ["authorities", "ministry"],
}

# Channels: folder name, weight, chance that a transcript is cut-at-32 style,
# all-caps live captions, or automatic speech recognition (the rest).
CHANNELS: list[tuple[str, float, float, float]] = [
    ("en_CNN", 0.30, 0.75, 0.20),
    ("en_BBCNews", 0.16, 0.55, 0.0),
    ("en_AJ", 0.16, 0.50, 0.0),
    ("en_DW", 0.12, 0.50, 0.0),
    ("en_FOX", 0.12, 0.70, 0.25),
    ("en_SkyNews", 0.08, 0.60, 0.10),
    ("en_France24", 0.06, 0.50, 0.0),
]

# First-person quotes for planted near-duplicate passages: a quote is said once
# and replayed on two or three channels. Kept apart from TEMPLATES so a plant is
# not a copy of body boilerplate.
QUOTE_TEMPLATES = [
    "We will not accept any deal that leaves {people} in {region} without {thing}.",
    "I have spoken to {name} this morning and I told {obj} very clearly that {org} must act.",
    "Nobody should have to choose between feeding {obj2} children and keeping the lights on.",
    "There are {code} {unit} still missing and every hour that passes makes this harder.",
    "Our message to {country} is simple: open the crossings and let the trucks through.",
    "I was standing right there when it happened and I have never seen anything like it.",
    "This is a {adj} day for {city} and for everyone who believed this could be avoided.",
    "We have asked for {amount} and so far we have received less than a third of it.",
    "If {org} does not move by the end of the week, we will {action} ourselves.",
    "My brother worked at the port for {code} days without pay before he finally left.",
    "The law was passed in the middle of the night and nobody in {city} was consulted.",
    "I want to thank the volunteers who came from {city} with nothing but their own hands.",
    "They told us the water would be back on {time}, and we are still waiting.",
    "We are not asking for charity, we are asking for the contracts we already signed.",
    "Every single one of those {code} names belongs to a family that deserves an answer.",
    "I do not believe {role} understands what is happening on the ground in {region}.",
    "What we saw in {city} last night was a warning, and we ignored it at our peril.",
    "Let me be very clear: no decision has been taken, and no decision will be taken {time}.",
    "The convoy left {city} at dawn with {code} tonnes of flour and it never arrived.",
    "We have the doctors, we have the beds, what we do not have is {thing}.",
    "I grew up in {region} and I have never been so afraid for the people who live there.",
    "The agreement we signed in {city} is worth nothing if it is not enforced.",
]
