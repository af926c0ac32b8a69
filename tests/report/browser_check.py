#!/usr/bin/env python3
"""Opens a report.html in headless Chromium over the DevTools protocol and checks it.

Checks: no console error or uncaught exception, no network request besides the page itself, the
Content-Security-Policy meta forbids fetching (the policy refuses a probe fetch), every --expect id is in
the DOM, and in a full-page screenshot (written to --screenshot) every --nonblank element's
region holds a real picture (enough non-background pixels, several colours). Prints one line
per failure and exits 1 on any; needs the `websocket` module (Debian python3-websocket).

Usage: browser_check.py --chromium BIN --page FILE --screenshot OUT.png
                        --expect id,id,... --nonblank id,id,...
"""
import argparse
import base64
import json
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib

import websocket


def decode_png(data):
    """RGB(A) 8-bit non-interlaced PNG -> (width, height, channels, bytes rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, "unsupported PNG"
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * ch, [], bytearray(width * ch)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b, c = prev[i], prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, ch, rows


def region_stats(png, rect):
    """(share of pixels far from the region's most common colour, distinct colours)."""
    width, height, ch, rows = png
    x0, y0 = max(0, int(rect["x"])), max(0, int(rect["y"]))
    x1, y1 = min(width, int(rect["x"] + rect["width"])), min(height, int(rect["y"] + rect["height"]))
    counts = {}
    for y in range(y0, y1, 2):
        row = rows[y]
        for x in range(x0, x1, 2):
            px = tuple(row[x * ch:x * ch + 3])
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    if not total:
        return 0.0, 0
    bg = max(counts, key=counts.get)
    far = sum(n for px, n in counts.items() if sum(abs(p - q) for p, q in zip(px, bg)) > 60)
    return far / total, len(counts)


class Cdp:
    """A DevTools page session: send() waits for the reply and keeps every event seen."""

    def __init__(self, url):
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id, self.events = 0, []

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method, seconds):
        end = time.time() + seconds
        while time.time() < end:
            if any(e.get("method") == method for e in self.events):
                return True
            self.ws.settimeout(max(0.1, end - time.time()))
            try:
                self.events.append(json.loads(self.ws.recv()))
            except websocket.WebSocketTimeoutException:
                break
        self.ws.settimeout(30)
        return any(e.get("method") == method for e in self.events)

    def drain(self, seconds):
        self.wait_for("-none-", seconds)

    def eval(self, expr, await_promise=False):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True,
                      awaitPromise=await_promise)
        return r.get("result", {}).get("value")


def start_chromium(binary, profile):
    args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            f"--user-data-dir={profile}", "about:blank"]
    # Its own session: chromium's helper processes (zygote, renderers) are stopped with it.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    port_file = pathlib.Path(profile) / "DevToolsActivePort"
    for _ in range(300):
        if port_file.exists() and port_file.read_text().strip():
            port = int(port_file.read_text().split()[0])
            for _ in range(50):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                        pages = [t for t in json.load(r) if t["type"] == "page"]
                    if pages:
                        return proc, pages[0]["webSocketDebuggerUrl"]
                except OSError:
                    pass
                time.sleep(0.1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    stop_chromium(proc)
    raise RuntimeError("chromium did not open its DevTools port")


def check(cdp, page_url, args):
    failures = []
    for domain in ("Page", "Runtime", "Log", "Network"):
        cdp.send(f"{domain}.enable")
    cdp.send("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1,
             mobile=False)
    cdp.send("Page.navigate", url=page_url)
    if not cdp.wait_for("Page.loadEventFired", 30):
        failures.append("the page did not finish loading")
    cdp.drain(0.5)
    for e in cdp.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            failures.append(f"console error: {p.get('args')}")
        elif m == "Runtime.exceptionThrown":
            failures.append(f"uncaught exception: {p.get('exceptionDetails', {}).get('text')}")
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            failures.append(f"log error: {p['entry'].get('text')}")
        elif m == "Network.requestWillBeSent" and p["request"]["url"] != page_url:
            failures.append(f"network request: {p['request']['url']}")
    csp = cdp.eval("(document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')||{}).content||''")
    if "default-src 'none'" not in csp:
        failures.append(f"no Content-Security-Policy forbidding fetches: {csp!r}")
    # The policy itself must refuse a fetch (a refused connection would look the same).
    probe = cdp.eval("new Promise(done => { document.addEventListener('securitypolicyviolation', "
                     "e => done('refused by ' + e.effectiveDirective), {once: true}); "
                     "fetch('http://127.0.0.1:9/probe').catch(() => {}); "
                     "setTimeout(() => done('not refused by the policy'), 3000); })", True)
    if not str(probe).startswith("refused by"):
        failures.append(f"a probe fetch was {probe}")
    for id_ in filter(None, args.expect.split(",")):
        if not cdp.eval(f"!!document.getElementById({json.dumps(id_)})"):
            failures.append(f"missing in the DOM: #{id_}")
    return failures


def screenshot_checks(cdp, args):
    failures = []
    size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
    height = int(min(size["height"], 16000))
    cdp.send("Emulation.setDeviceMetricsOverride", width=1280, height=height, deviceScaleFactor=1,
             mobile=False)
    cdp.drain(0.3)
    shot = base64.b64decode(cdp.send("Page.captureScreenshot", format="png")["data"])
    pathlib.Path(args.screenshot).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.screenshot).write_bytes(shot)
    png = decode_png(shot)
    for id_ in filter(None, args.nonblank.split(",")):
        rect = cdp.eval(f"(() => {{ const e = document.getElementById({json.dumps(id_)}); if (!e) "
                        "return null; const r = e.getBoundingClientRect(); return {x: r.x + "
                        "scrollX, y: r.y + scrollY, width: r.width, height: r.height}; })()")
        if not rect or rect["width"] < 50 or rect["height"] < 30:
            failures.append(f"#{id_} is missing or too small to see: {rect}")
            continue
        ink, colours = region_stats(png, rect)
        print(f"#{id_}: {rect['width']:.0f}x{rect['height']:.0f} px, {ink:.1%} drawn, "
              f"{colours} colours")
        if ink < 0.03 or colours < 4:
            failures.append(f"#{id_} looks blank in the screenshot ({ink:.1%} drawn, {colours} colours)")
    return failures


def stop_chromium(proc):
    """Stops chromium and every helper process it started, so none writes into the profile after."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            continue
        # The main process is gone; give its group a moment to follow before the profile goes.
        for _ in range(50):
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    ap.add_argument("--page", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--expect", default="")
    ap.add_argument("--nonblank", default="")
    args = ap.parse_args()
    page_url = pathlib.Path(os.path.abspath(args.page)).as_uri()
    # A profile file chromium writes late must not fail a check that already ran.
    with tempfile.TemporaryDirectory(prefix="segmint-chromium-", ignore_cleanup_errors=True) as profile:
        proc, ws_url = start_chromium(args.chromium, profile)
        try:
            cdp = Cdp(ws_url)
            failures = check(cdp, page_url, args) + screenshot_checks(cdp, args)
        finally:
            stop_chromium(proc)
    for f in failures:
        print("FAIL:", f)
    print(f"{args.page}: {'ok' if not failures else f'{len(failures)} failure(s)'}; "
          f"screenshot {args.screenshot}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
