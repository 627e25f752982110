// SPDX-License-Identifier: MIT
//
// common.mjs - what the browser tests of tests/html share: argument parsing, opening a
// page in headless Chromium while recording its errors and requests, and the verdict.
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const failures = [];

export function check(ok, what) {
    console.log((ok ? "ok: " : "FAIL: ") + what);
    if (!ok)
        failures.push(what);
}

// "--name value" pairs; run.sh always passes --chromium.
export function parseArgs(argv, needed) {
    const args = { chromium: "/usr/bin/chromium" };
    for (let i = 0; i < argv.length; i += 2)
        args[argv[i].replace(/^--/, "")] = argv[i + 1];
    for (const need of needed)
        if (!args[need])
            throw new Error("missing --" + need);
    return args;
}

// Opens file in Chromium and records console errors and warnings, uncaught page errors
// and every request the page makes.
export async function openPage(args, file) {
    const browser = await chromium.launch({ executablePath: args.chromium });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(5000); // everything is local: a missing element is a failure
    const seen = { errors: [], requests: [] };
    page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning")
            seen.errors.push("console " + m.type() + ": " + m.text());
    });
    page.on("pageerror", (e) => seen.errors.push("page error: " + e.message));
    page.on("request", (r) => seen.requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return { browser, page, seen };
}

// Rows of a table as [cells' text...].
export async function tableRows(page, id) {
    return page.$$eval("#" + id + " tbody tr", (trs) =>
        trs.map((tr) => [...tr.children].map((td) => td.innerText.trim())));
}

// The checks every page must pass, then the exit status.
export function finish(seen, ...files) {
    check(seen.errors.length === 0, "no console or page errors " + JSON.stringify(seen.errors));
    const urls = files.map((f) => pathToFileURL(f).href);
    const others = seen.requests.filter((u) => !urls.includes(u));
    check(others.length === 0, "no request but the page itself " + JSON.stringify(others));
    console.log(failures.length === 0 ? "all checks passed" : "FAILED " + failures.length + " checks");
    process.exit(failures.length === 0 ? 0 : 1);
}
