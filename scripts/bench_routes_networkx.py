#!/usr/bin/env python3
"""The networkx side of scripts/bench-routes: the same queries on the same graph.

usage: scripts/bench_routes_networkx.py NETWORK_DIR PAIRS

Reads `edges.tsv` (from, to, the receiving bank's fixed fee in minor units) and `fees.csv` (the
sending bank's own fee) written by scripts/gen_big_network.py --networkx-exact, so that a route's
cost in Fundflow's sense (every bank's fee) is the sending bank's fee plus the path's weight. For
each "FROM TO" pair it times `nx.dijkstra_path` (the best route) and the first five paths of
`nx.shortest_simple_paths` (the five best), and prints one line per query with the costs and the
number of banks of each path, for comparison with Fundflow's router. networkx has no limit on the
number of banks; where one of its paths has more than six, Fundflow's answer differs by design.
"""

import statistics
import sys
import time
from itertools import islice
from pathlib import Path

import networkx as nx


def main() -> None:
    directory, pairs_file = Path(sys.argv[1]), Path(sys.argv[2])
    graph = nx.DiGraph()
    started = time.perf_counter()
    with open(directory / "edges.tsv") as edges:
        for line in edges:
            source, target, fee = line.split()
            graph.add_edge(source, target, weight=int(fee))
    own = {}
    with open(directory / "fees.csv") as fees:
        next(fees)
        for line in fees:
            fields = line.strip().split(",")
            major, minor = fields[3].split(".")
            own[fields[0]] = int(major) * 100 + int(minor)
    print(f"loaded {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")

    def cost(path):
        return own[path[0]] + sum(graph[a][b]["weight"] for a, b in zip(path, path[1:]))

    best_times, five_times = [], []
    for line in pairs_file.read_text().splitlines():
        source, target = line.split()
        begin = time.perf_counter()
        best = nx.dijkstra_path(graph, source, target, weight="weight")
        best_times.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        five = list(islice(nx.shortest_simple_paths(graph, source, target, weight="weight"), 5))
        five_times.append((time.perf_counter() - begin) * 1000)
        costs = ",".join(f"{cost(p) // 100}.{cost(p) % 100:02d}" for p in five)
        print(f"query {source} {target} best {cost(best) // 100}.{cost(best) % 100:02d} banks {len(best)} "
              f"k5 {costs} banks5 {','.join(str(len(p)) for p in five)} ms1 {best_times[-1]:.3f} ms5 {five_times[-1]:.3f}")
    print(f"median best route: {statistics.median(best_times):.3f} ms; "
          f"median k=5: {statistics.median(five_times):.3f} ms; queries: {len(best_times)}")


if __name__ == "__main__":
    main()
