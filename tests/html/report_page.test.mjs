// SPDX-License-Identifier: MIT
//
// report_page.test.mjs - runs grow (grow.c) under libleakshim.so with two snapshots and
// a timeline, turns them into a page with `leakshim report`, opens the page in headless
// Chromium and checks what a person would see: the chart has one point per timeline row,
// the tables name the right functions with the snapshots' exact bytes, the flame graph
// has a box for the leaking function that zooms when clicked, and the page logs no error
// and asks the network for nothing.
//
// Run by run.sh (which skips when node, playwright-core or Chromium is missing):
//   node report_page.test.mjs --cli leakshim --lib libleakshim.so --program grow
//        --workdir DIR [--chromium /usr/bin/chromium]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { check, finish, openPage, parseArgs, tableRows } from "./common.mjs";

// The program under the shim: JSON snapshots snap.0.json and snap.1.json (and the exit
// report, snap.2.json), and a timeline row every 50 ms.
function runProgram(args) {
    fs.rmSync(args.workdir, { recursive: true, force: true });
    fs.mkdirSync(args.workdir, { recursive: true });
    const env = { ...process.env, LD_PRELOAD: args.lib, LEAKSHIM_FORMAT: "json",
        LEAKSHIM_OUTPUT: path.join(args.workdir, "snap.%n.json"),
        LEAKSHIM_TIMELINE: path.join(args.workdir, "timeline.tsv"),
        LEAKSHIM_TIMELINE_PERIOD: "50ms" };
    execFileSync(args.program, [], { env, stdio: "inherit" });
    const snaps = [0, 1].map((n) => path.join(args.workdir, "snap." + n + ".json"));
    const timeline = path.join(args.workdir, "timeline.tsv");
    for (const f of [...snaps, timeline])
        if (!fs.existsSync(f))
            throw new Error("the program under leakshim wrote no " + f);
    return { snaps, timeline };
}

function timelineRows(file) {
    return fs.readFileSync(file, "utf8").split("\n")
        .filter((l) => /^[0-9]+\t/.test(l)).length;
}

// The line of the frame of `fn` in the stack whose first frame is `top` and whose blocks
// number `blocks`, as the snapshot says: the page must show the same.
function frameLine(snapFile, top, blocks, fn) {
    const report = JSON.parse(fs.readFileSync(snapFile, "utf8"));
    const stack = report.stacks.find((s) => s.frames[0].function === top && s.blocks === blocks);
    if (!stack)
        throw new Error(snapFile + " has no stack of " + blocks + " blocks from " + top);
    return stack.frames.find((f) => f.function === fn).line;
}

async function checkChart(page, rows) {
    const points = await page.locator("#timeline-chart circle.point").count();
    check(points === rows, "chart has one point per timeline row (" + points + " of " + rows + ")");
    const markers = await page.locator("#timeline-chart line.snap-marker").count();
    check(markers === 2, "chart marks both snapshots (" + markers + ")");
}

async function checkTables(page, lines) {
    const live = await tableRows(page, "top-live");
    const want = [["2,500", "25", "grow_cache", "grow.c:" + lines.second],
        ["1,000", "10", "grow_cache", "grow.c:" + lines.first],
        ["640", "1", "open_session", "grow.c:" + lines.session]];
    check(live.length === 3, "top stacks table has 3 rows (" + live.length + ")");
    want.forEach((w, i) => {
        const row = live[i] || [];
        const stack = row[4] || "";
        check(row[1] === w[0] && row[2] === w[1] && stack.startsWith(w[2] + " ")
            && stack.includes(w[3]),
        "top stacks row " + (i + 1) + " is " + w.join(" ") + " (" + JSON.stringify(row) + ")");
    });

    const growth = await tableRows(page, "top-growth");
    check(growth.length === 2, "growth table has 2 rows (" + growth.length + ")");
    check(growth[0]?.[1] === "+2,500" && growth[0]?.[3].startsWith("grow_cache "),
        "biggest growth is grow_cache +2,500 (" + JSON.stringify(growth[0]) + ")");
    check(growth[1]?.[1] === "+640" && growth[1]?.[3].startsWith("open_session "),
        "next growth is open_session +640 (" + JSON.stringify(growth[1]) + ")");
}

// The flame graph has one box per function on each path: grow_cache's two call sites in
// main share main's box, so grow_cache has one box of 2,500 + 1,000 bytes.
async function checkFlame(page, lines) {
    const grow = page.locator('#flame-graph g.fg-node[data-function="grow_cache"]');
    check(await grow.count() === 1 && await grow.getAttribute("data-bytes") === "3500",
        "flame graph has one grow_cache box of 3500 bytes");
    const growWidth = (await grow.locator("rect").boundingBox())?.width || 0;
    check(growWidth > 0, "the grow_cache box is drawn (" + growWidth.toFixed(1) + " px)");

    await grow.hover();
    const tip = await page.locator("#tooltip").innerText();
    check(tip.includes("grow_cache") && tip.includes("grow.c:" + lines.grow) && tip.includes("3,500 bytes"),
        "hover shows function, file:line and bytes (" + JSON.stringify(tip) + ")");

    const session = page.locator('#flame-graph g.fg-node[data-function="open_session"]');
    const before = (await session.locator("rect").boundingBox())?.width || 0;
    const full = (await page.locator("#flame-graph").boundingBox())?.width || 0;
    await session.click();
    const after = (await session.locator("rect").boundingBox())?.width || 0;
    const focus = await page.locator("#flame-focus").innerText();
    check(before < full / 3 && after > full - 2 && focus.includes("open_session")
        && await grow.count() === 0,
    "clicking open_session zooms it to the full width (" + before.toFixed(0) + " -> "
        + after.toFixed(0) + " of " + full.toFixed(0) + " px, '" + focus + "')");
    await page.locator("#flame-reset").click();
    check(await grow.count() === 1, "reset zoom shows grow_cache again");
}

async function main() {
    const args = parseArgs(process.argv.slice(2), ["cli", "lib", "program", "workdir"]);
    const { snaps, timeline } = runProgram(args);
    const html = path.join(args.workdir, "report.html");
    execFileSync(args.cli, ["report", "-o", html, "--timeline", timeline, ...snaps], { stdio: "inherit" });
    const lines = { first: frameLine(snaps[1], "grow_cache", 10, "main"),
        second: frameLine(snaps[1], "grow_cache", 25, "main"),
        session: frameLine(snaps[1], "open_session", 1, "main"),
        grow: frameLine(snaps[1], "grow_cache", 25, "grow_cache") };

    const { browser, page, seen } = await openPage(args, html);
    try {
        await checkChart(page, timelineRows(timeline));
        await checkTables(page, lines);
        await checkFlame(page, lines);
        const subtitle = await page.locator("#subtitle").textContent();
        check(!subtitle.includes("sampled"), "exact snapshots: no word of sampling (" + subtitle + ")");
    } finally {
        await browser.close();
    }
    const more = await checkSampled(args, snaps);
    finish({ errors: [...seen.errors, ...more.seen.errors],
        requests: [...seen.requests, ...more.seen.requests] }, html, more.html);
}

// A snapshot taken with LEAKSHIM_SAMPLE holds estimates: the page says so, with the rate.
// Returns what the page logged and the file it opened.
async function checkSampled(args, snaps) {
    const sampled = path.join(args.workdir, "sampled.json");
    const report = JSON.parse(fs.readFileSync(snaps[1], "utf8"));
    report.sampled = { rate_bytes: 4096, live_bytes: 0, live_blocks: 0 };
    fs.writeFileSync(sampled, JSON.stringify(report));
    const html = path.join(args.workdir, "sampled.html");
    execFileSync(args.cli, ["report", "-o", html, snaps[0], sampled], { stdio: "inherit" });
    const { browser, page, seen } = await openPage(args, html);
    try {
        const subtitle = await page.locator("#subtitle").textContent();
        check(/; some snapshots sampled \(rate 4.?096 bytes\): their figures are estimates$/.test(subtitle),
            "a sampled snapshot is named as such (" + subtitle + ")");
    } finally {
        await browser.close();
    }
    return { seen, html };
}

main().catch((e) => {
    console.error("report_page: " + (e.stack || e));
    process.exit(1);
});
