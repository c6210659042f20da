"""The web app in headless Chromium, driven by Selenium: the flow a new user follows.

Run by scripts/browser-test.sh against a real `mbt serve` (simulated market, clock in session
hours). Each step asserts what a person would see; a screenshot of each page is saved.
"""

import argparse
import os
import shutil
import sys
import time

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--admin-user", required=True)
    parser.add_argument("--artifacts", required=True)
    return parser.parse_args()


class Flow:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.user = args.user
        self.admin = args.admin_user
        with open(args.password_file, encoding="utf-8") as handle:
            self.password = handle.readline().rstrip("\n")
        self.artifacts = args.artifacts
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"):
            options.add_argument(flag)
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(30)
        self.wait = WebDriverWait(self.driver, 15)
        self.steps = 0

    # --- helpers ---------------------------------------------------------------------------

    def step(self, name):
        self.steps += 1
        print(f"  - {name}", flush=True)

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.artifacts, f"{self.steps:02d}-{name}.png"))

    def open(self, path):
        self.driver.get(self.base + path)

    def text(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector).text

    def path(self):
        return self.driver.current_url[len(self.base):]

    def expect(self, condition, message):
        if not condition:
            self.shot("failure")
            raise AssertionError(message)

    def type_into(self, element_id, value):
        field = self.driver.find_element(By.ID, element_id)
        field.clear()
        field.send_keys(value)

    def accessibility_scan(self, name):
        """axe-core on the current page: no serious or critical violation."""
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in bad:
            targets = [node["target"] for node in violation["nodes"]][:3]
            print(f"    axe {violation['impact']}: {violation['id']}: {violation['help']} at {targets}", flush=True)
        self.expect(not bad, f"{name}: {len(bad)} serious or critical accessibility violations")
        return len(results["violations"])

    def sign_in(self, password, user=None):
        self.open("/login")
        self.type_into("username", user or self.user)
        self.type_into("password", password)
        self.driver.find_element(By.CSS_SELECTOR, "#sign-in button[type=submit]").click()

    def submit_ticket(self, symbol, side, qty, order_type, limit_price=None, tif="day"):
        self.open("/trade")
        self.type_into("symbol", symbol)
        Select(self.driver.find_element(By.ID, "side")).select_by_value(side)
        self.type_into("qty", qty)
        Select(self.driver.find_element(By.ID, "order_type")).select_by_value(order_type)
        limit = self.driver.find_element(By.ID, "limit_price")
        self.expect(limit.is_enabled() == (order_type == "limit"), "the limit price follows the order type")
        if limit_price is not None:
            self.type_into("limit_price", limit_price)
        Select(self.driver.find_element(By.ID, "time_in_force")).select_by_value(tif)
        self.driver.find_element(By.ID, "place-order").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "notice")))
        return self.text("#notice")

    # --- the flow ---------------------------------------------------------------------------

    def run(self):
        self.step("a visitor is sent to the sign-in page")
        self.open("/")
        self.expect(self.path() == "/login", f"/ should lead to /login, got {self.path()}")
        self.shot("sign-in")

        self.step("a wrong password is refused with a clear message")
        self.sign_in("not-the-password")
        # The refusal is a new page (the password's hash is checked first): wait for it, as the
        # other steps wait for theirs, rather than read the page the click left.
        self.wait.until(EC.presence_of_element_located((By.ID, "sign-in-error")))
        self.expect("Wrong user name or password." in self.text("#sign-in-error"), "wrong-password message")
        self.shot("wrong-password")

        self.step("keyboard: the first Tab reaches the skip link, with a visible focus")
        self.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        focused = self.driver.switch_to.active_element
        self.expect(focused.get_attribute("class") == "skip", "skip link is first in tab order")
        outline = self.driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
        self.expect(outline not in ("none", ""), f"focus must be visible, outline is {outline!r}")

        self.step("sign in and see the portfolio")
        self.sign_in(self.password)
        self.wait.until(EC.url_contains("/portfolio"))
        self.expect(self.text("#cash") == "$100,000.00", f"starting cash, got {self.text('#cash')}")
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "svg.curve"), "the equity curve is drawn")
        self.shot("portfolio-empty")

        self.step("the ticket shows the quote of the symbol typed")
        self.open("/trade")
        self.type_into("symbol", "AAPL")
        self.driver.find_element(By.ID, "symbol").send_keys(Keys.TAB)
        WebDriverWait(self.driver, 10).until(lambda d: "bid" in d.find_element(By.ID, "quote").text)
        self.expect(self.text("#quote-line").startswith("AAPL bid "), f"quote: {self.text('#quote-line')}")

        self.step("the ticket previews the cost and the buying power after it as the quantity is typed")
        self.type_into("qty", "5")
        WebDriverWait(self.driver, 10).until(lambda d: d.find_elements(By.ID, "preview-cost"))
        cost = self.text("#preview-cost")
        after = self.text("#preview-after")
        self.expect(cost.startswith("$") and after.startswith("$"), f"preview: cost {cost!r}, after {after!r}")
        self.type_into("qty", "50000")
        WebDriverWait(self.driver, 10).until(lambda d: d.find_elements(By.ID, "preview-warning"))
        self.expect("would be refused" in self.text("#preview-warning"), "a ticket beyond the buying power is flagged")
        self.shot("trade-preview")

        self.step("the options chain shows calls and puts by strike; a contract's link fills the ticket")
        self.open("/trade")
        self.type_into("underlying", "AAPL")
        self.driver.find_element(By.ID, "show-chain").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "chain")))
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#chain tbody tr")
        self.expect(len(rows) > 4, f"strikes listed: {len(rows)}")
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "#chain tbody td.num"), "bid, ask, mid and delta shown")
        self.shot("trade-chain")
        link = self.driver.find_element(By.CSS_SELECTOR, "#chain tbody a")
        contract = link.get_attribute("aria-label").replace("Trade ", "")
        link.click()
        self.wait.until(lambda d: d.find_element(By.ID, "symbol").get_attribute("value") == contract)

        self.step("buy at market from the order ticket")
        notice = self.submit_ticket("AAPL", "buy", "5", "market")
        self.expect("filled at" in notice, f"market buy fills at once: {notice}")
        self.shot("trade-filled")

        self.step("the position and the cash change on the portfolio")
        self.open("/portfolio")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#positions tbody tr")
        self.expect(len(rows) == 1 and rows[0].text.startswith("AAPL long 5"), f"one AAPL position of 5: {[r.text for r in rows]}")
        self.expect(self.text("#cash") != "$100,000.00", "cash was spent")
        self.shot("portfolio-position")

        self.step("the portfolio refreshes in place every 5 s without a reload")
        self.driver.execute_script("window.__sameDocument = true; document.querySelector('#live .figures').dataset.stale = 'yes';")
        WebDriverWait(self.driver, 12).until(
            lambda d: d.execute_script("var dl = document.querySelector('#live .figures'); return dl && !dl.dataset.stale;"))
        self.expect(self.driver.execute_script("return window.__sameDocument === true"), "no full reload")

        self.step("rest a limit far below the market")
        notice = self.submit_ticket("AAPL", "buy", "1", "limit", limit_price="1.00", tif="gtc")
        self.expect("resting" in notice, f"the limit rests: {notice}")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#resting-orders tbody tr")
        self.expect(len(rows) == 1, "one resting order listed")
        self.shot("trade-resting")

        self.step("replace the resting limit with a new limit price")
        rows[0].find_element(By.LINK_TEXT, "Replace").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "replace")))
        self.type_into("limit_price", "2.00")
        self.driver.find_element(By.ID, "replace-order").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "notice")))
        self.expect("limit 2.00" in self.text("#notice") and "resting" in self.text("#notice"), f"replaced: {self.text('#notice')}")
        rows = self.driver.find_elements(By.CSS_SELECTOR, "#resting-orders tbody tr")
        self.expect(len(rows) == 1 and "2.00" in rows[0].text, f"the replacement rests: {[r.text for r in rows]}")
        rows[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "no-resting")))
        self.expect("canceled" in self.text("#notice"), "cancel confirmed")
        self.step("the replacement is canceled")

        self.step("a validation message appears next to its field")
        self.open("/trade")
        self.type_into("symbol", "AAPL")
        Select(self.driver.find_element(By.ID, "order_type")).select_by_value("market")
        self.driver.find_element(By.ID, "place-order").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "qty-error")))
        self.expect("qty is required" in self.text("#qty-error"), "the qty message")
        self.expect(self.driver.find_element(By.ID, "symbol").get_attribute("value") == "AAPL", "typed values are kept")

        self.step("history shows the filled and the canceled order; the tax lot is listed")
        self.open("/history")
        statuses = [cell.text.split("\n")[0] for cell in self.driver.find_elements(By.CSS_SELECTOR, "#orders td.status")]
        self.expect("filled" in statuses and "canceled" in statuses, f"statuses: {statuses}")
        lots = self.driver.find_elements(By.CSS_SELECTOR, "#lots tbody tr")
        self.expect(any(" AAPL " in f" {row.text} " and "open" in row.text for row in lots), f"the AAPL lot: {[r.text for r in lots]}")
        self.expect(self.driver.find_elements(By.CSS_SELECTOR, "#tax-summary tr"), "the year's tax summary")
        self.expect(self.driver.find_element(By.ID, "form-8949").get_attribute("href").endswith("/history/form-8949.csv?year=2026"),
                    "the Form 8949 download")
        self.shot("history")
        Select(self.driver.find_element(By.ID, "status")).select_by_value("canceled")
        self.driver.find_element(By.CSS_SELECTOR, "#filters button").click()
        self.wait.until(EC.url_contains("status=canceled"))
        statuses = [cell.text.split("\n")[0] for cell in self.driver.find_elements(By.CSS_SELECTOR, "#orders td.status")]
        self.expect(statuses == ["canceled", "canceled"], f"filtered statuses (the replaced order and its replacement): {statuses}")

        self.step("axe-core finds no serious or critical accessibility violation on any page")
        self.open("/trade?underlying=AAPL")
        self.wait.until(EC.presence_of_element_located((By.ID, "chain")))
        minor = self.accessibility_scan("/trade with the chain")
        self.open("/history")
        minor += self.accessibility_scan("history")
        for path in ("/portfolio", "/trade", "/trade/orders/2/replace", "/login"):
            self.open(path)
            minor += self.accessibility_scan(path)
        print(f"    (minor or moderate findings: {minor})", flush=True)
        self.open("/history")

        self.step("a post without the CSRF token is refused")
        status = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "fetch('/trade/orders', {method: 'POST', credentials: 'same-origin',"
            " body: new URLSearchParams({symbol: 'AAPL', side: 'buy', qty: '1', order_type: 'market'})})"
            ".then(function (r) { done(r.status); }, function () { done(-1); });")
        self.expect(status == 403, f"CSRF-less post answered {status}")

        self.step("the 390 px layout has no sideways page scroll")
        self.driver.set_window_size(390, 844)
        for path, name in (("/portfolio", "narrow-portfolio"), ("/trade", "narrow-trade"), ("/trade?underlying=AAPL", "narrow-chain"),
                           ("/history", "narrow-history")):
            self.open(path)
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            viewport = self.driver.execute_script("return document.documentElement.clientWidth")
            self.expect(width <= viewport, f"{path}: page is {width}px wide in a {viewport}px viewport")
            self.shot(name)
        self.driver.set_window_size(1280, 900)

        self.step("sign out")
        self.open("/portfolio")
        self.driver.find_element(By.ID, "sign-out").click()
        self.wait.until(EC.url_contains("/login"))
        self.open("/portfolio")
        self.expect(self.path() == "/login", "signed out: the portfolio needs a sign-in again")
        self.shot("signed-out")

        self.step("an admin resets the account after confirming twice")
        self.sign_in(self.password, user=self.admin)
        self.wait.until(EC.url_contains("/portfolio"))
        self.open("/admin/reset")
        self.type_into("user", self.user)
        self.driver.find_element(By.ID, "reset-review").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "reset-effects")))
        effects = self.text("#reset-effects")
        self.expect("long 5 AAPL" in effects and "$100,000.00" in effects, f"the first step names what will happen: {effects}")
        self.expect(self.user in self.text("#confirm-heading"), "the first step names the account")
        minor = self.accessibility_scan("reset: first step")
        self.shot("admin-reset-confirm")
        self.driver.find_element(By.ID, "reset-continue").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "confirm_name")))
        self.type_into("confirm_name", self.user + "x")
        self.driver.find_element(By.ID, "reset-submit").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "confirm_name-error")))
        minor += self.accessibility_scan("reset: typed confirmation")
        self.type_into("confirm_name", self.user)
        self.driver.find_element(By.ID, "reset-submit").click()
        self.wait.until(EC.presence_of_element_located((By.ID, "notice")))
        self.expect("was reset" in self.text("#notice"), f"reset confirmed: {self.text('#notice')}")
        self.shot("admin-reset-done")
        self.driver.set_window_size(390, 844)
        self.open("/admin/reset?user=" + self.user)
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        viewport = self.driver.execute_script("return document.documentElement.clientWidth")
        self.expect(width <= viewport, f"/admin/reset: page is {width}px wide in a {viewport}px viewport")
        self.expect("$100,000.00 back to the starting balance" in self.text("#reset-effects"), "the account is back to its start")
        self.shot("narrow-admin-reset")
        self.driver.set_window_size(1280, 900)
        print(f"    (minor or moderate findings on the admin pages: {minor})", flush=True)

    def close(self):
        self.driver.quit()


def main():
    args = parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    started = time.monotonic()
    flow = Flow(args)
    try:
        flow.run()
    finally:
        flow.close()
    print(f"browser flow: {flow.steps} steps in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
