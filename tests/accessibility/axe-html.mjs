// Run axe-core on one HTML file in headless Chromium; print axe's violations as JSON on stdout
// (with the counts of rules passed and left incomplete).
// Usage: NODE_PATH=.venv/node/node_modules node axe-html.mjs FILE.html [WIDTHxHEIGHT]
// (scripts/bootstrap installs axe-core and puppeteer there, from package-lock.json beside this file).
// The browser is the system's (PUPPETEER_EXECUTABLE_PATH, else /usr/bin/chromium): none is downloaded.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const puppeteer = require("puppeteer");
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [file, size = "1280x900"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node axe-html.mjs FILE.html [WIDTHxHEIGHT]");
  process.exit(2);
}
const [width, height] = size.split("x").map(Number);
const browser = await puppeteer.launch({
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120000 });
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    // the whole page, every rule axe has (WCAG 2.x A and AA, and best practices)
    const found = await window.axe.run(document, { resultTypes: ["violations"] });
    return { testEngine: found.testEngine, url: found.url, violations: found.violations,
             incomplete: found.incomplete.length, passes: found.passes.length };
  });
  process.stdout.write(JSON.stringify(results));
} finally {
  await browser.close();
}
