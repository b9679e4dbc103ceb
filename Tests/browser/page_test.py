"""The web page in a real browser.

Headless Chromium (Debian's chromium and chromium-driver, driven by
python3-selenium) against a real `anli serve --http 127.0.0.1:<free port>`
over an index of the repository's corpus, built for the run in a temporary
directory (and, for PDFReportPageTests, of the corpus with the seed typeset
as a PDF by tools/pdf-fixtures). Run by tools/browser-test (tools/test runs that); ANLI_BINARY
names the built `anli`.

Each test starts from a fresh page load. The console is checked after every
test: a page that logs an error fails, whatever it shows.
"""

import csv
import io
import json
import os
import re
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(REPOSITORY, "docs", "screenshots")
DESKTOP = (1280, 900)
PHONE = (390, 844)


class Daemon:
    """`anli serve` on a socket in a temporary directory and on a free loopback port."""

    def __init__(self, binary, index):
        self.directory = tempfile.mkdtemp(prefix="anli-browser-")
        self.process = subprocess.Popen(
            [binary, "serve", "--index", index, "--socket", os.path.join(self.directory, "anli.sock"),
             "--http", "127.0.0.1:0", "--log-level", "warning"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # The ready line names the page's address: "… open http://127.0.0.1:PORT/ in a browser".
        # Read on a thread: the ready line can arrive in one chunk with the next.
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in self.process.stdout] and None, daemon=True).start()
        deadline = time.time() + 60
        self.url = None
        while self.url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                self.stop()
                raise RuntimeError("anli serve printed no page address within 60 s")
            found = re.search(r"open (http://127\.0\.0\.1:\d+)/ in a browser", line)
            if found:
                self.url = found.group(1)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def browser():
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                     f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--hide-scrollbars"]:
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class PageTests(unittest.TestCase):
    binary = os.environ.get("ANLI_BINARY", "")

    @classmethod
    def setUpClass(cls):
        if not cls.binary or not os.access(cls.binary, os.X_OK):
            raise RuntimeError(f"ANLI_BINARY must name the built anli, not {cls.binary!r}")
        cls.scratch = tempfile.mkdtemp(prefix="anli-browser-index-")
        cls.index = os.path.join(cls.scratch, "index")
        subprocess.run([cls.binary, "index", "--corpus", os.path.join(REPOSITORY, "corpus"), "--index", cls.index],
                       check=True, capture_output=True)
        cls.daemon = Daemon(cls.binary, cls.index)
        cls.driver = browser()
        cls.timings = []

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.daemon.stop()
        shutil.rmtree(cls.scratch, ignore_errors=True)
        if cls.timings:
            print("\nEnter to painted results (Performance API, ms):", file=sys.stderr)
            for query, milliseconds in cls.timings:
                print(f"  {query}\t{milliseconds}", file=sys.stderr)

    def setUp(self):
        self.driver.set_window_size(*DESKTOP)
        self.driver.get_log("browser")  # drop what earlier tests left
        # The HTTP statuses a test asks for: the browser logs each such
        # answer as a network error, which is then no fault of the page's.
        self.expected_statuses = set()

    def tearDown(self):
        def expected(entry):
            return entry["source"] == "network" and any(
                f"status of {status} " in entry["message"] for status in self.expected_statuses)
        errors = [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE" and not expected(entry)]
        self.assertEqual(errors, [], "the console has errors")

    # MARK: - Helpers

    def open(self, path):
        self.driver.get(self.daemon.url + path)
        self.wait_for(".landing, .hits, .empty, .unit, .error")

    def wait_for(self, selector, timeout=15):
        try:
            return WebDriverWait(self.driver, timeout).until(
                lambda driver: driver.find_elements(By.CSS_SELECTOR, selector))[0]
        except TimeoutException:
            self.fail(f"nothing matches {selector} at {self.driver.current_url}")

    def search(self, text):
        """Types `text` into the box and presses Enter; waits for the new answer."""
        before = self.driver.execute_script("return window.anliTimings.length")
        box = self.driver.find_element(By.ID, "q")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        WebDriverWait(self.driver, 15).until(
            lambda driver: driver.execute_script("return window.anliTimings.length") > before)
        return self.driver.execute_script("return window.anliTimings[window.anliTimings.length - 1].ms")

    # Read in one script: the page replaces its results while a test polls,
    # and an element found a moment earlier may be gone (stale) by the
    # time its attribute is asked for.
    def hit_ids(self):
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('.results .hit'), (hit) => hit.dataset.id)")

    def total(self):
        total = self.driver.execute_script("const count = document.getElementById('result-count'); return count ? count.dataset.total : null")
        return int(total) if total is not None else -1

    def api(self, path):
        with urllib.request.urlopen(self.daemon.url + path) as response:
            return json.load(response)

    # MARK: - Tests

    def test_traditional_script_finds_what_simplified_finds_with_marks(self):
        self.open("/")
        self.search("产教融合")
        simplified = self.hit_ids()
        simplified_total = self.total()
        self.search("產教融合")
        self.assertEqual(self.hit_ids(), simplified)
        self.assertEqual(self.total(), simplified_total)
        self.assertEqual(simplified_total, self.api("/v1/search?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88")["total"])
        marks = [mark.text for mark in self.driver.find_elements(By.CSS_SELECTOR, ".results .snippet mark")]
        self.assertTrue(marks, "no marked words")
        self.assertTrue(all(mark == "产教融合" for mark in marks), marks)

    def test_a_school_facet_narrows_the_results_and_shows_a_chip(self):
        self.open("/?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88")
        before = self.total()
        facet = self.driver.find_element(By.CSS_SELECTOR, ".facet-school a.facet")
        expected = int(facet.find_element(By.CSS_SELECTOR, ".n").text)
        school = facet.get_attribute("data-value")
        facet.click()
        self.wait_for(".chips .chip")
        WebDriverWait(self.driver, 15).until(lambda driver: self.total() == expected)
        self.assertLess(expected, before)
        chip = self.driver.find_element(By.CSS_SELECTOR, ".chips .chip")
        self.assertEqual(chip.get_attribute("data-value"), school)
        self.assertIn(f"school={school}", urllib.parse.unquote(self.driver.current_url))
        # Counts follow the query: the kind facet now adds up to the new total or less.
        kinds = sum(int(n.text) for n in self.driver.find_elements(By.CSS_SELECTOR, ".facet-kind .n"))
        self.assertEqual(kinds, expected)
        # Removing the chip gives the first answer back.
        chip.click()
        WebDriverWait(self.driver, 15).until(lambda driver: not driver.find_elements(By.CSS_SELECTOR, ".chips .chip"))
        self.assertEqual(self.total(), before)

    def test_a_case_names_its_school(self):
        self.open("/?q=%E7%BA%A2%E8%89%B2")
        link = self.driver.find_element(By.CSS_SELECTOR, '.hit[data-id="gz-2024/case/3-2"] a.title')
        link.click()
        self.wait_for(".unit")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, ".unit").get_attribute("data-id"), "gz-2024/case/3-2")
        self.assertEqual(self.driver.find_element(By.ID, "unit-schools").text, "广州市信息技术职业学校")
        marks = [mark.text for mark in self.driver.find_elements(By.CSS_SELECTOR, "#unit-text mark")]
        self.assertIn("红色", marks)
        self.assertIn("案例 3-2", self.driver.find_element(By.ID, "citation-text").text)
        self.assertIn("774–780", self.driver.find_element(By.ID, "citation-text").text)
        figure = self.driver.find_element(By.CSS_SELECTOR, '.contains a[href*="figure"]')
        self.assertEqual(figure.text, "图 3-2")
        # The browser's back button returns to the results.
        self.driver.back()
        self.wait_for('.hit[data-id="gz-2024/case/3-2"]')

    def test_a_table_is_a_table(self):
        self.open("/?unit=gz-2024/table/6-2&q=%E7%94%9F%E5%B8%88%E6%AF%94")
        table = self.wait_for(".unit-table table")
        headers = [cell.text for cell in table.find_elements(By.CSS_SELECTOR, "thead th")]
        column = headers.index("生师比")
        row = next(row for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")
                   if row.find_elements(By.CSS_SELECTOR, "th, td")[0].text == "2023")
        self.assertEqual(row.find_elements(By.CSS_SELECTOR, "th, td")[column].text, "17.76:1")
        self.assertIn("数据来源", self.driver.find_element(By.CSS_SELECTOR, ".unit-table .source").text)
        self.assertEqual(table.find_element(By.CSS_SELECTOR, "thead mark").text, "生师比")

    def test_pages_and_the_back_button(self):
        self.open("/")
        self.search("学校")
        first = self.hit_ids()
        self.assertEqual(len(first), 10)
        self.driver.find_element(By.CSS_SELECTOR, ".pager a.next").click()
        WebDriverWait(self.driver, 15).until(lambda driver: self.hit_ids() and self.hit_ids() != first)
        second = self.hit_ids()
        self.assertIn("page=2", self.driver.current_url)
        self.assertFalse(set(first) & set(second))
        self.driver.back()
        WebDriverWait(self.driver, 15).until(lambda driver: self.hit_ids() == first)
        self.driver.forward()
        WebDriverWait(self.driver, 15).until(lambda driver: self.hit_ids() == second)
        # A reload of the URL gives the same page.
        self.driver.refresh()
        self.wait_for(".results .hit")
        self.assertEqual(self.hit_ids(), second)

    def test_a_bad_query_shows_its_message(self):
        self.expected_statuses = {400}
        self.open("/")
        box = self.driver.find_element(By.ID, "q")
        box.send_keys('"产教融合', Keys.ENTER)
        error = self.wait_for(".error")
        self.assertEqual(error.get_attribute("data-code"), "bad_query")
        message = self.api_error('/v1/search?q=%22%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88')
        self.assertIn(message, error.text)
        self.assertIn("character 1", error.text)

    def api_error(self, path):
        try:
            urllib.request.urlopen(self.daemon.url + path)
        except urllib.error.HTTPError as error:
            return json.load(error)["error"]["message"]
        self.fail(f"{path} did not fail")

    def test_csv_export_has_a_header_and_one_record_per_hit(self):
        self.open("/?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88&kind=case")
        total = self.total()
        link = self.driver.find_element(By.CSS_SELECTOR, ".export a.export-csv")
        self.assertTrue(link.get_attribute("download").endswith(".csv"))
        with urllib.request.urlopen(link.get_attribute("href")) as response:
            self.assertTrue(response.headers["Content-Type"].startswith("text/csv"))
            text = response.read().decode("utf-8-sig")
        records = list(csv.reader(io.StringIO(text)))
        self.assertEqual(records[0][:3], ["id", "kind", "report"])
        self.assertEqual(len(records) - 1, total)
        self.assertTrue(all(record[1] == "case" for record in records[1:]))
        ndjson = self.driver.find_element(By.CSS_SELECTOR, ".export a.export-ndjson").get_attribute("href")
        with urllib.request.urlopen(ndjson) as response:
            self.assertEqual(len(response.read().decode("utf-8").splitlines()), total)

    def test_the_year_chart_filters_by_year(self):
        self.open("/?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88")
        bar = self.driver.find_element(By.CSS_SELECTOR, ".years a.bar")
        year = bar.get_attribute("data-year")
        self.driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, button: 0}))", bar)
        self.wait_for(".chips .chip")
        self.assertIn(f"year={year}", self.driver.current_url)

    def test_slash_focuses_the_box_and_enter_searches(self):
        self.open("/")
        self.driver.find_element(By.TAG_NAME, "body").send_keys("/")
        focused = self.driver.switch_to.active_element
        self.assertEqual(focused.get_attribute("id"), "q")
        focused.send_keys("现代学徒制", Keys.ENTER)
        self.wait_for(".results .hit")
        self.assertIn("q=", self.driver.current_url)

    def test_a_missing_index_says_how_to_build_one(self):
        self.expected_statuses = {503}
        empty = tempfile.mkdtemp(prefix="anli-browser-empty-")
        daemon = Daemon(self.binary, empty)
        try:
            self.driver.get(daemon.url + "/?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88")
            error = self.wait_for(".error")
            self.assertEqual(error.get_attribute("data-code"), "index_not_found")
            self.assertIn("anli index", error.text)
        finally:
            daemon.stop()
            shutil.rmtree(empty, ignore_errors=True)

    def test_an_unknown_unit_is_an_error_not_a_blank_page(self):
        self.expected_statuses = {404}
        self.open("/?unit=gz-2024/case/99-99")
        error = self.wait_for(".error")
        self.assertEqual(error.get_attribute("data-code"), "unit_not_found")

    def test_zz_time_to_results_and_screenshots(self):
        # Named to run last: it leaves the window at phone width.
        os.makedirs(SCREENSHOTS, exist_ok=True)
        self.open("/")
        # Layout shifts while results arrive, counted even right after the
        # Enter key (which the browser's own score would forgive).
        self.driver.execute_script(
            "window.shifts = 0; new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.shifts += entry.value; })"
            ".observe({type: 'layout-shift', buffered: true});")
        for query in ["产教融合", "现代学徒制", "生师比", "乡村振兴 OR 帮扶", "信息学校"]:
            self.timings.append((query, self.search(query)))
        self.assertLess(self.driver.execute_script("return window.shifts"), 0.05, "results arriving move the page")
        for name, size in [("desktop", DESKTOP), ("phone", PHONE)]:
            self.driver.set_window_size(*size)
            self.open("/?q=%E4%BA%A7%E6%95%99%E8%9E%8D%E5%90%88")
            self.driver.save_screenshot(os.path.join(SCREENSHOTS, f"search-{name}.png"))
            self.open("/?unit=gz-2024/case/3-2&q=%E7%BA%A2%E8%89%B2")
            self.driver.save_screenshot(os.path.join(SCREENSHOTS, f"unit-{name}.png"))
            # Nothing wider than the window (a table scrolls inside its box).
            overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 0, f"the page is wider than a {name} window")


class PDFReportPageTests(unittest.TestCase):
    """A PDF report on the page: its units name their pages, and the
    citation names the printed ones. The index holds the corpus's text
    report and the same report typeset as a PDF (tools/pdf-fixtures)."""

    binary = PageTests.binary
    setUp = PageTests.setUp
    tearDown = PageTests.tearDown
    open = PageTests.open
    wait_for = PageTests.wait_for

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="anli-browser-pdf-")
        corpus = os.path.join(cls.scratch, "corpus")
        shutil.copytree(os.path.join(REPOSITORY, "corpus"), corpus)
        fixtures = os.path.join(cls.scratch, "fixtures")
        subprocess.run(["/usr/bin/python3", os.path.join(REPOSITORY, "tools/pdf-fixtures/generate.py"),
                        "--report", os.path.join(REPOSITORY, "corpus/guangzhou-2024.md"), "--out", fixtures],
                       check=True, capture_output=True)
        shutil.copy(os.path.join(fixtures, "gz-2024.pdf"), os.path.join(corpus, "guangzhou-2024.pdf"))
        with open(os.path.join(corpus, "reports.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        seed = manifest["reports"][0]
        manifest["reports"].append(dict(seed, id="gz-2024-pdf", title=seed["title"] + "（PDF）", file="guangzhou-2024.pdf"))
        with open(os.path.join(corpus, "reports.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False)
        cls.index = os.path.join(cls.scratch, "index")
        subprocess.run([cls.binary, "index", "--corpus", corpus, "--index", cls.index], check=True, capture_output=True)
        cls.daemon = Daemon(cls.binary, cls.index)
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.daemon.stop()
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def test_a_pdf_units_pages_are_shown_and_cited(self):
        # 案例 1-12 starts on the PDF's page 17, which prints 9.
        self.open("/?unit=gz-2024-pdf/case/1-12&q=%E7%BB%BC%E5%90%88%E9%AB%98%E4%B8%AD%E8%AF%95%E7%82%B9")
        self.wait_for("#citation-text")
        facts = self.driver.find_element(By.CSS_SELECTOR, ".facts").text
        self.assertIn("第 9–10 页（PDF 第 17–18 页）", facts)
        self.assertNotIn("行", facts.split("\n")[-2:], "a PDF unit shows its pages, not lines")
        self.assertTrue(self.driver.find_element(By.ID, "citation-text").text.endswith("第 9–10 页。"))
        self.driver.save_screenshot(os.path.join(SCREENSHOTS, "unit-pdf-desktop.png"))
        # The text report's unit still cites its lines.
        self.open("/?unit=gz-2024/case/1-12")
        self.wait_for("#citation-text")
        self.assertRegex(self.driver.find_element(By.ID, "citation-text").text, r"第 \d+–\d+ 行。$")

    def test_a_pdf_hit_shows_its_pages(self):
        self.open("/?q=%E7%BB%BC%E5%90%88%E9%AB%98%E4%B8%AD%E8%AF%95%E7%82%B9&kind=case")
        self.wait_for(".hits")
        metas = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('.results .hit'), (hit) => [hit.dataset.id, hit.querySelector('.meta').textContent])")
        by_id = dict(metas)
        self.assertIn("第 9–10 页", by_id["gz-2024-pdf/case/1-12"])
        self.assertNotIn("页", by_id["gz-2024/case/1-12"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
