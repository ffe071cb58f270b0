#!/usr/bin/env python3
"""Verifies a plantgate ledger export with no plantgate code: Python 3 and PyNaCl (Debian: python3-nacl).

Usage: python3 verify-ledger.py EXPORT.jsonl [KEY_ID]   (exit 0 only when every entry verifies)
Give KEY_ID (from the box, e.g. `plantgate ledger key`) to require that the chain's first key is that one.
"""
import base64, hashlib, json, sys
from nacl.signing import VerifyKey
from nacl.exceptions import BadSignatureError

def key_id(raw): return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]

def verify(lines, required_key=None):
    keys, active, prev, seqs, count = {}, None, None, {}, 0
    for index, line in enumerate(lines, 1):
        if index == 1 and line.startswith(b'{"plantgate_ledger_export"'):
            for k in json.loads(line)["keys"]:
                raw = base64.b64decode(k["public_key"]); keys[key_id(raw)] = raw
            continue
        if line.startswith(b'{"hist":true,'): line = b"{" + line[13:]   # MQTT replay mark, not signed
        cut = line.rindex(b',"hash":"')                      # signed bytes: everything before the trailer
        signed, trailer = line[:cut], json.loads(b"{" + line[cut + 1:])
        body = json.loads(signed + b"}"); chain = body["ledger"]
        where = f"entry n={chain['n']}"
        if hashlib.sha256(signed).hexdigest() != trailer["hash"]: return f"{where}: hash does not match the signed bytes"
        if prev is not None and chain["n"] != prev[0] + 1: return f"{where}: expected n={prev[0] + 1} (entry missing or out of order)"
        if prev is not None and chain["prev"] != prev[1]: return f"{where}: prev does not link to the previous entry's hash"
        if prev is None and chain["n"] == 1 and chain["prev"] != "0" * 64: return f"{where}: first entry does not start the chain"
        if active is None:
            if chain["key"] in keys: active = keys[chain["key"]]
            elif body.get("event") == "key-created" and key_id(base64.b64decode(body["public_key"])) == chain["key"]:
                active = base64.b64decode(body["public_key"])
            else: return f"{where}: signed with unknown key {chain['key']}"
            if required_key and key_id(active) != required_key: return f"{where}: chain starts with key {key_id(active)}, not {required_key}"
        if chain["key"] != key_id(active): return f"{where}: signed with {chain['key']} but the active key is {key_id(active)}"
        try: VerifyKey(active).verify(signed, base64.b64decode(trailer["sig"]))
        except BadSignatureError: return f"{where}: bad signature"
        if chain["kind"] == "period":
            slot = (body["line"], body["period"])
            if slot in seqs and body["seq"] != seqs[slot] + 1: return f"{where}: {slot} seq {body['seq']} after {seqs[slot]}"
            seqs[slot] = body["seq"]
        if body.get("event") == "key-rotated": active = base64.b64decode(body["public_key"])
        prev, count = (chain["n"], trailer["hash"]), count + 1
    return count

if __name__ == "__main__":
    data = open(sys.argv[1], "rb").read() if sys.argv[1] != "-" else sys.stdin.buffer.read()
    result = verify([l for l in data.split(b"\n") if l.strip()], sys.argv[2] if len(sys.argv) > 2 else None)
    if isinstance(result, str): print("BROKEN " + result); sys.exit(1)
    print(f"OK {result} entries")
