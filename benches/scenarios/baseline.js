// The WebView baseline of `cirrus bench`: the same generated pages as HTML
// (Skyline defaults as CSS), rendered by the system Chromium, headless, with
// the fixture generator's flags. Prints one JSON object on stdout.
//
//   node baseline.js first-frame FILE.html WIDTH HEIGHT DPR
//     -> { "ms": launch-to-screenshot-written, "peak_rss_kb": tree peak }
//   node baseline.js update FILE.html WIDTH HEIGHT SAMPLES COUNT[,COUNT...]
//     -> { "COUNT": { "p50": ms, "p99": ms }, ... }
//
// Peak RSS is the largest sum of VmRSS over every process of the browser's
// tree, sampled every 10 ms and once more right after the screenshot.
// Sampling can miss a short peak, so it can only flatter Chromium.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cirrus-bench-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
    ],
  });
  const close = async () => {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { browser, close };
}

function treeRssKb(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch (_) {
      // The process exited while we looked.
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+)/.exec(status);
      if (m) total += Number(m[1]);
    } catch (_) {}
    for (const c of children.get(pid) || []) stack.push(c);
  }
  return total;
}

async function firstFrame(file, width, height, dpr) {
  const shot = path.join(os.tmpdir(), `cirrus-bench-${process.pid}.png`);
  const started = performance.now();
  const { browser, close } = await launch();
  const pid = browser.process().pid;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRssKb(pid));
  }, 10);
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: dpr });
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  await page.screenshot({ path: shot });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, treeRssKb(pid));
  await close();
  fs.rmSync(shot, { force: true });
  return { ms, peak_rss_kb: peak };
}

async function update(file, width, height, samples, counts) {
  const { browser, close } = await launch();
  const page = await browser.newPage();
  await page.setViewport({ width, height, deviceScaleFactor: 1 });
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  const out = {};
  for (const count of counts) {
    const times = await page.evaluate(
      async (count, samples) => {
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const nodes = Array.from(document.querySelectorAll('.v'));
        const times = [];
        for (let s = 0; s < samples; s++) {
          await frame();
          const t0 = performance.now();
          for (let i = 0; i < count; i++) nodes[i].textContent = s + 1 + '-' + i;
          // Two frames: the first runs style/layout/paint of the change,
          // the second starts once it was committed.
          await frame();
          await frame();
          times.push(performance.now() - t0);
        }
        return times;
      },
      count,
      samples
    );
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
    out[count] = { p50: at(0.5), p99: at(0.99) };
  }
  await close();
  return out;
}

async function main() {
  const [kind, file, ...rest] = process.argv.slice(2);
  let result;
  if (kind === 'first-frame') {
    const [w, h, dpr] = rest.map(Number);
    result = await firstFrame(file, w, h, dpr);
  } else if (kind === 'update') {
    const [w, h, samples] = rest.slice(0, 3).map(Number);
    const counts = rest[3].split(',').map(Number);
    result = await update(file, w, h, samples, counts);
  } else {
    throw new Error(`unknown baseline ${kind}`);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
