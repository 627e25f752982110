// SPDX-License-Identifier: MIT
//
// escapes.test.mjs - `leakshim report` on hostile.json, a hand-made snapshot whose names
// hold what could break out of the page's script element or inject markup ("</script>",
// "<!--<script>", "<b>"), C++ templates, non-ASCII text and an unnamed frame. The page
// must show each name as plain text, run nothing from them, and cope with one snapshot
// that has no time and no timeline (chart by snapshot, growth from new_bytes).
//
//   node escapes.test.mjs --cli leakshim --fixture hostile.json --workdir DIR
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { check, finish, openPage, parseArgs, tableRows } from "./common.mjs";

const EVIL = "</script><script>window.pwned=1</script>";

async function checkPage(page) {
    check(await page.evaluate(() => window.pwned === undefined), "no script from the data ran");
    check(!(await page.title()).includes("pwned"), "title is not rewritten by the program name");
    check((await page.locator("#title").innerText()).includes("</script><script>document.title"),
        "the program name is shown as text");

    const live = await tableRows(page, "top-live");
    check(live.length === 3, "three stacks listed (" + live.length + ")");
    check(live[0]?.[1] === "300" && live[0]?.[4].startsWith(EVIL + " <!--<script>/evil.c:7"),
        "the '</script>' function and '<!--' file are shown as text (" + JSON.stringify(live[0]) + ")");
    check(live[1]?.[4].includes("std::vector<int, std::allocator<int> >::reserve(unsigned long)")
        && live[1]?.[4].includes("(inlined)") && live[1]?.[4].includes("gr\u00f6\u00dfe_\u03c0 & <b>bold</b>"),
    "template, inlined mark and non-ASCII name shown as text (" + JSON.stringify(live[1]) + ")");
    check(live[2]?.[4].startsWith("?? /lib/libfoo.so+0x1139"),
        "an unnamed frame shows ?? and module+offset (" + JSON.stringify(live[2]) + ")");
    check(await page.locator("#top-live b").count() === 0, "no <b> element made from a name");

    const growth = await tableRows(page, "top-growth");
    check(growth.length === 2 && growth[0][1] === "+300" && growth[1][1] === "+100",
        "one snapshot: growth is new_bytes, +300 then +100 (" + JSON.stringify(growth.map((r) => r[1])) + ")");

    const points = await page.locator("#timeline-chart circle.point").count();
    check(points === 1, "chart without timeline or time: one point for the snapshot (" + points + ")");
    const evil = page.locator("#flame-graph g.fg-node").filter({ has: page.locator("rect") })
        .and(page.locator('[data-bytes="300"]'));
    check(await evil.getAttribute("data-function") === EVIL, "flame box named by the exact string");
}

async function main() {
    const args = parseArgs(process.argv.slice(2), ["cli", "fixture", "workdir"]);
    fs.rmSync(args.workdir, { recursive: true, force: true });
    fs.mkdirSync(args.workdir, { recursive: true });
    const html = path.join(args.workdir, "hostile.html");
    execFileSync(args.cli, ["report", "-o", html, args.fixture], { stdio: "inherit" });
    // The page's own two script elements close; no name may add a closing tag.
    const closers = fs.readFileSync(html, "utf8").match(/<\/script/gi) || [];
    check(closers.length === 2, "two script closing tags in the file, the page's own (" + closers.length + ")");

    const { browser, page, seen } = await openPage(args, html);
    try {
        await checkPage(page);
    } finally {
        await browser.close();
    }
    finish(seen, html);
}

main().catch((e) => {
    console.error("escapes: " + (e.stack || e));
    process.exit(1);
});
