// tests/browser/page.test.mjs -- the page of `handout serve` in a real browser (Debian's chromium,
// driven by playwright-core): labels, phone width, the live preview, messages beside the fields,
// Download PDF and Place order with the script; Preview and Download PDF without it, by keyboard.
//
// usage: node page.test.mjs    (tests/browser.sh starts the server and runs this)
//   environment: BASE_URL (the server, e.g. http://127.0.0.1:PORT/), OUT_DIR (where the downloads
//   and result.json go), LOGO (a 300 x 300 px PNG), ORDER_DATE (YYYYMMDD the server's
//   SOURCE_DATE_EPOCH gives), CHROMIUM (default /usr/bin/chromium), STEP_MS (the longest wait, default
//   15000)
//
// Prints "ok - NAME" or "FAIL - NAME: reason" per check and "# ..." notes; tests/browser.sh counts
// them. Leaves in OUT_DIR: partner-card-us-es.pdf, flyer-a4-en.pdf (the downloads) and result.json
// (the order's name, paper and file as the confirmation page shows them). Exit status: 1 when a
// check failed, 2 when the browser could not be started.
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const OUT = process.env.OUT_DIR;
const LOGO = process.env.LOGO;
const ORDER_DATE = process.env.ORDER_DATE || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
if (!BASE || !OUT || !LOGO) {
  console.error('page.test.mjs: set BASE_URL, OUT_DIR and LOGO (tests/browser.sh does)');
  process.exit(2);
}
const STEP = Number(process.env.STEP_MS) || 15000; // ms for any one wait (builds take well under a second)

const AGENCY = 'Riverside Family Shelter';
const LOCAL = '207-555-0134';
const NEAR_MISS = '1-888-373-7887'; // the hotline 1-888-373-7888, one keystroke away

let failed = 0;
const one = (s) => String(s).replace(/\s+/g, ' ').trim().slice(0, 600);
const ok = (name) => console.log(`ok - ${name}`);
const fail = (name, why) => { failed++; console.log(`FAIL - ${name}: ${one(why)}`); };
const note = (s) => console.log(`# ${one(s)}`);
const result = {};

// check NAME FN: FN throws (or rejects) with the reason when the check fails
let step = '';
async function check(name, fn) {
  step = name;
  try {
    await fn();
    ok(name);
    return true;
  } catch (e) {
    fail(name, e && e.message ? e.message.split('\n')[0] : e);
    return false;
  }
}
function expect(cond, why) { if (!cond) throw new Error(why); }

// The browser's own console: script errors, CSP reports; and every request that failed or was
// answered 400 or more, but the favicon (the page has none: 404) and the expected answers: the 422
// of /preview.json while the partner's fields are empty or the local number is wrong (its console
// line is the browser's "Failed to load resource", left to the response check).
const problems = [];
let expected422 = false;
function watch(page, run) {
  const at = () => `${run}, in "${step.slice(0, 40)}..."`;
  const favicon = (u) => /\/favicon\.ico$/.test(new URL(u).pathname);
  page.on('pageerror', (e) => problems.push(`${at()}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of/.test(m.text())) {
      problems.push(`${at()}: console: ${m.text()} (${m.location().url})`);
    }
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (r.status() < 400 || favicon(r.url())) return;
    if (expected422 && r.status() === 422 && path === '/preview.json') return;
    problems.push(`${at()}: ${r.request().method()} ${path} answered ${r.status()}`);
  });
  page.on('requestfailed', (r) => {
    // a download's navigation is "aborted" on purpose: the browser saves it instead
    const path = new URL(r.url()).pathname;
    const why = r.failure()?.errorText || '';
    if (favicon(r.url()) || path === '/download') return;
    // Place order moves the focus off a field: its change event starts a live preview 400 ms
    // later, which the confirmation page's load cuts short when the order takes longer than that
    if (path === '/preview.json' && why === 'net::ERR_ABORTED') {
      note(`${at()}: a live preview (POST /preview.json) was cut short by leaving the page`);
      return;
    }
    problems.push(`${at()}: ${r.method()} ${path} failed: ${why}`);
  });
}

// Every form control's accessible name as Chromium computes it (its accessibility tree).
async function accessibleNames(context, page) {
  const cdp = await context.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
      nodeId: root.nodeId, selector: 'input:not([type=hidden]), select, textarea, button',
    });
    const out = [];
    for (const nodeId of nodeIds) {
      const { attributes } = await cdp.send('DOM.getAttributes', { nodeId });
      const attr = {};
      for (let i = 0; i + 1 < attributes.length; i += 2) attr[attributes[i]] = attributes[i + 1];
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      const ax = nodes.find((n) => !n.ignored) || nodes[0] || {};
      out.push({
        what: attr.id ? `#${attr.id}` : `${attr.name || '?'}=${attr.value || ''}`,
        role: ax.role?.value || '',
        name: (ax.name?.value || '').trim(),
        ignored: !!ax.ignored,
      });
    }
    return out;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

// The page's width: nothing wider than the viewport (no horizontal scroll).
async function noSideScroll(page, where) {
  const w = await page.evaluate(() => {
    const wide = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > document.documentElement.clientWidth + 0.5) wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} (right ${Math.round(r.right)})`);
    }
    return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, inner: window.innerWidth, wide: wide.slice(0, 5) };
  });
  expect(w.scroll <= w.client && w.client <= w.inner,
    `${where}: the page is ${w.scroll} px wide in a ${w.client} px viewport; too wide: ${w.wide.join(', ') || '?'}`);
}

// The state of the preview, as the script leaves it.
const previewState = (page) => page.evaluate(() => {
  const img = document.getElementById('preview-img');
  const logoId = document.querySelector('input[name=logo_id]');
  return {
    src: img ? img.getAttribute('src') || '' : '',
    shown: !!img && !img.hidden && img.complete && img.naturalWidth > 0,
    width: img ? img.naturalWidth : 0,
    summary: (document.getElementById('summary')?.textContent || '').trim(),
    busy: document.body.classList.contains('busy'),
    logoId: logoId ? logoId.value : '',
    errors: [...document.querySelectorAll('.msg.error')].map((p) => p.textContent.trim()),
    warnings: [...document.querySelectorAll('.msg.warning')].map((p) => p.textContent.trim()),
  };
});

async function tabStops(page, max) {
  const stops = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const s = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return '(body)';
      if (e.tagName === 'BUTTON') return `button "${e.textContent.trim()}"`;
      return `${e.tagName.toLowerCase()}#${e.id || (e.name + '=' + e.value)}`;
    });
    if (s === '(body)' && stops.length) break;
    stops.push(s);
  }
  return stops;
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // the machine's network is closed: nothing but the server on 127.0.0.1 may be asked
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30000,
  });
} catch (e) {
  fail('the browser starts', e.message.split('\n').slice(0, 3).join(' '));
  process.exit(2);
}
note(`chromium ${browser.version()}`);

try {
  // ------------------------------------------------------------------------------------------
  // With the script, at a phone's width.
  const ctx = await browser.newContext({ viewport: { width: 375, height: 800 }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP);
  watch(page, 'with script');

  let first = null;
  await check('page: GET / answers 200 with the form; the script shows a first preview (data:image/png)', async () => {
    const r = await page.goto(BASE);
    expect(r && r.status() === 200, `GET / answered ${r && r.status()}`);
    expect((await page.title()).length > 0, 'no <title>');
    await page.waitForFunction(() => {
      const img = document.getElementById('preview-img');
      return img && !img.hidden && (img.getAttribute('src') || '').startsWith('data:image/png;base64,') && img.complete && img.naturalWidth > 0;
    });
    first = await previewState(page);
    expect(await page.locator('#preview-none').isHidden(), '#preview-none is still shown beside the preview');
  });
  await check('page: no horizontal scroll at 375 px (on load)', () => noSideScroll(page, 'on load'));
  await check('script: the partner fields are hidden for a flyer and shown for partner cards', async () => {
    expect(await page.locator('#partner').isHidden(), '#partner shows while a flyer is chosen');
    // until the agency and the local number are filled in, the live preview is answered 422
    expected422 = true;
    await page.selectOption('#product', 'partner-card-us');
    expect(await page.locator('#partner').isVisible(), '#partner stays hidden for partner-card-us');
  });
  await check('page: every input, select and button has an accessible name (Chromium\'s accessibility tree)', async () => {
    const names = await accessibleNames(ctx, page);
    expect(names.length >= 12, `only ${names.length} controls found`);
    // the notice's county and staff languages are hidden on purpose unless a notice's law asks
    // for them (tests/browser/notice.test.mjs checks their names while they show)
    const hidden = await page.evaluate(() => [...document.querySelectorAll('#notice input, #notice select')]
      .filter((e) => e.closest('[hidden]')).map((e) => `#${e.id}`));
    const bad = names.filter((n) => !hidden.includes(n.what) && (n.ignored || !n.name));
    note(`accessible names: ${names.map((n) => `${n.what} ${n.role} "${n.name}"`).join('; ')}`);
    expect(bad.length === 0, `without a name: ${bad.map((n) => `${n.what} (${n.role}${n.ignored ? ', ignored' : ''})`).join(', ')}`);
  });

  await check('live preview: partner-card-us, es, 25, agency, local number and a logo: a new PNG preview, "3 sheets", the logo kept', async () => {
    await page.selectOption('#language', 'es');
    await page.fill('#quantity', '25');
    await page.fill('#agency', AGENCY);
    await page.fill('#local_phone', LOCAL);
    await page.setInputFiles('#logo', LOGO);
    try {
      await page.waitForFunction((firstSrc) => {
        const img = document.getElementById('preview-img');
        const id = document.querySelector('input[name=logo_id]');
        const sum = document.getElementById('summary').textContent;
        return !document.body.classList.contains('busy') && id && id.value && /\b3 sheets\b/.test(sum) &&
          img.getAttribute('src').startsWith('data:image/png;base64,') && img.getAttribute('src') !== firstSrc &&
          img.complete && img.naturalWidth > 0;
      }, first ? first.src : '', { timeout: STEP });
    } catch (e) {
      throw new Error(`the preview did not follow: ${JSON.stringify({ ...(await previewState(page)), src: undefined })}`);
    }
    expected422 = false;
    const s = await previewState(page);
    expect(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(s.src), 'the image is not a base64 PNG data: URI');
    expect(/^[0-9a-f]{64}\.png$/.test(s.logoId), `logo_id is "${s.logoId}", expected <sha256>.png`);
    expect(/30 items/.test(s.summary) && /6 pages/.test(s.summary), `summary "${s.summary}" lacks "30 items" and "6 pages"`);
    expect(s.errors.length === 0 && s.warnings.length === 0, `messages: ${[...s.errors, ...s.warnings].join(' | ')}`);
    expect((await page.inputValue('#logo')) === '', 'the file input still holds the file after the upload (the script keeps its id instead)');
    note(`summary: ${s.summary}; preview ${s.width} px wide; logo_id ${s.logoId}`);
  });

  await check(`messages: local number "${NEAR_MISS}" -> an error in #local_phone-msg, aria-invalid="true"`, async () => {
    expected422 = true;
    await page.fill('#local_phone', NEAR_MISS);
    await page.waitForSelector('#local_phone-msg .msg.error');
    const text = (await page.textContent('#local_phone-msg')).trim();
    expect(/one keystroke away/.test(text), `the message is "${text}"`);
    expect((await page.getAttribute('#local_phone', 'aria-invalid')) === 'true', '#local_phone lacks aria-invalid="true"');
    const desc = await page.getAttribute('#local_phone', 'aria-describedby');
    expect(/\blocal_phone-msg\b/.test(desc || ''), `aria-describedby "${desc}" does not name local_phone-msg`);
    note(`message: ${text}`);
  });
  await check('page: no horizontal scroll at 375 px (partner fields, preview and a long message)', () => noSideScroll(page, 'with the message'));
  await check('messages: the corrected number clears the message and aria-invalid; the preview comes back', async () => {
    await page.fill('#local_phone', LOCAL);
    await page.waitForFunction(() => {
      const box = document.getElementById('local_phone-msg');
      return box.textContent.trim() === '' && !document.getElementById('local_phone').hasAttribute('aria-invalid') &&
        /\b3 sheets\b/.test(document.getElementById('summary').textContent) && !document.body.classList.contains('busy');
    });
    expected422 = false;
    const s = await previewState(page);
    expect(s.errors.length === 0, `errors left: ${s.errors.join(' | ')}`);
  });

  await check('download (script on): Download PDF saves partner-card-us-es.pdf; the page stays', async () => {
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const path = join(OUT, 'partner-card-us-es.pdf');
    await dl.saveAs(path);
    const why = await dl.failure();
    expect(!why, `the download failed: ${why}`);
    expect(dl.suggestedFilename() === 'partner-card-us-es.pdf', `the file is named "${dl.suggestedFilename()}"`);
    expect(await page.locator('#order').isVisible(), 'the form is gone after the download');
    result.partner_pdf = path;
  });

  await check('order: name and contact, Place order -> the confirmation with #order-name and #order-paper', async () => {
    await page.fill('#name', 'Ana Example');
    // as a person would: the live preview that typing starts ends before the click
    const settled = page.waitForResponse((r) => new URL(r.url()).pathname === '/preview.json' &&
      (r.request().postData() || '').includes('ana@example.org'));
    await page.fill('#contact', 'ana@example.org');
    await settled;
    await page.waitForFunction(() => !document.body.classList.contains('busy'));
    const [resp] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/order'),
      page.getByRole('button', { name: 'Place order' }).click(),
    ]);
    await page.waitForSelector('#order-name');
    const name = (await page.textContent('#order-name')).trim();
    const paper = (await page.textContent('#order-paper')).trim();
    const qty = (await page.textContent('#order-quantity')).trim();
    const file = (await page.textContent('#order-file')).trim();
    Object.assign(result, { order_name: name, order_paper: paper, order_quantity: qty, order_file: file });
    note(`order: ${name}; paper: ${paper}; file: ${file}`);
    expect(resp.status() === 200, `POST /order answered ${resp.status()}`);
    const want = ORDER_DATE ? new RegExp(`^order-${ORDER_DATE}-\\d{3}$`) : /^order-\d{8}-\d{3}$/;
    expect(want.test(name), `#order-name is "${name}", expected order-${ORDER_DATE || 'YYYYMMDD'}-NNN`);
    expect(/\b3 sheets\b/.test(paper), `#order-paper is "${paper}", expected it to mention 3 sheets`);
    expect(qty === '25', `#order-quantity is "${qty}"`);
    expect(file.endsWith(`/${name}.ini`), `#order-file is "${file}"`);
    const body = await page.textContent('main');
    expect(body.includes(AGENCY) && body.includes(LOCAL), 'the confirmation does not repeat the agency and the local number');
  });
  await check('page: no horizontal scroll at 375 px (the confirmation)', () => noSideScroll(page, 'confirmation'));
  await ctx.close();

  // ------------------------------------------------------------------------------------------
  // Without the script: the form posts; and by keyboard alone.
  const ctx2 = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1024, height: 900 }, acceptDownloads: true });
  const p2 = await ctx2.newPage();
  p2.setDefaultTimeout(STEP);
  watch(p2, 'without script');
  const wantStops = ['select#product', 'select#language', 'input#quantity', 'input#version=sheet',
    'select#state', 'input#county', 'input#staff_languages', 'input#agency',
    'input#local_phone', 'input#logo', 'input#name', 'input#contact',
    'button "Preview"', 'button "Download PDF"', 'button "Place order"'];
  await check('no script, keyboard: Tab reaches the product select first, every field, then Preview, Download PDF, Place order', async () => {
    const r = await p2.goto(BASE);
    expect(r && r.status() === 200, `GET / answered ${r && r.status()}`);
    expect(await p2.locator('#preview-img').isHidden(), 'a preview shows before any was asked for');
    expect(await p2.locator('#partner').isVisible(), 'the partner fields are hidden without the script');
    const stops = await tabStops(p2, 20);
    const got = stops.slice(0, wantStops.length);
    expect(JSON.stringify(got) === JSON.stringify(wantStops), `Tab order: ${stops.join(', ')}; expected ${wantStops.join(', ')}`);
  });
  await check('no script, keyboard: ArrowDown on the product select chooses flyer-a4; Enter on the focused Preview posts /preview and shows #preview-img', async () => {
    await p2.goto(BASE);
    await p2.keyboard.press('Tab');
    expect(await p2.evaluate(() => document.activeElement.id) === 'product', 'the first Tab does not reach #product');
    await p2.keyboard.press('ArrowDown');
    let chosen = await p2.inputValue('#product');
    if (chosen !== 'flyer-a4') {
      note(`ArrowDown left #product at "${chosen}"; choosing flyer-a4 with selectOption`);
      await p2.selectOption('#product', 'flyer-a4');
      chosen = 'flyer-a4';
    }
    for (let i = 0; i < 12; i++) {
      const t = await p2.evaluate(() => document.activeElement.tagName === 'BUTTON' ? document.activeElement.textContent.trim() : '');
      if (t === 'Preview') break;
      await p2.keyboard.press('Tab');
    }
    const focused = await p2.evaluate(() => document.activeElement.textContent.trim());
    expect(focused === 'Preview', `Tab did not reach the Preview button (focus on "${focused}")`);
    const [resp] = await Promise.all([
      p2.waitForNavigation({ waitUntil: 'load' }),
      p2.keyboard.press('Enter'),
    ]);
    expect(resp && resp.request().method() === 'POST' && new URL(resp.url()).pathname === '/preview',
      `Enter went to ${resp && resp.request().method()} ${resp && resp.url()}`);
    expect(resp.status() === 200, `POST /preview answered ${resp.status()}`);
    const src = (await p2.getAttribute('#preview-img', 'src')) || '';
    expect(src.startsWith('data:image/png;base64,'), `#preview-img src starts "${src.slice(0, 40)}"`);
    expect(await p2.locator('#preview-img').isVisible(), '#preview-img is not shown');
    expect(await p2.evaluate(() => { const i = document.getElementById('preview-img'); return i.complete && i.naturalWidth > 0; }), 'the preview image does not decode');
    expect((await p2.inputValue('#product')) === 'flyer-a4', `the page came back with product ${await p2.inputValue('#product')}`);
    const sum = (await p2.textContent('#summary')).trim();
    expect(sum.length > 0, '#summary is empty');
    note(`no script: POST /preview summary: ${sum}`);
  });
  await check('no script: Download PDF saves flyer-a4-en.pdf', async () => {
    const [dl] = await Promise.all([
      p2.waitForEvent('download'),
      p2.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const path = join(OUT, 'flyer-a4-en.pdf');
    await dl.saveAs(path);
    const why = await dl.failure();
    expect(!why, `the download failed: ${why}`);
    expect(dl.suggestedFilename() === 'flyer-a4-en.pdf', `the file is named "${dl.suggestedFilename()}"`);
    result.flyer_pdf = path;
  });
  await ctx2.close();

  await check('browser console: no script error, CSP report or failed request in either run', async () => {
    expect(problems.length === 0, problems.slice(0, 5).join(' | '));
  });
} catch (e) {
  fail('browser test', `stopped early: ${e.stack || e}`);
} finally {
  writeFileSync(join(OUT, 'result.json'), JSON.stringify(result, null, 2) + '\n');
  await browser.close().catch(() => {});
}
process.exit(failed ? 1 : 0);
