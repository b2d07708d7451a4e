#!/usr/bin/env python3
"""Matches voxperf's per-request records (--records-dir) with the server's token log by X-Request-Id and says
how far voxperf's TTFT and ITL are from the server's own account of the same requests.

Per request:  server TTFT = first token sent - request received;   voxperf TTFT = first text event - sent;
              server ITL  = (last token sent - first token sent) / (tokens - 1), genai-perf's formula on the
              server's times; voxperf ITL the same on its event times;
per token:    delivery = the event's arrival at voxperf - the server's send time of that token (and of the
              first token of each request apart: Nagle's algorithm delays that one).
Prints p50 and p99 of each difference (voxperf - server), in microseconds, per case.
"""
import glob
import json
import sys


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    h = (len(values) - 1) * p / 100.0
    lo = int(h)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (h - lo) * (values[hi] - values[lo])


def main(records_dir, server_log):
    server = {}
    for line in open(server_log):
        entry = json.loads(line)
        server[entry["request_id"]] = entry
    rows = []
    for path in sorted(glob.glob(records_dir + "/*.jsonl")):
        ttft_d, itl_d, delivery, first, ttft_v, itl_v, matched = [], [], [], [], [], [], 0
        case = None
        for line in open(path):
            r = json.loads(line)
            case = r["case"]
            s = server.get(r.get("request_id"))
            if s is None or r["status"] != "OK":
                continue
            texts = [e[0] for e in r["responses"] if e[1] == "text"]
            sends = s["token_sent_ns"]
            if len(texts) != len(sends) or len(texts) < 2:
                continue
            matched += 1
            v_ttft = texts[0] - r["sent_ns"]
            s_ttft = sends[0] - s["received_ns"]
            v_itl = (texts[-1] - texts[0]) / (len(texts) - 1)
            s_itl = (sends[-1] - sends[0]) / (len(sends) - 1)
            ttft_v.append(v_ttft / 1e6)
            itl_v.append(v_itl / 1e6)
            ttft_d.append((v_ttft - s_ttft) / 1e3)
            itl_d.append((v_itl - s_itl) / 1e3)
            delivery += [(t - u) / 1e3 for t, u in zip(texts, sends)]
            first.append((texts[0] - sends[0]) / 1e3)
        rows.append((case, matched, pct(ttft_v, 50), pct(itl_v, 50), pct(ttft_d, 50), pct(ttft_d, 99),
                     pct(itl_d, 50), pct(itl_d, 99), pct(delivery, 50), pct(delivery, 99), pct(first, 50),
                     pct(first, 99), len(delivery)))
    print("| Case | Requests matched | voxperf TTFT p50 (ms) | voxperf ITL p50 (ms) | TTFT diff p50 (us) | "
          "TTFT diff p99 (us) | ITL diff p50 (us) | ITL diff p99 (us) | token delivery p50 (us) | "
          "token delivery p99 (us) | first token delivery p50 (us) | first token delivery p99 (us) | tokens |")
    print("| :--- |" + " ---: |" * 12)
    for row in rows:
        print("| %s | %d | %.2f | %.3f | %.1f | %.1f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %d |" % row)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
