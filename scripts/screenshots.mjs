// SPDX-License-Identifier: MIT
//
// screenshots.mjs - the PNGs of docs/walkthrough-cgo.md, taken in headless Chromium with
// the browser test's playwright-core (tests/html/node_modules). screenshots.sh runs it:
//   node scripts/screenshots.mjs --page FILE.html --pprof http://127.0.0.1:PORT --out DIR
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(new URL("../tests/html/package.json", import.meta.url));
const { chromium } = require("playwright-core");

function parseArgs(argv) {
    const args = { chromium: process.env.LEAKSHIM_CHROMIUM || "/usr/bin/chromium" };
    for (let i = 0; i < argv.length; i += 2)
        args[argv[i].replace(/^--/, "")] = argv[i + 1];
    return args;
}

// pprof's server starts in the background: ask until it answers, for up to 20 s.
async function waitFor(url) {
    for (let i = 0; i < 100; i++) {
        try {
            const r = await fetch(url);
            if (r.ok)
                return;
        } catch {
            // not listening yet
        }
        await new Promise((done) => setTimeout(done, 200));
    }
    throw new Error("no answer from " + url);
}

async function shootPage(browser, args) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(path.resolve(args.page)).href);
    await page.locator("#over-time").screenshot({ path: path.join(args.out, "report-cgo-chart.png") });
    await page.locator("#live").screenshot({ path: path.join(args.out, "report-cgo-stacks.png") });

    // The flame graph as a user sees it: hovering the C function that leaks.
    const flame = page.locator("#flame");
    await flame.scrollIntoViewIfNeeded();
    await page.locator('#flame-graph g.fg-node[data-function="remember_order"] rect').hover();
    const box = await flame.boundingBox();
    await page.screenshot({ path: path.join(args.out, "report-cgo-flame.png"),
        clip: { x: box.x, y: box.y, width: box.width, height: box.height + 90 } });
    await page.close();
}

async function shootPprof(browser, args) {
    await waitFor(args.pprof + "/ui/");
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(args.pprof + "/ui/", { waitUntil: "networkidle" });
    await page.screenshot({ path: path.join(args.out, "pprof-cgo-graph.png") });
    await page.goto(args.pprof + "/ui/flamegraph", { waitUntil: "networkidle" });
    await page.waitForTimeout(1500); // its boxes grow in with an animation, labels last
    await page.screenshot({ path: path.join(args.out, "pprof-cgo-flamegraph.png") });
    await page.close();
}

const args = parseArgs(process.argv.slice(2));
const browser = await chromium.launch({ executablePath: args.chromium });
try {
    await shootPage(browser, args);
    await shootPprof(browser, args);
} finally {
    await browser.close();
}
console.log("screenshots: wrote " + ["report-cgo-chart", "report-cgo-stacks", "report-cgo-flame",
    "pprof-cgo-graph", "pprof-cgo-flamegraph"].map((n) => path.join(args.out, n + ".png")).join(" "));
