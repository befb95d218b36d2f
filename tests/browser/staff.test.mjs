// tests/browser/staff.test.mjs -- the staff page of `handout serve --staff-token` in a real browser
// (Debian's chromium, driven by playwright-core), and the partner's status page beside it (issue
// 17): an order placed on the page (without its script), then on the staff page approve, build
// (its progress shown while it runs), download, mark printed and mark shipped, the partner's
// status link showing each change as it is made; a hand-out recorded with the staff page's form
// (and one more than is left refused on the page); a wrong or missing key gets the same 404 as an
// unknown page, naming nothing of the order.
//
// usage: node staff.test.mjs    (tests/browser.sh starts the server and runs this)
//   environment: BASE_URL (the server), STAFF_TOKEN (its --staff-token), OUT_DIR (where the
//   build's download goes, as staff-build.pdf, and staff.json: the order's name and the
//   hand-out typed), CHROMIUM
//   (default /usr/bin/chromium), STEP_MS (the longest wait, default 15000). The server should hold
//   a finished staff build a moment (HANDOUT_TEST_BUILD_LINGER) so that its progress is seen.
//
// Prints "ok - NAME" or "FAIL - NAME: reason" per check and "# ..." notes; tests/browser.sh counts
// them. Exit status: 1 when a check failed, 2 when the browser could not be started.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const TOKEN = process.env.STAFF_TOKEN;
const OUT = process.env.OUT_DIR;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE || !TOKEN || !OUT) {
  console.error('staff.test.mjs: set BASE_URL, STAFF_TOKEN and OUT_DIR (tests/browser.sh does)');
  process.exit(2);
}
const STEP = Number(process.env.STEP_MS) || 15000;
const STAFF = 'Dana Staff-Browser';

let failed = 0;
const one = (s) => String(s).replace(/\s+/g, ' ').trim().slice(0, 600);
const fail = (name, why) => { failed++; console.log(`FAIL - ${name}: ${one(why)}`); };
const note = (s) => console.log(`# ${one(s)}`);
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
    return true;
  } catch (e) {
    fail(name, e && e.message ? e.message.split('\n')[0] : e);
    return false;
  }
}
function expect(cond, why) { if (!cond) throw new Error(why); }

let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30000,
  });
} catch (e) {
  fail('the browser starts', e.message.split('\n').slice(0, 3).join(' '));
  process.exit(2);
}

const result = {};
try {
  // the partner: the page without its script (no live preview meanwhile), and the status page
  const partner = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 } });
  const form = await partner.newPage();
  form.setDefaultTimeout(STEP);
  const status = await partner.newPage();
  status.setDefaultTimeout(STEP);
  // staff: their own context (their cookie), with the page's script
  const staffCtx = await browser.newContext({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
  const staff = await staffCtx.newPage();
  staff.setDefaultTimeout(STEP);
  const scriptErrors = [];
  staff.on('pageerror', (e) => scriptErrors.push(e.message));
  staff.on('console', (m) => { if (m.type() === 'error') scriptErrors.push(m.text()); });

  let name = '', statusUrl = '';
  // the status page as the partner sees it: its status and the statuses of its history, in order
  const seen = async () => {
    const r = await status.goto(statusUrl);
    expect(r && r.status() === 200, `the status link answered ${r && r.status()}`);
    const now = (await status.textContent('#order-status')).trim();
    const rows = await status.$$eval('tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent.trim()));
    return { now, rows: rows.join(' '), text: await status.textContent('body') };
  };
  // a change on the order's staff page: its form's name field, its button, then the page again
  const change = async (action, label, want) => {
    await staff.fill(`#staff-${action}`, STAFF);
    await staff.click(`#form-${action} button[type=submit]`);
    // the page the change's answer (a 303 to the same address) brings: a locator waits across it
    await staff.locator(`#order-status:text-is("${want}")`).waitFor().catch(async () => {
      throw new Error(`after ${label} the staff page says "${(await staff.textContent('#order-status')).trim()}", expected "${want}"`);
    });
  };

  await check('staff: an order placed on the page; its confirmation gives a status link with a 64-digit key', async () => {
    await form.goto(BASE);
    await form.selectOption('#product', 'flyer-letter');
    await form.selectOption('#language', 'en');
    await form.fill('#quantity', '3');
    await form.fill('#name', 'Ben Browser');
    await form.fill('#contact', 'ben@example.org');
    await Promise.all([form.waitForURL((u) => u.pathname === '/order'), form.click('button[value=order]')]);
    name = (await form.textContent('#order-name')).trim();
    const href = await form.getAttribute('#status-link', 'href');
    expect(/^order-\d{8}-\d{3}$/.test(name), `#order-name is "${name}"`);
    expect(/^\/status\/[0-9a-f]{64}$/.test(href || ''), `#status-link is "${href}"`);
    statusUrl = new URL(href, BASE).href;
    result.order = name;
    note(`order ${name}`);
  });
  await check('status link: "received", the history one row; it names nothing of who ordered', async () => {
    const s = await seen();
    expect(s.now === 'received' && s.rows === 'received', `status "${s.now}", history [${s.rows}]`);
    expect(!s.text.includes('Ben Browser') && !s.text.includes('ben@example.org'), 'the status page shows the name or contact');
  });
  await check('staff: /staff?staff_token= opens the queue; the order is listed under received; its page offers Approve', async () => {
    const r = await staff.goto(`${BASE}staff?staff_token=${TOKEN}`);
    expect(r && r.status() === 200, `GET /staff answered ${r && r.status()}`);
    const link = staff.locator(`#queue-received a[href="/staff/order/${name}"]`);
    expect(await link.count() === 1, `no link to ${name} under received`);
    await Promise.all([staff.waitForURL((u) => u.pathname === `/staff/order/${name}`), link.click()]);
    expect((await staff.textContent('#order-status')).trim() === 'received', 'the order page does not say received');
    expect(await staff.locator('#form-approve').count() === 1, 'no Approve form');
  });
  await check('staff: Approve -> approved; the status link shows it', async () => {
    await change('approve', 'Approve', 'approved');
    const s = await seen();
    expect(s.now === 'approved' && s.rows === 'received approved', `status "${s.now}", history [${s.rows}]`);
  });
  await check('staff: Build shows its progress while it runs (GET /staff/progress), then built with a download link', async () => {
    await staff.fill('#staff-build', STAFF);
    // what the status line says, kept in the tab's sessionStorage (it outlives the page the
    // build's answer replaces)
    await staff.evaluate(() => {
      const p = document.getElementById('build-progress');
      sessionStorage.removeItem('progress');
      new MutationObserver(() => {
        sessionStorage.setItem('progress', (sessionStorage.getItem('progress') || '') + p.textContent + '\n');
      }).observe(p, { childList: true, characterData: true, subtree: true });
    });
    await staff.click('#form-build button[type=submit]');
    await staff.locator('#order-status:text-is("built")').waitFor().catch(() => {
      throw new Error('the page after the build does not say built');
    });
    const progress = [...new Set((await staff.evaluate(() => sessionStorage.getItem('progress') || '')).split('\n').filter(Boolean))];
    note(`progress shown: ${progress.join(' | ')}`);
    expect(progress.some((t) => /^Building: [01] of 1 item done \(\d+ s\)$/.test(t)),
      `the status line never said "Building: N of 1 item done": [${progress.join(' | ')}]`);
    expect((await staff.textContent('#order-status')).trim() === 'built', 'the page after the build does not say built');
    expect(await staff.locator('#download').count() === 1, 'no download link');
  });
  await check('status link: built', async () => {
    const s = await seen();
    expect(s.now === 'built' && s.rows === 'received approved built', `status "${s.now}", history [${s.rows}]`);
  });
  await check('staff: Download the last build -> a PDF (staff-build.pdf)', async () => {
    const [dl] = await Promise.all([staff.waitForEvent('download'), staff.click('#download')]);
    const path = join(OUT, 'staff-build.pdf');
    await dl.saveAs(path);
    expect(dl.suggestedFilename() === `${name}.pdf`, `the download is named "${dl.suggestedFilename()}"`);
  });
  await check('staff: Mark printed, then Mark shipped; the status link shows each', async () => {
    await change('printed', 'Mark printed', 'printed');
    let s = await seen();
    expect(s.now === 'printed' && s.rows === 'received approved built printed', `after printed: "${s.now}" [${s.rows}]`);
    await change('shipped', 'Mark shipped', 'shipped');
    s = await seen();
    expect(s.now === 'shipped' && s.rows === 'received approved built printed shipped', `after shipped: "${s.now}" [${s.rows}]`);
    expect(!s.text.includes(STAFF), 'the status page names the staff member');
  });
  // the hand-out form (tests/browser.sh reads the row back from `handout orders handouts`)
  const HANDOUT = { date: '2026-03-14', place: "Union Station, Hall B (O'Hare \"east\")", item: 'flyer-letter (en)', quantity: '2' };
  const handOut = async (h) => {
    await staff.fill('#handout-date', h.date);
    await staff.fill('#handout-place', h.place);
    await staff.selectOption('#handout-item', h.item);
    await staff.fill('#handout-quantity', h.quantity);
    await staff.fill('#handout-staff', STAFF);
    await Promise.all([staff.waitForNavigation(), staff.click('#form-handout button[type=submit]')]);
  };
  await check('staff: the hand-out form (date, place, item, quantity, name) records 2 of the 3 built; the row is shown', async () => {
    expect(await staff.locator('#form-handout').count() === 1, 'no hand-out form on the shipped order');
    await handOut(HANDOUT);
    const rows = await staff.$$eval('#handouts tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    expect(rows.length === 1, `${rows.length} rows in the hand-outs table`);
    const [date, place, item, quantity, who] = rows[0];
    expect(date === HANDOUT.date && place === HANDOUT.place && item === HANDOUT.item && quantity === HANDOUT.quantity &&
      who === STAFF, `the row is [${rows[0].join(' | ')}]`);
    result.handout = { ...HANDOUT, staff: STAFF };
  });
  await check('staff: 2 more (of 1 left) refused on the page, with the reason, and nothing added', async () => {
    const errorsBefore = scriptErrors.length;
    await handOut({ ...HANDOUT, date: '2026-03-15' });
    // the browser logs the refusal's status (422) as an error of the page: that one is expected
    const more = scriptErrors.splice(errorsBefore);
    scriptErrors.push(...more.filter((m) => !/status of 422/.test(m)));
    const why = (await staff.textContent('#handout-problem')).trim();
    expect(why.startsWith('expected at most 1 more of flyer-letter (en)'), `the page says "${why}"`);
    expect(await staff.locator('#handouts tbody tr').count() === 1, 'a row was added');
  });
  await check('status link: a wrong key (one digit changed) and a missing key get 404, the very page of an unknown address', async () => {
    const nope = await partner.request.get(`${BASE}nope`);
    const want = await nope.text();
    const key = statusUrl.slice(-64);
    const wrong = statusUrl.slice(0, -64) + (key[0] === '0' ? '1' : '0') + key.slice(1);
    for (const u of [wrong, `${BASE}status/`, `${BASE}status`]) {
      const r = await partner.request.get(u);
      const body = await r.text();
      expect(r.status() === 404, `${new URL(u).pathname.slice(0, 20)}... answered ${r.status()}`);
      expect(body === want, `${new URL(u).pathname.slice(0, 20)}...: the 404 differs from GET /nope's`);
      expect(!body.includes(name), 'the 404 names the order');
    }
    const r = await status.goto(wrong);
    expect(r && r.status() === 404, `the browser got ${r && r.status()} for the wrong key`);
  });
  await check('staff page: no script error', async () => {
    expect(scriptErrors.length === 0, scriptErrors.slice(0, 3).join(' | '));
  });
} catch (e) {
  fail('staff browser test', `stopped early: ${e.stack || e}`);
} finally {
  writeFileSync(join(OUT, 'staff.json'), JSON.stringify(result, null, 2) + '\n');
  await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
