// tests/browser/notice.test.mjs -- the notices by state on the page of `handout serve`, in a real
// browser (Debian's chromium, driven by playwright-core): choosing a state picks its notice; the
// County field shows only for a notice whose law depends on the county, Staff languages only for one
// that asks for the staff's languages, neither for other products; both have accessible names while
// shown; a recorded county previews the notice, an unknown one gets its message beside County.
//
// usage: node notice.test.mjs    (tests/browser.sh starts the server, derives the expectations from
//   layouts/, profiles/ and data/, and runs this)
//   environment: BASE_URL; COUNTY_PRODUCT, COUNTY_STATE, COUNTY (a notice whose profile has
//   county_languages, its state, the first county its data records); STAFF_PRODUCT, STAFF_STATE (a
//   notice whose profile has staff_languages); CHROMIUM (default /usr/bin/chromium), STEP_MS
//
// Prints "ok - NAME" or "FAIL - NAME: reason" per check; exit status 1 when one failed, 2 when the
// browser could not be started.
import { chromium } from 'playwright-core';

const env = process.env;
const BASE = env.BASE_URL;
const need = ['BASE_URL', 'COUNTY_PRODUCT', 'COUNTY_STATE', 'COUNTY', 'STAFF_PRODUCT', 'STAFF_STATE'];
if (need.some((k) => !env[k])) {
  console.error(`notice.test.mjs: set ${need.join(', ')} (tests/browser.sh does)`);
  process.exit(2);
}
const STEP = Number(env.STEP_MS) || 15000;
let failed = 0;
const one = (s) => String(s).replace(/\s+/g, ' ').trim().slice(0, 600);
async function check(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${name}: ${one(e && e.message ? e.message.split('\n')[0] : e)}`);
  }
}
function expect(cond, why) { if (!cond) throw new Error(why); }

// The accessible name Chromium gives a control (its accessibility tree), '' when it is ignored.
async function axName(ctx, page, id) {
  const cdp = await ctx.newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `#${id}` });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const ax = nodes.find((n) => !n.ignored);
    return ax ? (ax.name?.value || '').trim() : '';
  } finally {
    await cdp.detach().catch(() => {});
  }
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30000,
  });
} catch (e) {
  console.error(`notice.test.mjs: chromium did not start: ${one(e.message)}`);
  process.exit(2);
}
try {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(STEP);
  await page.goto(BASE);
  const productState = () => page.evaluate(() => {
    const s = document.getElementById('product');
    return s.options[s.selectedIndex].getAttribute('data-state') || '';
  });

  await check(`notice: choosing the state ${env.COUNTY_STATE} picks one of its notices and shows County, not Staff languages`, async () => {
    await page.selectOption('#state', env.COUNTY_STATE);
    expect(await productState() === env.COUNTY_STATE, `the product chosen is of [${await productState()}]`);
    expect(await page.locator('#county').isVisible(), '#county is hidden');
    expect(await page.locator('#staff_languages').isHidden(), '#staff_languages shows');
  });
  await check(`notice: ${env.COUNTY_PRODUCT}: State and County have accessible names while shown`, async () => {
    await page.selectOption('#product', env.COUNTY_PRODUCT);
    const names = [await axName(ctx, page, 'state'), await axName(ctx, page, 'county')];
    expect(names[0] && names[1], `names: state [${names[0]}], county [${names[1]}]`);
  });
  await check(`notice: ${env.COUNTY_PRODUCT}, county ${env.COUNTY}: the live preview shows the notice and no error`, async () => {
    await page.fill('#county', env.COUNTY);
    await page.waitForFunction(() => {
      const img = document.getElementById('preview-img');
      return img && !img.hidden && (img.getAttribute('src') || '').startsWith('data:image/png;base64,') && img.complete &&
        img.naturalWidth > 0 && !document.querySelector('.msg.error') && !document.body.classList.contains('busy');
    });
  });
  await check(`notice: ${env.COUNTY_PRODUCT}, county Narnia: the message is beside County, which is marked invalid`, async () => {
    await page.fill('#county', 'Narnia');
    await page.waitForFunction(() => /found "Narnia"/.test(document.getElementById('county-msg').textContent));
    expect(await page.getAttribute('#county', 'aria-invalid') === 'true', '#county is not aria-invalid');
    const elsewhere = await page.evaluate(() => [...document.querySelectorAll('.msgs')]
      .filter((b) => b.id !== 'county-msg' && /Narnia/.test(b.textContent)).map((b) => b.id));
    expect(elsewhere.length === 0, `also in ${elsewhere.join(', ')}`);
  });
  await check(`notice: ${env.STAFF_PRODUCT} shows Staff languages (with a name), hides County, and sets State to ${env.STAFF_STATE}`, async () => {
    await page.selectOption('#product', env.STAFF_PRODUCT);
    expect(await page.locator('#staff_languages').isVisible(), '#staff_languages is hidden');
    expect(await page.locator('#county').isHidden(), '#county shows');
    expect(await page.inputValue('#state') === env.STAFF_STATE, `#state is [${await page.inputValue('#state')}]`);
    expect(await axName(ctx, page, 'staff_languages'), '#staff_languages has no accessible name');
  });
  await check('notice: a flyer hides County and Staff languages and leaves State empty', async () => {
    await page.selectOption('#product', 'flyer-letter');
    expect(await page.locator('#county').isHidden() && await page.locator('#staff_languages').isHidden(), 'a notice field shows');
    expect(await page.inputValue('#state') === '', `#state is [${await page.inputValue('#state')}]`);
  });
  await ctx.close();
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
