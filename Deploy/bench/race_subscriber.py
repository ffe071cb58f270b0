#!/usr/bin/env python3
"""The race's subscriber: a minimal MQTT 3.1.1 client subscribed to '#' at QoS 0.

Prints "subscribed" once the broker acknowledged the subscription, then writes every message to --out as
"<monotonic ns at arrival> <topic> <payload>" until SIGTERM. The time is taken when the socket read
returns, before parsing, so it is the arrival, not the parse.
"""

import argparse
import signal
import socket
import struct
import time


def packet(kind, body):
    length, encoded = len(body), bytearray()
    while True:
        byte, length = length % 128, length // 128
        encoded.append(byte | (0x80 if length else 0))
        if not length:
            return bytes([kind]) + bytes(encoded) + body


def text(value):
    return struct.pack(">H", len(value)) + value


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    connection = socket.create_connection(("127.0.0.1", options.port))
    # Keepalive 0: the broker never expects a ping from us.
    connection.sendall(packet(0x10, text(b"MQTT") + bytes([4, 0x02]) + struct.pack(">H", 0) + text(b"race-subscriber")))
    connection.sendall(packet(0x82, struct.pack(">H", 1) + text(b"#") + bytes([0])))
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    connection.settimeout(0.5)
    buffer = b""
    with open(options.out, "wb", buffering=1 << 20) as out:
        while running[0]:
            try:
                data = connection.recv(1 << 20)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            if not data:
                break
            stamp = str(time.monotonic_ns()).encode()
            buffer += data
            offset = 0
            while True:
                # Fixed header: type byte, then the remaining length in 1-4 bytes.
                if len(buffer) - offset < 2:
                    break
                length, multiplier, position = 0, 1, offset + 1
                while position < len(buffer):
                    byte = buffer[position]
                    length += (byte & 0x7F) * multiplier
                    multiplier *= 128
                    position += 1
                    if not byte & 0x80:
                        break
                else:
                    break
                if position + length > len(buffer):
                    break
                kind = buffer[offset] >> 4
                body = buffer[position:position + length]
                if kind == 3:
                    topic_length = struct.unpack_from(">H", body)[0]
                    skip = 2 if buffer[offset] & 0x06 else 0
                    payload = body[2 + topic_length + skip:].replace(b"\n", b" ")
                    out.write(stamp + b" " + body[2:2 + topic_length] + b" " + payload + b"\n")
                elif kind == 9:
                    print("subscribed", flush=True)
                offset = position + length
            buffer = buffer[offset:]


if __name__ == "__main__":
    main()
