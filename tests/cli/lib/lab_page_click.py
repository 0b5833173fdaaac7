#!/usr/bin/python3
"""lab_page_click.py URL TOKEN SCRATCH: what a person does on the lab's page, from outside the page, through
WebDriver: wait for the one connected device on the chart, try Migrate with a wrong token, type the right one,
tick the portal's two confirmation boxes and "disconnect", click Migrate, and wait for the new chain and the
chart's fall. Prints one line per observation for the calling test to check; takes a screenshot of each state."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Browser, WebDriverError  # noqa: E402


def last_point_y(b):
    points = (b.attribute("#line", "points") or "").split()
    return points[-1].split(",")[1] if points else "none"


def state(b):
    return "hub=%s connected=%s last-point-y=%s" % (b.text("#hub"), b.text("#connected"), last_point_y(b))


def main():
    url, token, scratch = sys.argv[1:4]
    b = Browser(scratch)
    try:
        b.get(url)
        b.wait_for("one connected device on the chart", lambda: last_point_y(b) not in ("none", "155.0"))
        print("before", state(b))
        b.screenshot(os.path.join(scratch, "before.png"))
        print("migrate enabled before the boxes:", str(b.enabled("#migrate")).lower())
        b.click("#ack1")
        print("migrate enabled after one box:", str(b.enabled("#migrate")).lower())
        b.click("#ack2")
        print("migrate enabled after both boxes:", str(b.enabled("#migrate")).lower())
        b.click("#disconnect")
        b.type("#token", "not-the-token")
        b.click("#migrate")
        b.wait_for("the refusal", lambda: "refused" in b.text("#msg"))
        print("wrong token:", b.text("#msg"), "hub=" + b.text("#hub"))
        b.type("#token", token)
        b.click("#migrate")
        b.wait_for("the new chain and an empty chart",
                   lambda: b.text("#hub") == "new" and last_point_y(b) == "155.0")
        print("after", state(b), "msg=" + b.text("#msg").replace(" ", "-"))
        b.screenshot(os.path.join(scratch, "after.png"))
    except WebDriverError as e:
        print("webdriver:", e)
        return 1
    finally:
        b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
