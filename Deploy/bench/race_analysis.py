"""Turns the register server's and the subscriber's logs of one run into messages/s, missed changes and
latency figures."""

import re
from bisect import bisect_right


def percentiles(values):
    if not values:
        return None
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]  # noqa: E731
    return {"p50": round(pick(0.5), 3), "p99": round(pick(0.99), 3), "max": round(values[-1], 3), "count": len(values)}


def read_served(path):
    """Serve times per (unit, address) in order, timed change moments, request times, write requests."""
    serves, changes, requests, writes = {}, [], [], 0
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields[0] == "S":
                stamp, unit, start, count = int(fields[1]), int(fields[2]), int(fields[3]), int(fields[4])
                requests.append(stamp)
                for address in range(start, start + count):
                    serves.setdefault((unit, address), []).append(stamp)
            elif fields[0] == "C":
                changes.append(int(fields[1]))
            elif fields[0] == "W":
                writes += 1
    return serves, changes, requests, writes


def value_moments(case, serves, changes):
    """For each changing register: value -> (when it changed, when a read first served it)."""
    moments = {}
    if isinstance(case["changes"], int):
        for key, times in serves.items():
            table = {}
            for index, changed in enumerate(changes):
                position = bisect_right(times, changed)
                first = times[position] if position < len(times) else None
                if first is not None and (index + 1 == len(changes) or first < changes[index + 1]):
                    table[(index + 1) & 0xFFFF] = (changed, first)
                else:
                    table[(index + 1) & 0xFFFF] = (changed, None)  # never read before the next change
            moments[key] = table
    else:
        keys = serves if case["changes"] == "all-per-read" else [k for k in serves if k == (1, 0)]
        for key in keys:
            # A per-read value appears as the read serves it: its change and its read are one moment.
            moments[key] = {index & 0xFFFF: (stamp, stamp) for index, stamp in enumerate(serves[key])}
    return moments


def analyse(case, served_path, arrivals_path, start_ns, end_ns, topic_regex, value_regex):
    serves, changes, requests, writes = read_served(served_path)
    moments = value_moments(case, serves, changes)
    topic_pattern, value_pattern = re.compile(topic_regex.encode()), re.compile(value_regex.encode())
    keys, seen = {}, set()
    path_ms, change_ms = [], []
    all_messages = data_messages = unparsed = 0
    with open(arrivals_path, "rb") as f:
        for line in f:
            stamp, topic, payload = (line.rstrip(b"\n").split(b" ", 2) + [b""])[:3]
            arrival = int(stamp)
            inside = start_ns <= arrival <= end_ns
            all_messages += inside
            key = keys.get(topic)
            if key is None:
                match = topic_pattern.search(topic)
                key = keys[topic] = (int(match["unit"]), int(match["address"])) if match else ()
            if not key:
                continue
            match = value_pattern.search(payload)
            if not match:
                unparsed += inside
                continue
            value = int(match.group(1)) & 0xFFFF
            seen.add((key, value))
            data_messages += inside
            moment = moments.get(key, {}).get(value)
            if inside and moment:
                change_ms.append((arrival - moment[0]) / 1e6)
                if moment[1] is not None:
                    path_ms.append((arrival - moment[1]) / 1e6)
    # A change counts as missed if it happened in the window, a read served it, and no message carried it
    # (the last two intervals plus a second are left out: their messages may still be on the way).
    last = end_ns - (2 * case["interval_ms"] + 1000) * 1_000_000
    expected = missed = 0
    for key, table in moments.items():
        for value, (changed, first) in table.items():
            if first is not None and start_ns <= changed <= last:
                expected += 1
                missed += (key, value) not in seen
    seconds = (end_ns - start_ns) / 1e9
    return {
        "messages_per_s": round(all_messages / seconds, 1),
        "value_messages_per_s": round(data_messages / seconds, 1),
        "requests_per_s": round(sum(start_ns <= t <= end_ns for t in requests) / seconds, 1),
        "changes_expected": expected,
        "changes_missed": missed,
        "unparsed_value_messages": unparsed,
        "write_requests": writes,
        "latency_change_to_message_ms": percentiles(change_ms),
        "latency_read_to_message_ms": percentiles(path_ms),
    }
