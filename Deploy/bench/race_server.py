#!/usr/bin/env python3
"""The race's Modbus TCP register server (holding and input registers, read function codes 3 and 4).

Prints "port N", then serves until SIGTERM. Every read it answers goes to --out as "S <monotonic ns>
<unit> <start> <count>", every timed change as "C <monotonic ns>", every write request as "W ...":
the analysis rebuilds from these which value each register had when, so latency is measured from the
moment the changed value was served (or written, for timed changes) to its arrival at the subscriber.
"""

import argparse
import selectors
import signal
import socket
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from race_config import CASES, units  # noqa: E402


class RegisterServer:
    def __init__(self, case, out):
        self.case = case
        self.out = out
        self.values = {unit: [0] * count for unit, count in units(case)}
        self.changes = case["changes"]
        self.selector = selectors.DefaultSelector()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.buffers = {}

    def serve(self):
        period = self.changes * 1_000_000 if isinstance(self.changes, int) else None
        next_change = time.monotonic_ns() + period if period else None
        running = [True]
        signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
        while running[0]:
            timeout = max(0, (next_change - time.monotonic_ns()) / 1e9) if period else 1.0
            for key, _ in self.selector.select(timeout):
                if key.fileobj is self.listener:
                    connection, _ = self.listener.accept()
                    connection.setblocking(False)
                    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.selector.register(connection, selectors.EVENT_READ)
                    self.buffers[connection] = b""
                else:
                    self.receive(key.fileobj)
            if period and time.monotonic_ns() >= next_change:
                for registers in self.values.values():
                    for address in range(len(registers)):
                        registers[address] = (registers[address] + 1) & 0xFFFF
                self.out.write(f"C {time.monotonic_ns()}\n")
                next_change += period
        self.out.flush()

    def receive(self, connection):
        try:
            data = connection.recv(65536)
        except ConnectionError:
            data = b""
        if not data:
            self.selector.unregister(connection)
            del self.buffers[connection]
            connection.close()
            return
        buffer = self.buffers[connection] + data
        replies = []
        while len(buffer) >= 7:
            length = struct.unpack_from(">H", buffer, 4)[0]
            if len(buffer) < 6 + length:
                break
            frame, buffer = buffer[:6 + length], buffer[6 + length:]
            replies.append(self.answer(frame))
        self.buffers[connection] = buffer
        if replies:
            connection.sendall(b"".join(replies))

    def answer(self, frame):
        transaction, protocol, _, unit = struct.unpack_from(">HHHB", frame)
        function = frame[7]
        header = lambda pdu: struct.pack(">HHHB", transaction, protocol, len(pdu) + 1, unit) + pdu  # noqa: E731
        if function not in (3, 4):
            self.out.write(f"W {time.monotonic_ns()} {unit} {function}\n")
            return header(bytes([function | 0x80, 1]))
        start, count = struct.unpack_from(">HH", frame, 8)
        registers = self.values.get(unit)
        if registers is None or count < 1 or count > 125 or start + count > len(registers):
            return header(bytes([function | 0x80, 2]))
        reply = header(struct.pack(f">BB{count}H", function, 2 * count, *registers[start:start + count]))
        self.out.write(f"S {time.monotonic_ns()} {unit} {start} {count}\n")
        if self.changes == "all-per-read":
            for address in range(start, start + count):
                registers[address] = (registers[address] + 1) & 0xFFFF
        elif self.changes == "one-per-read" and unit == 1 and start == 0:
            registers[0] = (registers[0] + 1) & 0xFFFF
        return reply


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", required=True, choices=list(CASES))
    parser.add_argument("--out", required=True)
    options = parser.parse_args()
    with open(options.out, "w", buffering=1 << 20) as out:
        server = RegisterServer(CASES[options.case], out)
        print(f"port {server.listener.getsockname()[1]}", flush=True)
        server.serve()


if __name__ == "__main__":
    main()
