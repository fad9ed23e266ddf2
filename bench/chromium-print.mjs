// Gotenberg's approach, as a peer for bench/pdf-invoice.sh: one warm headless Chromium (Debian's)
// driven over CDP by playwright-core, printing the same invoice as HTML to PDF, `workers` pages
// at once for `seconds`. Prints invoices per second.
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";

const [htmlPath, seconds = "10", workers = "2", out = ""] = process.argv.slice(2);
const html = readFileSync(htmlPath, "utf8");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox"] });
const pages = await Promise.all(Array.from({ length: Number(workers) }, () => browser.newPage()));
// Warm up: one print per page.
for (const p of pages) { await p.setContent(html); const pdf = await p.pdf({ format: "A4" }); if (out) writeFileSync(out, pdf); }
let done = 0;
const end = Date.now() + Number(seconds) * 1000;
await Promise.all(pages.map(async (p) => {
  while (Date.now() < end) {
    await p.setContent(html);
    await p.pdf({ format: "A4" });
    done++;
  }
}));
const secs = Number(seconds);
console.log(`${(done / secs).toFixed(1)} invoices/s (${done} in ${secs} s, ${workers} pages at once)`);
await browser.close();
