"""A load test for `mlplay serve` on loopback: several keep-alive connections send prediction
requests as fast as answers come back, for a fixed time, then print latency percentiles and
throughput (the workshop's service-level test). Standard library only.

    python3 scripts/loadtest.py --url http://127.0.0.1:8080 --rows ROWS.json \\
        [--connections 8] [--seconds 5] [--batch 1]

ROWS.json is a JSON array of row objects (column → value); requests cycle through it."""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse


def percentile(sorted_ms, q):
    if not sorted_ms:
        return float("nan")
    k = min(len(sorted_ms) - 1, max(0, round(q / 100 * (len(sorted_ms) - 1))))
    return sorted_ms[k]


def run(url, rows, connections=8, seconds=5.0, batch=1):
    """Returns a dict: requests, errors, seconds, throughput (req/s), p50/p95/p99/max (ms)."""
    parts = urllib.parse.urlsplit(url)
    bodies = [json.dumps(rows[i:i + batch]).encode() for i in range(0, len(rows), batch)]
    latencies, errors = [], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(offset):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, bad, k = [], 0, offset
        while time.perf_counter() < stop:
            body = bodies[k % len(bodies)]
            k += 1
            t = time.perf_counter()
            try:
                conn.request("POST", "/predict", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            if ok:
                mine.append((time.perf_counter() - t) * 1000)
            else:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors[0], "seconds": elapsed,
        "throughput": len(latencies) / elapsed,
        "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99), "max": latencies[-1] if latencies else float("nan"),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--rows", required=True, help="JSON array of row objects")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--batch", type=int, default=1, help="rows per request")
    a = ap.parse_args()
    with open(a.rows, encoding="utf-8") as f:
        rows = json.load(f)
    r = run(a.url, rows, a.connections, a.seconds, a.batch)
    print(f"{r['requests']} requests in {r['seconds']:.1f} s over {a.connections} connections "
          f"({a.batch} row(s) each), {r['errors']} errors")
    print(f"throughput {r['throughput']:.0f} requests/s")
    print(f"latency ms: p50 {r['p50']:.2f}  p95 {r['p95']:.2f}  p99 {r['p99']:.2f}  "
          f"max {r['max']:.2f}")


if __name__ == "__main__":
    main()
