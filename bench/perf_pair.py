#!/usr/bin/env python3
"""Pairs two perf profiles of one workload at two sizes, symbol by symbol.

    perf record -F 4999 -o small.perf build/charter query bench/data/100000/w0_load.charter -e '…'
    perf record -F 499  -o big.perf   build/charter query bench/data/1000000/w0_load.charter -e '…'
    bench/perf_pair.py small.perf 4999 big.perf 499 [TOP]

Prints the milliseconds of each symbol (samples / frequency) at both sizes and how much it
grew, the symbols the larger run spends most in first: the ones that grow faster than the
data are where the growth from one size to the next comes from (docs/performance.md).
"""
import re
import subprocess
import sys


def profile(path, hz):
    out = subprocess.run(["perf", "report", "-i", path, "--no-children", "--stdio", "--sort", "sym", "-n"],
                         capture_output=True, text=True, check=True).stdout
    ms = {}
    for line in out.splitlines():
        m = re.match(r"\s+[\d.]+%\s+(\d+)\s+\[.\]\s+(.*)", line)
        if m:
            ms[m.group(2).strip()[:90]] = int(m.group(1)) / hz * 1000
    return ms


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    small, big = profile(sys.argv[1], float(sys.argv[2])), profile(sys.argv[3], float(sys.argv[4]))
    top = int(sys.argv[5]) if len(sys.argv) == 6 else 16
    total_small, total_big = sum(small.values()), sum(big.values())
    print(f"total ms: {total_small:.0f} -> {total_big:.0f} ({total_big / total_small:.1f}x)")
    for name in sorted(big, key=lambda k: -big[k])[:top]:
        growth = f"{big[name] / small[name]:6.1f}x" if small.get(name) else "    new"
        print(f"{big[name]:8.0f} {small.get(name, 0):8.1f} {growth}  {name}")


if __name__ == "__main__":
    main()
