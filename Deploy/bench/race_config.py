"""The race's cases, plantgate's config for each, and the peer's config template expansion."""

import re

BLOCK = 125  # registers per read: the most one Modbus read returns

# changes: "one-per-read" (unit 1's register 0 takes a new value each time it is read), "all-per-read"
# (every register does), or a period in ms (every register takes a new value on that period).
CASES = {
    "idle": {"registers": 1000, "per_unit": 1000, "interval_ms": 1000, "changes": "one-per-read", "publish": "on_change"},
    "all-change": {"registers": 1000, "per_unit": 1000, "interval_ms": 1000, "changes": "all-per-read", "publish": "on_change"},
    "every-poll": {"registers": 1000, "per_unit": 1000, "interval_ms": 100, "changes": "all-per-read", "publish": "every_poll"},
    "15k": {"registers": 15000, "per_unit": 1000, "interval_ms": 1000, "changes": "all-per-read", "publish": "on_change"},
    "fast": {"registers": 100, "per_unit": 100, "interval_ms": 10, "changes": 37, "publish": "on_change"},
    # 10,000 msg/s like every-poll, but spread: 100 messages every 10 ms instead of 1,000 every 100 ms.
    "spread": {"registers": 100, "per_unit": 100, "interval_ms": 10, "changes": "all-per-read", "publish": "every_poll"},
}


def units(case):
    """(unit id, register count) of each device; unit ids start at 1."""
    per_unit = case["per_unit"]
    return [(index + 1, min(per_unit, case["registers"] - index * per_unit))
            for index in range((case["registers"] + per_unit - 1) // per_unit)]


def plantgate_yaml(case, mqtt_port, modbus_port, directory):
    lines = ["site: {id: race, time_zone: UTC}",
             f"mqtt: {{host: 127.0.0.1, port: {mqtt_port}, prefix: plantgate, publish: {{raw: {case['publish']}}}}}",
             "buses:",
             f"  - {{id: bus, tcp: {{host: 127.0.0.1, port: {modbus_port}}}, response_timeout: 500ms, retries: 1}}",
             "devices:"]
    for unit, count in units(case):
        lines += [f"  - id: u{unit}", "    bus: bus", f"    unit: {unit}", f"    interval: {case['interval_ms']}ms", "    tags:"]
        lines += [f"      r{address}: {{register: \"holding:{address}\", type: uint16}}" for address in range(count)]
    lines += [f"state_dir: {directory}", f"control_socket: {directory}/control.sock", "log_level: warning", ""]
    return "\n".join(lines)


def template_values(case, mqtt_port, modbus_port, directory):
    return {"mqtt_port": mqtt_port, "modbus_port": modbus_port, "interval_ms": case["interval_ms"],
            "registers": case["registers"], "publish_mode": case["publish"], "config_dir": str(directory)}


SECTION = re.compile(r"^\s*\{\{([#/])(unit|block|register)\}\}\s*$")
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def expand_template(text, case, values):
    """Substitutes {{name}} and repeats {{#unit}}, {{#block}} and {{#register}} sections (each on a line
    of its own, closed by {{/name}}). A block or register section inside a unit section covers that
    unit; at the top level it covers every unit. In a section: {{unit}}, {{address}} (0-based),
    {{address1}} (1-based), {{count}} (a block's registers), {{index}} (0-based, over the whole plant)."""
    return "".join(_expand(text.splitlines(keepends=True), case, values, None))


def _expand(lines, case, values, unit):
    output, index = [], 0
    while index < len(lines):
        match = SECTION.match(lines[index])
        if not match:
            output.append(PLACEHOLDER.sub(lambda m: _value(m, values, lines[index]), lines[index]))
            index += 1
            continue
        if match.group(1) == "/":
            raise ValueError(f"template: {{{{/{match.group(2)}}}}} without its {{{{#{match.group(2)}}}}}")
        kind, depth, end = match.group(2), 1, index + 1
        while end < len(lines) and depth:
            inner = SECTION.match(lines[end])
            if inner and inner.group(2) == kind:
                depth += 1 if inner.group(1) == "#" else -1
            end += 1
        if depth:
            raise ValueError(f"template: {{{{#{kind}}}}} is never closed by {{{{/{kind}}}}}")
        body = lines[index + 1:end - 1]
        for item in _items(kind, case, unit):
            output += _expand(body, case, {**values, **item}, item["unit"])
        index = end
    return output


def _items(kind, case, only_unit):
    first_index = 0
    for unit, count in units(case):
        if only_unit is None or unit == only_unit:
            if kind == "unit":
                yield {"unit": unit, "count": count}
            elif kind == "block":
                for start in range(0, count, BLOCK):
                    yield {"unit": unit, "address": start, "address1": start + 1, "count": min(BLOCK, count - start)}
            else:
                for address in range(count):
                    yield {"unit": unit, "address": address, "address1": address + 1, "index": first_index + address}
        first_index += count


def _value(match, values, line):
    name = match.group(1)
    if name not in values:
        raise ValueError(f"template: unknown placeholder {{{{{name}}}}} in line {line.strip()!r}; "
                         f"known here: {', '.join(sorted(values))}")
    return str(values[name])
