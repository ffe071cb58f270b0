"""Validates a PACT v3 ProductFootprint (JSON file) against pact-v3-product-footprint.schema.json with
python3-jsonschema, plus the rules the schema cannot say with strings: 0 <= primaryDataShare <= 100 and
referencePeriodStart < referencePeriodEnd. Prints each problem; exits 0 only when there is none."""
import json
import os
import sys

import jsonschema

schema = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pact-v3-product-footprint.schema.json")))
footprint = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
problems = [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in validator.iter_errors(footprint)]
pcf = footprint.get("pcf", {})
if "primaryDataShare" in pcf and not 0 <= float(pcf["primaryDataShare"]) <= 100:
    problems.append(f"pcf/primaryDataShare: {pcf['primaryDataShare']} is not a percentage 0..100")
if pcf.get("referencePeriodStart", "") >= pcf.get("referencePeriodEnd", "~"):
    problems.append("pcf: referencePeriodStart is not before referencePeriodEnd")
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
