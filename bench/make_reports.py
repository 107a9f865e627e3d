#!/usr/bin/env python3
"""make_reports.py N OUT.jsonl: N short defence-diplomacy reports as JSON
Lines (url, outlet, published, title, text), written for sitrep's
benchmarks: happenings between two of 30 countries on one of 40 subjects,
each reported by 2 to 6 of 12 outlets in their own words, spread over a
year, so a store of them holds many stories, dyads and outlets (unlike
tests/e2e/gen_reports.awk, whose reports all read alike).  Deterministic."""
import json
import random
import sys

COUNTRIES = ["Pakistan", "Libya", "Turkey", "Indonesia", "Japan", "Philippines", "India", "France",
             "Egypt", "Brazil", "Germany", "Italy", "Spain", "Poland", "Greece", "Canada", "Mexico",
             "Chile", "Peru", "Kenya", "Nigeria", "Ghana", "Morocco", "Algeria", "Tunisia", "Jordan",
             "Qatar", "Oman", "Vietnam", "Thailand"]
SUBJECTS = ["submarine", "frigate", "drone", "radar", "helicopter", "corvette", "missile defence",
            "coastal patrol", "border security", "cyber defence", "pilot training", "naval exercise",
            "peacekeeping", "demining", "military academy", "arms export", "satellite", "armoured vehicle",
            "artillery", "air defence", "maritime surveillance", "counter-terrorism", "special forces",
            "field hospital", "logistics hub", "shipyard", "ammunition plant", "fighter jet",
            "transport aircraft", "tanker aircraft", "patrol boat", "mine countermeasures", "sonar",
            "electronic warfare", "military medicine", "search and rescue", "space command",
            "officer exchange", "joint command", "defence budget"]
OUTLETS = ["Harbour Post", "Daily Ledger", "Northern Wire", "Coastal Times", "Capital Review",
           "Straits Observer", "Nile Wire", "Pacific Dispatch", "Manila Herald", "Mediterranean Today",
           "Andes Courier", "Savanna Tribune"]
COOPERATE = [("signed an agreement with", "sign {s} agreement"), ("met", "discuss {s} cooperation"),
             ("praised", "praise {s} ties"), ("agreed to help", "agree on {s} aid"),
             ("held talks with", "hold {s} talks")]
CONFLICT = [("criticized", "trade criticism over {s}"), ("accused", "trade accusations over {s}"),
            ("threatened", "warn each other over {s}"), ("expelled envoys of", "expel envoys in {s} row")]
TITLE = ["{A} and {B} {v}", "{A}, {B} {v} in {city}", "Officials of {A} and {B} {v}",
         "{A} to {v} with {B}", "Talks in {city}: {A} and {B} {v}", "{B} and {A} {v}"]
LEAD = ["The defence minister of {A} {verb} the defence minister of {B} on {day}, officials said, in talks about {s}.",
        "{A}'s army chief {verb} his counterpart from {B} in {city} on {day} over {s}.",
        "Officials from {A} {verb} a delegation from {B} on {day}, according to a statement on {s}.",
        "On {day}, the government of {A} {verb} {B} in a meeting on {s}, the ministry said."]
MORE = ["The two sides discussed {s} and agreed to meet again.", "Analysts said the {s} plan could take years.",
        "A spokesman declined to give details of the {s} programme.", "The talks in {city} lasted two days.",
        "Both governments said the {s} question would be studied by a joint committee."]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(11)
    written = 0
    with open(out, "w") as f:
        h = 0
        while written < n:
            h += 1
            a, b = rnd.sample(COUNTRIES, 2)
            s = rnd.choice(SUBJECTS)
            verbs = rnd.choice([COOPERATE, COOPERATE, CONFLICT])
            verb, vt = rnd.choice(verbs)
            month, dday = 1 + rnd.randrange(12), 1 + rnd.randrange(28)
            city = rnd.choice([a, b]) + "'s capital"
            for o in rnd.sample(OUTLETS, rnd.randint(2, 6)):
                if written >= n:
                    break
                hour = rnd.randrange(24)
                day = "2025-%02d-%02d" % (month, dday)
                fill = dict(A=a, B=b, s=s, v=vt.format(s=s), verb=verb, city=city, day=day)
                text = " ".join([rnd.choice(LEAD).format(**fill)] + [m.format(**fill) for m in rnd.sample(MORE, 2)]
                                + ["(Report %d of happening %d.)" % (written, h)])
                f.write(json.dumps({"url": "https://%s.example/%d" % (o.lower().replace(" ", ""), written),
                                    "outlet": o, "published": "%sT%02d:00:00Z" % (day, hour),
                                    "title": rnd.choice(TITLE).format(**fill), "text": text}) + "\n")
                written += 1


main()
