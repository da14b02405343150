import { expect, Page, test } from '@playwright/test';
import { noSsoPortal, signedInWithOkta, signInAsGuest } from './helpers/signIn';

// Every page a user reaches from the sidebar and the home page, following the portal's
// own links breadth first: none may throw in the browser, answer 500 or more (the page
// or any request it makes), or hit a 404 that is not listed below with its reason.

/** Links followed this many clicks deep from the sidebar and the home page. */
const MAX_DEPTH = 2;
/** Pages per user, so the crawl stays within a minute or two. */
const MAX_PAGES = 70;
/**
 * Pages of one shape (every user page, say) visited at most this often; every service
 * of the sample catalog is visited.
 */
function visitsOfShape(shape: string): number {
  return shape.startsWith('/catalog/default/component/*') ? 20 : 3;
}

/**
 * 404s that are answers, not broken links: the request (or page) and why it is fine.
 * A new one belongs here only with its reason.
 */
const EXPECTED_404S: Array<{ url: RegExp; why: string }> = [
  {
    url: /\/(group\/default|default\/group)\/billing-team$/,
    why: "legacy-billing's owner, a team reorganized away: the sample catalog's orphaned service (its 'Owned by an existing team' rule fails); its owner link says the group is not there",
  },
  {
    url: /\/(user\/development|development\/user)\/guest$/,
    why: 'the guest sign-in (development only) is user:development/guest, who has no catalog entity: Settings looks it up and links it',
  },
];

function expected404(url: string) {
  return EXPECTED_404S.find(expected => expected.url.test(url));
}

/** What the app shows on a route it does not know, or an entity that is not there. */
const NOT_FOUND_TEXT = /page not found|no \w+ with the requested/i;

type Visit = {
  page: string;
  status: number | string;
  errors: string[];
  ms: number;
};

/** `/catalog/default/user/pat.platform/...` → `/catalog/default/user/*\/...` */
function shapeOf(pathname: string): string {
  return pathname
    .replace(/^(\/catalog\/[^/]+\/[^/]+)\/[^/]+/, '$1/*')
    .replace(/^(\/repositories)\/[^/]+\/[^/]+/, '$1/*/*')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '*');
}

/** Same-origin pages linked from the page (not the API, not downloads), no hash or query. */
async function linksOn(page: Page, scope: string): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  const hrefs = await page
    .locator(`${scope} a[href]:not([download])`)
    .evaluateAll(anchors => anchors.map(a => (a as HTMLAnchorElement).href));
  return [
    ...new Set(
      hrefs
        .map(href => new URL(href))
        .filter(url => url.origin === origin)
        .filter(url => !url.pathname.startsWith('/api/'))
        .map(url => url.pathname.replace(/\/+$/, '') || '/'),
    ),
  ];
}

/** Lets the page's requests finish; a page that keeps polling is given 10 seconds. */
async function settle(page: Page) {
  await page
    .waitForLoadState('networkidle', { timeout: 10_000 })
    .catch(() => undefined);
}

async function crawl(
  page: Page,
): Promise<{ visits: Visit[]; expected: string[] }> {
  let current: string[] = [];
  const notes = new Set<string>();
  page.on('pageerror', error => current.push(`page error: ${error.message}`));
  page.on('response', response => {
    const status = response.status();
    const url = response.url();
    if (status >= 500) {
      current.push(`${status} ${url}`);
    } else if (status === 404) {
      if (expected404(url)) {
        notes.add(url);
      } else {
        current.push(`unexpected 404 ${url}`);
      }
    }
  });

  await page.goto('/home');
  await settle(page);
  const seeds = [
    '/home',
    ...(await linksOn(page, 'nav')),
    ...(await linksOn(page, ':not(nav) >')),
  ];
  const queue = [...new Set(seeds)].map(path => ({ path, depth: 0 }));
  const seen = new Set(queue.map(q => q.path));
  const shapes = new Map<string, number>();
  const visits: Visit[] = [];

  while (queue.length > 0 && visits.length < MAX_PAGES) {
    const { path, depth } = queue.shift()!;
    const shape = shapeOf(path);
    if ((shapes.get(shape) ?? 0) >= visitsOfShape(shape)) {
      continue;
    }
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    current = [];
    const errors = current;
    const started = Date.now();
    let status: number | string;
    try {
      const response = await page.goto(path);
      status = response?.status() ?? 'no response';
      await settle(page);
      if ((await page.getByText(NOT_FOUND_TEXT).count()) > 0) {
        if (expected404(path)) {
          notes.add(path);
        } else {
          errors.push('shows a not-found page');
        }
      }
    } catch (error) {
      status = 'failed';
      errors.push(String(error));
    }
    visits.push({ page: path, status, errors, ms: Date.now() - started });
    if (depth < MAX_DEPTH && status === 200) {
      for (const link of await linksOn(page, 'body')) {
        if (!seen.has(link)) {
          seen.add(link);
          queue.push({ path: link, depth: depth + 1 });
        }
      }
    }
  }
  return { visits, expected: [...notes] };
}

/** The visits as a table on stdout: page, status, errors, time. */
function report(who: string, visits: Visit[], expected: string[]) {
  const rows = visits.map(v => [
    v.page,
    String(v.status),
    v.errors.length === 0 ? '0' : `${v.errors.length}: ${v.errors.join('; ')}`,
    `${v.ms} ms`,
  ]);
  const header = ['page', 'status', 'errors', 'time'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(r => Math.min(r[i].length, 90))),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  // eslint-disable-next-line no-console
  console.log(
    [
      `\nCrawl as ${who}: ${visits.length} pages`,
      line(header),
      widths.map(w => '-'.repeat(w)).join('-|-'),
      ...rows.map(line),
      ...expected.map(url => `expected 404: ${url} (${expected404(url)!.why})`),
    ].join('\n'),
  );
}

function problemsOf(visits: Visit[]): string[] {
  return visits.flatMap(v =>
    v.status === 200
      ? v.errors.map(e => `${v.page}: ${e}`)
      : [`${v.page}: status ${v.status}`, ...v.errors],
  );
}

test('a guest: every page reachable from the sidebar and the home page loads without errors', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInAsGuest(page);
  const { visits, expected } = await crawl(page);
  report('guest', visits, expected);
  expect(visits.length).toBeGreaterThan(15);
  expect(problemsOf(visits)).toEqual([]);
});

test('a platform engineer: every page reachable from the sidebar and the home page loads without errors', async ({
  browser,
}) => {
  test.skip(
    noSsoPortal,
    'a running portal is under test; PLAYWRIGHT_SSO_URL names its Okta-enabled twin',
  );
  test.setTimeout(300_000);
  const pat = await signedInWithOkta(browser, 'pat.platform@example.com');
  try {
    const { visits, expected } = await crawl(pat);
    report('pat.platform (platform team)', visits, expected);
    expect(visits.length).toBeGreaterThan(15);
    expect(problemsOf(visits)).toEqual([]);
  } finally {
    await pat.context().close();
  }
});
