#!/usr/bin/env python3
"""The race's subscriber: a minimal MQTT 3.1.1 client subscribed to '#' at QoS 0.

Prints "subscribed" once the broker acknowledged the subscription, then, until SIGTERM, stamps every
socket read with the monotonic clock and keeps the bytes as they came. Only at SIGTERM does it split them
into messages and write each to --out as "<monotonic ns of the read that completed it> <topic> <payload>".

Parsing after the run, not between reads, keeps the subscriber's own cost out of the latency it measures:
parsing in Python takes about 20 µs a message, so a burst of 1,000 messages parsed between reads held the
next read back by 20 ms and the burst's last messages were stamped that much late.
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


def split(buffer, offset):
    """The next whole packet in buffer at offset: (first byte, body, next offset), or None."""
    if len(buffer) - offset < 2:
        return None
    length, multiplier, position = 0, 1, offset + 1
    while position < len(buffer):
        byte = buffer[position]
        length += (byte & 0x7F) * multiplier
        multiplier *= 128
        position += 1
        if not byte & 0x80:
            break
    else:
        return None
    if position + length > len(buffer):
        return None
    return buffer[offset], buffer[position:position + length], position + length


def write_messages(reads, out):
    """reads: (stamp, bytes) in arrival order. A message gets the stamp of the read that completed it."""
    buffer = b""
    for stamp, data in reads:
        buffer += data
        offset, prefix = 0, str(stamp).encode() + b" "
        while (found := split(buffer, offset)) is not None:
            first, body, offset = found
            if first >> 4 == 3:
                topic_length = struct.unpack_from(">H", body)[0]
                skip = 2 if first & 0x06 else 0
                payload = body[2 + topic_length + skip:].replace(b"\n", b" ")
                out.write(prefix + body[2:2 + topic_length] + b" " + payload + b"\n")
        buffer = buffer[offset:]


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
    # CONNACK, then SUBACK: nothing is published to us before the SUBACK.
    buffer, offset = b"", 0
    while True:
        found = split(buffer, offset)
        if found is None:
            buffer += connection.recv(4096)
            continue
        first, _, offset = found
        if first >> 4 == 9:
            break
    reads = [(time.monotonic_ns(), buffer[offset:])]
    print("subscribed", flush=True)
    connection.settimeout(0.5)
    receive, clock, keep = connection.recv, time.monotonic_ns, reads.append
    while running[0]:
        try:
            data = receive(1 << 20)
        except (socket.timeout, InterruptedError):
            continue
        if not data:
            break
        keep((clock(), data))
    with open(options.out, "wb", buffering=1 << 20) as out:
        write_messages(reads, out)


if __name__ == "__main__":
    main()
