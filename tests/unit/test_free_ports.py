"""The ports handed to the processes of one test or benchmark system are distinct and free."""

from __future__ import annotations

import socket

from waystation.bench.ports import cluster_ports, free_ports


def test_free_ports_are_distinct_and_bindable():
    ports = free_ports(40)
    assert len(set(ports)) == 40
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_cluster_ports_leave_room_for_every_bus_port():
    ports = cluster_ports(6)
    buses = [p + 10_000 for p in ports]
    assert len(set(ports + buses)) == 12
    assert all(bus < 65_536 for bus in buses)
