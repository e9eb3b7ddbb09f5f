// Browser test for `xxgk serve`, in Debian's headless Chromium through playwright-core.
//
//   node paste_and_download.mjs <base-url> <seed.txt> <out-dir>
//
// Pastes the seed report into the page, clicks 识别 (Recognize), waits for the tables, checks
// that a consistency finding is highlighted when the seed has one, clicks 下载 Excel and saves
// the downloaded workbook as <out-dir>/downloaded.xlsx. Exit status 0 on success.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [base, seedPath, outDir] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ acceptDownloads: true });
  page.on("pageerror", (e) => { console.error("page error:", e.message); process.exitCode = 1; });
  await page.goto(base);
  await page.fill("#paste", readFileSync(seedPath, "utf8"));
  await page.click("#go");
  await page.waitForSelector("table.form td.value", { timeout: 20000 });
  const cells = await page.locator("td.value").count();
  const bad = await page.locator("td.bad").count();
  const status = await page.textContent("#status");
  // A finding's link leads to its highlighted cell.
  const links = await page.locator("a.goto").count();
  let goto = null;
  if (links > 0) {
    const link = page.locator("a.goto").first();
    const linkPath = await link.getAttribute("data-path");
    const linkText = await link.textContent();
    await link.click();
    await page.waitForSelector("td.flash", { timeout: 5000 });
    const flashed = page.locator("td.flash");
    goto = {
      link_path: linkPath,
      link_text: linkText,
      flashed: await flashed.count(),
      flashed_path: await flashed.first().getAttribute("data-path"),
      flashed_bad: await flashed.first().evaluate((td) => td.classList.contains("bad")),
      in_view: await flashed.first().isVisible(),
    };
  }
  // The blank template downloads from the page.
  const [tpl] = await Promise.all([page.waitForEvent("download"), page.click("#tpl2021")]);
  await tpl.saveAs(join(outDir, "template-2021.xlsx"));
  console.log(JSON.stringify({ cells, bad, status, links, goto }));
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click('button.dl[data-to="xlsx"]'),
  ]);
  const target = join(outDir, "downloaded.xlsx");
  await download.saveAs(target);
  await page.screenshot({ path: join(outDir, "page.png"), fullPage: true });
  writeFileSync(join(outDir, "page.json"), JSON.stringify({ cells, bad, status, links, goto }));
} finally {
  await browser.close();
}
