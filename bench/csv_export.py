"""Stream the whole agreements list as CSV (or .xlsx) through the API and report its cost as JSON.

Run by the benchmark in a process of its own: python -m bench.csv_export DATABASE [csv|xlsx].
Peak RSS is the kernel's high-water mark for this process (VmHWM).
"""

import json
import sys
import time


def rss_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    from bench.__main__ import analyst_token, configure

    configure(sys.argv[1])
    export_format = sys.argv[2] if len(sys.argv) > 2 else "csv"
    from rest_framework.test import APIClient

    from partnerships.models import Agreement

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {analyst_token()}")
    # Warm the code paths on a one-row export so the baseline includes every import.
    b"".join(client.get("/api/v1/agreements/", {"format": export_format, "id": "1"}).streaming_content)
    baseline = rss_mb("VmRSS")
    started = time.perf_counter()
    response = client.get("/api/v1/agreements/", {"format": export_format})
    assert response.status_code == 200 and response.streaming, (response.status_code, response.streaming)
    lines = size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "format": export_format,
                # A CSV has a header line and one line per row (quoted cells may hold line
                # breaks, generated ones do not); a workbook's rows are not lines.
                "rows": lines - 1 if export_format == "csv" else Agreement.objects.count(),
                "seconds": seconds,
                "megabytes": size / 1e6,
                "peak_rss_mb": rss_mb("VmHWM"),
                "baseline_rss_mb": baseline,
            }
        )
    )


if __name__ == "__main__":
    main()
