// page.js - draws a `leakshim report` page from the JSON in #leakshim-data: the live-bytes
// chart, the snapshot list, the top-stack tables and the flame graph, as inline SVG.
//
// Plain browser JavaScript, no library and no network: the page is opened from disk.
// It is embedded in an HTML script element, so a closing script tag must never appear
// here, not even in a comment (embed.cmake stops the build if one does).
"use strict";

(function () {
    const data = JSON.parse(document.getElementById("leakshim-data").textContent);
    const frames = data.frames || [];
    const SVG_NS = "http://www.w3.org/2000/svg";
    const FRAMES_SHOWN = 8; // longer stacks fold the rest under "N more frames"

    // ---- small DOM helpers --------------------------------------------------------------

    function el(tag, attrs, ...children) {
        const e = document.createElement(tag);
        setAttrs(e, attrs);
        for (const c of children)
            if (c !== null && c !== undefined)
                e.append(c);
        return e;
    }

    function svg(tag, attrs, ...children) {
        const e = document.createElementNS(SVG_NS, tag);
        setAttrs(e, attrs);
        for (const c of children)
            if (c !== null && c !== undefined)
                e.append(c);
        return e;
    }

    function setAttrs(e, attrs) {
        for (const [k, v] of Object.entries(attrs || {}))
            if (v !== null && v !== undefined)
                e.setAttribute(k, String(v));
    }

    // ---- numbers ------------------------------------------------------------------------

    // Exact counts with thousands separators: the tables must show the report's bytes.
    function fmtInt(n) {
        return Math.round(n).toLocaleString("en-US");
    }

    const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

    function fmtBytes(n) {
        let i = 0;
        while (Math.abs(n) >= 1024 && i < UNITS.length - 1) {
            n /= 1024;
            i++;
        }
        const digits = i === 0 || Math.abs(n) >= 100 ? 0 : 1;
        return n.toFixed(digits) + " " + UNITS[i];
    }

    function fmtSeconds(s) {
        if (Math.abs(s) < 120)
            return (Math.round(s * 1000) / 1000) + " s";
        const m = Math.floor(s / 60);
        const rest = Math.round(s - m * 60);
        return m + ":" + String(rest).padStart(2, "0");
    }

    function fmtDate(ms) {
        return ms > 0 ? new Date(ms).toISOString().replace("T", " ").replace("Z", " UTC") : "";
    }

    // 1, 2 or 5 times a power of ten, the first at least raw.
    function niceStep(raw) {
        if (!(raw > 0))
            return 1;
        const p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (const m of [1, 2, 5, 10])
            if (m * p >= raw)
                return m * p;
        return 10 * p;
    }

    // Byte axis ticks fall on round numbers of the unit the maximum is shown in.
    function byteTicks(max, count) {
        let unit = 1;
        while (max / unit >= 1024 && unit < Math.pow(1024, 4))
            unit *= 1024;
        const step = niceStep(max / unit / count) * unit;
        const ticks = [0];
        while (ticks[ticks.length - 1] < max) // the last tick is the top: at least max
            ticks.push(ticks.length * step);
        return ticks;
    }

    // ---- frames -------------------------------------------------------------------------

    function baseName(path) {
        return path ? path.slice(path.lastIndexOf("/") + 1) : "";
    }

    function frameName(f) {
        if (f.function)
            return f.function;
        if (f.module)
            return baseName(f.module) + "+" + f.offset;
        return "??";
    }

    function frameWhere(f) {
        if (f.file)
            return f.file + (f.line > 0 ? ":" + f.line : "");
        if (f.module)
            return f.module + "+" + f.offset;
        return "";
    }

    function frameItem(id) {
        const f = frames[id];
        return el("li", null, el("span", { class: "fn" }, f.function || "??"), " ",
            el("span", { class: "loc" }, frameWhere(f)),
            f.inlined ? el("span", { class: "inl" }, " (inlined)") : null);
    }

    function frameList(ids) {
        const head = el("ol", { class: "frames" }, ...ids.slice(0, FRAMES_SHOWN).map(frameItem));
        if (ids.length <= FRAMES_SHOWN)
            return head;
        const rest = el("ol", { class: "frames", start: FRAMES_SHOWN + 1 },
            ...ids.slice(FRAMES_SHOWN).map(frameItem));
        const more = el("details", { class: "more" },
            el("summary", null, (ids.length - FRAMES_SHOWN) + " more frames"), rest);
        return el("div", null, head, more);
    }

    // ---- tooltip ------------------------------------------------------------------------

    const tooltip = document.getElementById("tooltip");

    function showTip(ev, ...lines) {
        tooltip.replaceChildren(...lines.map((l) => el("div", null, l)));
        tooltip.hidden = false;
        const x = Math.min(ev.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
        const y = ev.clientY + 16 + tooltip.offsetHeight > window.innerHeight
            ? ev.clientY - tooltip.offsetHeight - 10 : ev.clientY + 16;
        tooltip.style.left = Math.max(4, x) + "px";
        tooltip.style.top = Math.max(4, y) + "px";
    }

    function hideTip() {
        tooltip.hidden = true;
    }

    function hoverTip(node, lines) {
        node.addEventListener("mousemove", (ev) => showTip(ev, ...lines()));
        node.addEventListener("mouseleave", hideTip);
    }

    // ---- header and snapshot table ------------------------------------------------------

    function renderHeader() {
        const snaps = data.snapshots;
        const last = snaps[snaps.length - 1];
        const who = (data.program || "unknown program") + (data.pid ? " (pid " + data.pid + ")" : "");
        document.title = "leakshim report: " + baseName(data.program || "") + (data.pid ? " " + data.pid : "");
        document.getElementById("title").textContent = "leakshim report: " + who;
        document.getElementById("subtitle").textContent = snaps.length + " snapshot"
            + (snaps.length === 1 ? "" : "s") + "; last: " + fmtInt(last.live_bytes)
            + " live bytes in " + fmtInt(last.live_blocks) + " blocks"
            + (data.timeline ? "; timeline of " + data.timeline.samples.length + " samples" : "")
            + sampledNote(snaps);
    }

    // Sampled snapshots (LEAKSHIM_SAMPLE) hold estimates: say so once, with the rates.
    function sampledNote(snaps) {
        const rates = [...new Set(snaps.filter((s) => s.sample_rate_bytes)
            .map((s) => fmtInt(s.sample_rate_bytes)))];
        if (rates.length === 0)
            return "";
        const which = snaps.every((s) => s.sample_rate_bytes) ? "all snapshots" : "some snapshots";
        return "; " + which + " sampled (rate " + rates.join(", ") + " bytes): their figures are estimates";
    }

    function renderSnapshots() {
        const body = document.querySelector("#snapshot-table tbody");
        data.snapshots.forEach((s, i) => {
            body.append(el("tr", null, el("td", null, "S" + (i + 1)),
                el("td", null, fmtDate(s.time_unix_ms) || "unknown"),
                el("td", null, s.reason || ""),
                el("td", { class: "num" }, fmtInt(s.live_bytes)),
                el("td", { class: "num" }, fmtInt(s.live_blocks)),
                el("td", { class: "num" }, fmtInt(s.stacks)),
                el("td", { class: "mono" }, s.path + " (" + s.input_format + ")")));
        });
    }

    // ---- live bytes chart ---------------------------------------------------------------

    // The points the line goes through: every timeline row, else one per snapshot. With
    // no time for some snapshot (a pprof file may carry none), snapshots stand at their
    // index.
    function chartPoints() {
        const tl = data.timeline;
        if (tl && tl.samples.length > 0)
            return { byTime: true, pts: tl.samples.map((s) => ({ t: s[0], bytes: s[1], blocks: s[2],
                allocs: s[3], frees: s[4] })) };
        const byTime = data.snapshots.every((s) => s.time_unix_ms > 0);
        return { byTime, pts: data.snapshots.map((s, i) => ({ t: byTime ? s.time_unix_ms : i,
            bytes: s.live_bytes, blocks: s.live_blocks, snap: i })) };
    }

    function chartMarkers(byTime) {
        return data.snapshots.map((s, i) => ({ i, t: byTime ? s.time_unix_ms : i, s }))
            .filter((m) => !byTime || m.t > 0);
    }

    function chartScales(pts, markers, box, byTime) {
        const ts = pts.map((p) => p.t).concat(markers.map((m) => m.t));
        let t0 = Math.min(...ts), t1 = Math.max(...ts);
        if (t1 === t0) { // one point: a second (or one snapshot) either side of it
            const pad = byTime ? 1000 : 1;
            t0 -= pad;
            t1 += pad;
        }
        const yTicks = byteTicks(Math.max(1, ...pts.map((p) => p.bytes)) * 1.05, 5);
        const yMax = yTicks[yTicks.length - 1];
        return {
            t0, t1, yTicks,
            x: (t) => box.left + (t - t0) / (t1 - t0) * (box.width - box.left - box.right),
            y: (b) => box.height - box.bottom - b / yMax * (box.height - box.top - box.bottom),
        };
    }

    function drawYAxis(g, sc, box) {
        for (const v of sc.yTicks) {
            const y = sc.y(v);
            g.append(svg("line", { class: "grid-line", x1: box.left, x2: box.width - box.right,
                y1: y, y2: y, stroke: "currentColor", "stroke-opacity": 0.15 }));
            g.append(svg("text", { x: box.left - 6, y: y + 4, "text-anchor": "end" }, fmtBytes(v)));
        }
    }

    // Time ticks at round seconds from the first point, snapshot ticks at each index.
    function drawXAxis(g, sc, box, byTime) {
        const y = box.height - box.bottom;
        g.append(svg("line", { class: "axis-line", x1: box.left, x2: box.width - box.right,
            y1: y, y2: y, stroke: "currentColor", "stroke-opacity": 0.5 }));
        const origin = data.chartOrigin;
        const unit = byTime ? 1000 : 1;
        const span = (sc.t1 - sc.t0) / unit;
        const step = byTime ? niceStep(span / 8) : Math.max(1, Math.ceil(span / 8));
        for (let v = Math.ceil((sc.t0 - origin) / unit / step) * step;
            origin + v * unit <= sc.t1 + 1e-6; v += step) {
            if (!byTime && (v < 0 || v >= data.snapshots.length))
                continue;
            const label = byTime ? (v < 0 ? "\u2212" + fmtSeconds(-v) : "+" + fmtSeconds(v)) : "S" + (v + 1);
            g.append(svg("text", { x: sc.x(origin + v * unit), y: y + 16, "text-anchor": "middle" },
                label));
        }
    }

    function drawMarkers(g, sc, box, markers) {
        let lastX = -Infinity, row = 0;
        for (const m of markers) {
            const x = sc.x(m.t);
            row = x - lastX < 26 ? (row + 1) % 4 : 0; // labels of close snapshots step down
            lastX = x;
            const line = svg("line", { class: "snap-marker", x1: x, x2: x, y1: box.top,
                y2: box.height - box.bottom, "data-snapshot": m.i });
            const label = svg("text", { class: "snap-label", x: x + 3, y: box.top + 10 + row * 12 },
                "S" + (m.i + 1));
            const hit = svg("line", { x1: x, x2: x, y1: box.top, y2: box.height - box.bottom,
                stroke: "transparent", "stroke-width": 8 });
            hoverTip(hit, () => ["snapshot S" + (m.i + 1) + " (" + (m.s.reason || "?") + ")",
                fmtInt(m.s.live_bytes) + " live bytes in " + fmtInt(m.s.live_blocks) + " blocks",
                fmtDate(m.s.time_unix_ms)]);
            g.append(line, label, hit);
        }
    }

    function pointTip(p, byTime) {
        const when = byTime ? "+" + fmtSeconds((p.t - data.chartOrigin) / 1000) : "S" + (p.t + 1);
        const lines = [when + ": " + fmtInt(p.bytes) + " live bytes (" + fmtBytes(p.bytes) + ")",
            fmtInt(p.blocks) + " live blocks"];
        if (p.allocs !== undefined)
            lines.push(fmtInt(p.allocs) + " allocations, " + fmtInt(p.frees) + " frees so far");
        return lines;
    }

    function drawSeries(g, sc, pts, byTime) {
        const d = pts.map((p, i) => (i ? "L" : "M") + sc.x(p.t).toFixed(1) + " " + sc.y(p.bytes).toFixed(1));
        g.append(svg("path", { class: "series", d: d.join(" ") }));
        const r = pts.length > 200 ? 1.5 : 3; // a long timeline stays a line, not a bead chain
        pts.forEach((p, i) => {
            const c = svg("circle", { class: "point", cx: sc.x(p.t), cy: sc.y(p.bytes), r,
                "data-index": i, "data-bytes": p.bytes });
            hoverTip(c, () => pointTip(p, byTime));
            g.append(c);
        });
    }

    function chartNote(byTime) {
        const tl = data.timeline;
        const start = fmtDate(data.chartOrigin);
        if (tl && tl.samples.length > 0)
            return "From the timeline " + tl.path + " (" + tl.samples.length + " samples), time from "
                + start + "; dashed lines mark the snapshots.";
        if (byTime)
            return "From the snapshots' live totals (no timeline given), time from " + start + ".";
        return "From the snapshots' live totals, in snapshot order (they carry no time).";
    }

    function renderChart() {
        const box = { width: 960, height: 280, left: 72, right: 24, top: 18, bottom: 30 };
        const { byTime, pts } = chartPoints();
        const markers = chartMarkers(byTime);
        data.chartOrigin = byTime ? Math.min(...pts.map((p) => p.t)) : 0;
        document.getElementById("chart-note").textContent = chartNote(byTime);

        const sc = chartScales(pts, markers, box, byTime);
        const root = svg("svg", { id: "timeline-chart", viewBox: "0 0 " + box.width + " " + box.height,
            width: "100%", role: "img", "aria-label": "live bytes over time" });
        const g = svg("g");
        drawYAxis(g, sc, box);
        drawXAxis(g, sc, box, byTime);
        drawMarkers(g, sc, box, markers);
        drawSeries(g, sc, pts, byTime);
        root.append(g);
        document.getElementById("chart-box").append(root);
    }

    // ---- top stack tables ---------------------------------------------------------------

    function emptyRow(columns, text) {
        return el("tr", { class: "empty" }, el("td", { colspan: columns, class: "muted" }, text));
    }

    function renderTopLive() {
        const live = data.live;
        const shown = live.stacks.slice(0, data.top);
        const snap = data.snapshots[live.snapshot];
        document.getElementById("live-note").textContent = "The " + shown.length + " biggest of "
            + live.stacks.length + " stacks live in the last snapshot (S" + (live.snapshot + 1)
            + ", " + fmtInt(snap.live_bytes) + " bytes); a stack seen with several kinds is one row.";
        const body = document.querySelector("#top-live tbody");
        if (shown.length === 0)
            body.append(emptyRow(5, "Nothing is live in the last snapshot (S" + (live.snapshot + 1)
                + ", " + (snap.reason || "?") + ")."));
        shown.forEach((s, i) => {
            body.append(el("tr", { "data-bytes": s.bytes },
                el("td", { class: "num" }, String(i + 1)),
                el("td", { class: "num bytes", title: fmtBytes(s.bytes) }, fmtInt(s.bytes)),
                el("td", { class: "num" }, fmtInt(s.blocks)),
                el("td", null, s.kind || ""),
                el("td", null, frameList(s.frames))));
        });
    }

    function growthHead(g) {
        const cells = g.basis === "snapshots"
            ? ["#", "growth (bytes)", "live bytes at S1 \u2192 S" + data.snapshots.length]
            : ["#", "new bytes", "live bytes"];
        const head = el("tr", null, ...cells.map((c, i) => el("th", { class: i < 3 ? "num" : null }, c)),
            el("th", null, "stack (innermost frame first)"));
        document.querySelector("#top-growth thead").replaceChildren(head);
    }

    function growthNote(g) {
        if (g.basis === "snapshots")
            return "Live bytes of each stack in the last snapshot less those in the first ("
                + "stacks matched by their frames), biggest growth first; " + g.stacks.length
                + " stacks grew.";
        if (g.basis === "new_bytes")
            return "One snapshot: the bytes each stack allocated since the snapshot before it"
                + " (new_bytes) and still holds.";
        return "Growth needs two snapshots, or a snapshot that records new bytes per stack.";
    }

    function renderGrowth() {
        const g = data.growth;
        document.getElementById("growth-note").textContent = growthNote(g);
        growthHead(g);
        const body = document.querySelector("#top-growth tbody");
        if (g.stacks.length === 0 && g.basis !== "none")
            body.append(emptyRow(4, "No stack grew."));
        g.stacks.slice(0, data.top).forEach((s, i) => {
            const series = g.basis === "snapshots" ? s.series.map(fmtInt).join(" \u2192 ")
                : fmtInt(s.last_bytes);
            body.append(el("tr", { "data-bytes": s.growth },
                el("td", { class: "num" }, String(i + 1)),
                el("td", { class: "num grow bytes", title: fmtBytes(s.growth) }, "+" + fmtInt(s.growth)),
                el("td", { class: "num" }, series),
                el("td", null, frameList(s.frames))));
        });
    }

    // ---- flame graph --------------------------------------------------------------------

    // A tree of functions, outermost at the root, each node holding the live bytes of
    // every stack through it. Frames of one function (same name and file) share a node
    // whatever their line, as in other flame graphs; the node keeps every frame it stands
    // for, so hovering lists their lines.
    function flameKey(id) {
        const f = frames[id];
        return frameName(f) + "\u0000" + (f.file || f.module || "");
    }

    function flameTree() {
        const root = { frame: -1, ids: new Set(), value: 0, kids: new Map(), parent: null, depth: 0 };
        for (const s of data.live.stacks) {
            root.value += s.bytes;
            let node = root;
            for (let i = s.frames.length - 1; i >= 0; i--) {
                const key = flameKey(s.frames[i]);
                let kid = node.kids.get(key);
                if (!kid) {
                    kid = { frame: s.frames[i], ids: new Set(), value: 0, kids: new Map(), parent: node,
                        depth: node.depth + 1 };
                    node.kids.set(key, kid);
                }
                kid.ids.add(s.frames[i]);
                kid.value += s.bytes;
                node = kid;
            }
        }
        return root;
    }

    // Biggest child first; each node's start is its offset in bytes from the root's left.
    function flameLayout(node, start, acc) {
        node.start = start;
        node.children = [...node.kids.values()].sort((a, b) => b.value - a.value);
        acc.maxDepth = Math.max(acc.maxDepth, node.depth);
        let at = start;
        for (const c of node.children) {
            flameLayout(c, at, acc);
            at += c.value;
        }
        return acc;
    }

    function nodeName(n) {
        return n.frame < 0 ? "all live bytes" : frameName(frames[n.frame]);
    }

    // A warm colour fixed by the function's name, so one function looks the same everywhere.
    function nodeColor(n) {
        if (n.frame < 0)
            return "hsl(220, 15%, 75%)";
        const name = nodeName(n);
        let h = 0;
        for (let i = 0; i < name.length; i++)
            h = (h * 31 + name.charCodeAt(i)) >>> 0;
        return frames[n.frame].function ? "hsl(" + (8 + h % 42) + ", 85%, " + (58 + (h >> 8) % 12) + "%)"
            : "hsl(0, 0%, 72%)";
    }

    // "file:12, 40" for a node standing for frames at several lines of one file.
    function nodeWhere(n) {
        const f = frames[n.frame];
        if (!f.file)
            return frameWhere(f) || "no file or line known";
        const lines = [...new Set([...n.ids].map((id) => frames[id].line))].filter((l) => l > 0)
            .sort((a, b) => a - b);
        return f.file + (lines.length ? ":" + lines.join(", ") : "");
    }

    function flameTip(n, total) {
        const lines = [el("span", { class: "fn" }, nodeName(n))];
        if (n.frame >= 0) {
            const f = frames[n.frame];
            lines.push(nodeWhere(n));
            if (f.file && f.module)
                lines.push(f.module);
        }
        lines.push(fmtInt(n.value) + " bytes (" + fmtBytes(n.value) + ", "
            + (total ? (100 * n.value / total).toFixed(1) : "0") + "% of live)");
        return lines;
    }

    const flame = { root: null, focus: null, row: 18 };

    function flameNode(n, x, w, y, isAncestor) {
        const f = n.frame >= 0 ? frames[n.frame] : null;
        const g = svg("g", { class: "fg-node" + (isAncestor ? " ancestor" : ""),
            "data-function": f ? frameName(f) : "all", "data-bytes": n.value });
        g.append(svg("rect", { x: x.toFixed(2), y, width: Math.max(w, 0.5).toFixed(2),
            height: flame.row - 1, fill: nodeColor(n), rx: 2 }));
        const chars = Math.floor((w - 6) / 6.6);
        if (chars >= 3) {
            const name = nodeName(n);
            g.append(svg("text", { x: x + 3, y: y + flame.row - 5 },
                name.length > chars ? name.slice(0, chars - 1) + "\u2026" : name));
        }
        hoverTip(g, () => flameTip(n, flame.root.value));
        g.addEventListener("click", () => zoomTo(n));
        return g;
    }

    // Draws the focus and all below it across the full width, its ancestors full width
    // beneath (root at the bottom), and nothing narrower than half a pixel.
    function drawFlame() {
        const box = document.getElementById("flame-box");
        if (flame.root.value === 0) {
            box.replaceChildren(el("p", { class: "muted" }, "No live bytes to draw."));
            return;
        }
        const width = Math.max(320, box.clientWidth - 16);
        const height = (flame.maxDepth + 1) * flame.row;
        const focus = flame.focus;
        const scale = width / Math.max(1, focus.value);
        const root = svg("svg", { id: "flame-graph", width, height, viewBox: "0 0 " + width + " " + height });
        const rowY = (depth) => height - (depth + 1) * flame.row;

        for (let a = focus.parent; a; a = a.parent)
            root.append(flameNode(a, 0, width, rowY(a.depth), true));
        const stack = [focus];
        while (stack.length) {
            const n = stack.pop();
            const w = n.value * scale;
            if (w < 0.5)
                continue;
            root.append(flameNode(n, (n.start - focus.start) * scale, w, rowY(n.depth), false));
            stack.push(...n.children);
        }
        box.replaceChildren(root);
    }

    function zoomTo(n) {
        flame.focus = n;
        hideTip();
        document.getElementById("flame-focus").textContent = n === flame.root ? ""
            : "zoomed to " + nodeName(n) + ", " + fmtInt(n.value) + " bytes";
        drawFlame();
    }

    function renderFlame() {
        flame.root = flameTree();
        flame.maxDepth = flameLayout(flame.root, 0, { maxDepth: 0 }).maxDepth;
        flame.focus = flame.root;
        document.getElementById("flame-note").textContent = "Live bytes of the last snapshot by"
            + " call path, outermost frame at the bottom, one box per function on each path; a"
            + " box's width is the bytes live through it. Hover for its file and lines, click"
            + " to zoom in, click a lower box to zoom out.";
        document.getElementById("flame-reset").addEventListener("click", () => zoomTo(flame.root));
        let pending = 0;
        window.addEventListener("resize", () => {
            cancelAnimationFrame(pending);
            pending = requestAnimationFrame(drawFlame);
        });
        drawFlame();
    }

    renderHeader();
    renderChart();
    renderSnapshots();
    renderTopLive();
    renderGrowth();
    renderFlame();
})();
