/// A Python 3 program that decodes Sparkplug B payload files with Google's protobuf runtime and
/// prints them as JSON: a decoder this project did not write. Argument 1 is the directory holding
/// `sparkplug_b_pb2.py` (protoc's output for our .proto); the rest are payload files.
///
/// It also checks the field numbers and the DataType numbers of that schema against the table
/// printed in the Sparkplug 3.0 specification, so a wrong number in our .proto cannot go unseen
/// by both sides agreeing with each other.
let pythonDecoderScript = #"""
import json
import sys

sys.path.insert(0, sys.argv[1])
import sparkplug_b_pb2 as spb

SPEC_FIELDS = {
    "Payload": {"timestamp": 1, "metrics": 2, "seq": 3, "uuid": 4, "body": 5},
    "Metric": {"name": 1, "alias": 2, "timestamp": 3, "datatype": 4, "is_historical": 5,
               "is_transient": 6, "is_null": 7, "metadata": 8, "properties": 9, "int_value": 10,
               "long_value": 11, "float_value": 12, "double_value": 13, "boolean_value": 14,
               "string_value": 15, "bytes_value": 16, "dataset_value": 17, "template_value": 18,
               "extension_value": 19},
    "PropertySet": {"keys": 1, "values": 2},
    "PropertyValue": {"type": 1, "is_null": 2, "int_value": 3, "long_value": 4, "float_value": 5,
                      "double_value": 6, "boolean_value": 7, "string_value": 8},
}
SPEC_TYPES = {"Int32": 3, "Int64": 4, "UInt64": 8, "Double": 10, "Boolean": 11, "String": 12}

descriptors = {
    "Payload": spb.Payload.DESCRIPTOR,
    "Metric": spb.Payload.Metric.DESCRIPTOR,
    "PropertySet": spb.Payload.PropertySet.DESCRIPTOR,
    "PropertyValue": spb.Payload.PropertyValue.DESCRIPTOR,
}
problems = []
for message, fields in SPEC_FIELDS.items():
    for field, number in fields.items():
        found = descriptors[message].fields_by_name.get(field)
        if found is None or found.number != number:
            problems.append(f"{message}.{field} should be field {number}")
for name, number in SPEC_TYPES.items():
    if spb.DataType.Value(name) != number:
        problems.append(f"DataType {name} should be {number}")
if problems:
    print("schema differs from the specification: " + "; ".join(problems), file=sys.stderr)
    sys.exit(2)


def text(holder):
    kind = holder.WhichOneof("value")
    if kind is None:
        return None, None
    value = getattr(holder, kind)
    if isinstance(value, bool):
        return kind, "true" if value else "false"
    return kind, repr(value) if isinstance(value, float) else str(value)


out = []
for path in sys.argv[2:]:
    payload = spb.Payload()
    with open(path, "rb") as handle:
        payload.ParseFromString(handle.read())
    metrics = []
    for metric in payload.metrics:
        kind, value = text(metric)
        properties = {}
        for key, prop in zip(metric.properties.keys, metric.properties.values):
            prop_kind, prop_value = text(prop)
            properties[key] = {"type": prop.type, "value": prop_value}
        metrics.append({
            "name": metric.name if metric.HasField("name") else None,
            "alias": metric.alias if metric.HasField("alias") else None,
            "datatype": spb.DataType.Name(metric.datatype) if metric.HasField("datatype") else None,
            "timestamp": metric.timestamp,
            "is_historical": metric.is_historical,
            "is_null": metric.is_null,
            "value_kind": kind,
            "value": value,
            "properties": properties,
        })
    out.append({
        "file": path,
        "seq": payload.seq if payload.HasField("seq") else None,
        "timestamp": payload.timestamp,
        "metrics": metrics,
    })
print(json.dumps(out))
"""#
