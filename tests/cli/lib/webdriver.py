#!/usr/bin/python3
"""A minimal W3C WebDriver client (standard library only) driving Debian's chromedriver and headless Chromium.

Protocol: the W3C WebDriver recommendation (https://www.w3.org/TR/webdriver2/): a new session is POST /session,
navigation POST /session/{id}/url, element lookup POST /session/{id}/element with a CSS selector (the element
reference is under the key "element-6066-11e4-a52e-4f735466cecf"), a click POST .../element/{e}/click (the
driver scrolls the element into view and dispatches real pointer events at its centre), typing
POST .../element/{e}/value {"text": ...}, and a screenshot GET /session/{id}/screenshot (base64 PNG).
"""
import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# Flags that keep Chromium off the network this machine does not have and out of the host's profile.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1000,900"]


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """chromedriver on a free loopback port with one headless Chromium session; close() stops both."""

    def __init__(self, profile_dir, chromedriver="chromedriver", chromium="/usr/bin/chromium", timeout=30):
        self.port = free_port()
        self.log = open(os.path.join(profile_dir, "chromedriver.log"), "w")
        self.proc = subprocess.Popen([chromedriver, "--port=%d" % self.port], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.session = None
        try:
            self._wait_ready(timeout)
            args = CHROMIUM_ARGS + ["--user-data-dir=" + os.path.join(profile_dir, "profile")]
            caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome",
                                                     "goog:chromeOptions": {"binary": chromium, "args": args}}}}
            self.session = self._call("POST", "/session", caps)["sessionId"]
        except Exception:
            self.close()
            raise

    def _call(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.load(r)["value"]
        except urllib.error.HTTPError as e:
            detail = json.load(e).get("value", {})
            raise WebDriverError("%s %s: %s: %s" % (method, path, detail.get("error"), detail.get("message")))

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise WebDriverError("chromedriver exited with %d" % self.proc.returncode)
            try:
                if self._call("GET", "/status", timeout=2).get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            time.sleep(0.1)
        raise WebDriverError("chromedriver did not become ready in %d s" % timeout)

    def _s(self, path):
        return "/session/%s%s" % (self.session, path)

    def get(self, url):
        self._call("POST", self._s("/url"), {"url": url})

    def find(self, css):
        return self._call("POST", self._s("/element"), {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self._call("POST", self._s("/element/%s/click" % self.find(css)), {})

    def type(self, css, text):
        e = self.find(css)
        self._call("POST", self._s("/element/%s/clear" % e), {})
        self._call("POST", self._s("/element/%s/value" % e), {"text": text})

    def text(self, css):
        return self._call("GET", self._s("/element/%s/text" % self.find(css)))

    def enabled(self, css):
        return self._call("GET", self._s("/element/%s/enabled" % self.find(css)))

    def attribute(self, css, name):
        return self._call("GET", self._s("/element/%s/attribute/%s" % (self.find(css), name)))

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self._call("GET", self._s("/screenshot"))))

    def wait_for(self, what, check, timeout=15):
        """Polls check() until it is true; raises with `what` after timeout seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise WebDriverError("timed out after %d s waiting for %s" % (timeout, what))

    def close(self):
        if self.session:
            try:
                self._call("DELETE", self._s(""), timeout=10)
            except (OSError, WebDriverError):
                pass
            self.session = None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
