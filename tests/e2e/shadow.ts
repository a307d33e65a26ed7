/**
 * Driving UI through the DevTools protocol, with real mouse and keyboard input: inside the page
 * agent's closed shadow root (page scripts and Playwright's selector engine cannot see into it,
 * which is the point), or in a whole extension page such as the review panel (whose CSP forbids
 * the eval a selector engine would need).
 */
import type { CDPSession, Page } from 'playwright-core';

interface DomNode {
  nodeId: number;
  nodeName: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

export class Shadow {
  protected constructor(
    readonly page: Page,
    private cdp: CDPSession,
    /** The shadow host's tag; null for the whole document. */
    private hostName: string | null,
  ) {}

  static async of(page: Page, hostName = 'MARGINS-OVERLAY'): Promise<Shadow> {
    return new Shadow(page, await page.context().newCDPSession(page), hostName);
  }

  get keyboard(): Page['keyboard'] {
    return this.page.keyboard;
  }

  private async root(): Promise<number | null> {
    if (this.hostName === null) return (await this.cdp.send('DOM.getDocument', { depth: 0 })).root.nodeId;
    const { root } = (await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const stack = [root];
    while (stack.length) {
      const node = stack.pop()!;
      if (node.nodeName === this.hostName && node.shadowRoots?.length) return node.shadowRoots[0].nodeId;
      stack.push(...(node.children ?? []));
    }
    return null;
  }

  async count(selector: string): Promise<number> {
    return (await this.all(selector)).length;
  }

  private async all(selector: string): Promise<number[]> {
    const root = await this.root();
    if (root === null) return [];
    const { nodeIds } = await this.cdp.send('DOM.querySelectorAll', { nodeId: root, selector });
    return nodeIds;
  }

  /** Calls `fn` with `this` bound to each matching element; returns the results. */
  async evalAll<T>(selector: string, fn: string): Promise<T[]> {
    const out: T[] = [];
    for (const nodeId of await this.all(selector)) {
      const { object } = await this.cdp.send('DOM.resolveNode', { nodeId });
      const { result } = await this.cdp.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: fn, returnByValue: true });
      out.push(result.value as T);
    }
    return out;
  }

  texts(selector: string): Promise<string[]> {
    return this.evalAll<string>(selector, 'function () { return this.innerText; }');
  }

  /** Waits until `selector` matches at least `n` elements (or exactly n with exact). */
  async waitFor(selector: string, { n = 1, exact = false, timeout = 15_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const count = await this.count(selector);
      if (exact ? count === n : count >= n) return;
      if (Date.now() > deadline) {
        const seen = (await this.evalAll<string>(selector, "function () { return this.outerHTML.slice(0, 160) + \" | \" + this.innerText; }").catch(() => [])).map((t) => t.replace(/\s+/g, ' ').slice(0, 120));
        throw new Error(`timed out waiting for ${exact ? '' : '≥'}${n} × ${selector} (have ${count}: ${JSON.stringify(seen)})`);
      }
      await this.page.waitForTimeout(100);
    }
  }

  async waitForText(selector: string, pattern: RegExp, timeout = 15_000): Promise<string> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const texts = await this.texts(selector);
      const hit = texts.find((t) => pattern.test(t));
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${selector}: ${JSON.stringify(texts)}`);
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * A real mouse click at the centre of the first match, once it has stopped moving: the UI may
   * still be settling (a composer closing above the target shifts it up), and a click computed
   * before the move lands on whatever took the target's place.
   */
  async click(selector: string): Promise<void> {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      await this.waitFor(selector);
      const [nodeId] = await this.all(selector);
      await this.cdp.send('DOM.scrollIntoViewIfNeeded', { nodeId });
      const { quads } = await this.cdp.send('DOM.getContentQuads', { nodeId });
      if (!quads.length) throw new Error(`${selector} is not visible`);
      const q = quads[0];
      if (JSON.stringify(q) === last || attempt === 20) return this.page.mouse.click((q[0] + q[2] + q[4] + q[6]) / 4, (q[1] + q[3] + q[5] + q[7]) / 4);
      last = JSON.stringify(q);
      await this.page.waitForTimeout(50);
    }
  }

  /** Keyboard focus on the first match, as Tab would put it there. */
  async focus(selector: string): Promise<void> {
    await this.waitFor(selector);
    const [nodeId] = await this.all(selector);
    await this.cdp.send('DOM.focus', { nodeId });
  }

  /** Runs `fn` (a function declaration) in the page's main world with the shadow root as argument. */
  async withRoot<T>(fn: string): Promise<T> {
    const root = await this.root();
    if (root === null) throw new Error('no shadow root');
    const { object } = await this.cdp.send('DOM.resolveNode', { nodeId: root });
    const { result, exceptionDetails } = await this.cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: `function () { return (${fn})(this); }`,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
  }

  /** Picks files in the first matching file input, as its file chooser would (change event included). */
  async setFiles(selector: string, files: string[]): Promise<void> {
    await this.waitFor(selector);
    const [nodeId] = await this.all(selector);
    await this.cdp.send('DOM.setFileInputFiles', { nodeId, files });
  }

  async type(selector: string, text: string): Promise<void> {
    await this.click(selector);
    await this.page.keyboard.type(text);
  }
}

/**
 * Runs in the page: selects the `nth` occurrence of `needle` within one text node, scrolled into
 * view as readers select what they see. Shared by the Chromium and Firefox drivers.
 */
export function selectInPage([needle, nth]: readonly [string, number]): boolean {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = (n as Text).data.indexOf(needle);
    if (i === -1) continue;
    if (seen++ < nth) continue;
    const range = document.createRange();
    range.setStart(n, i);
    range.setEnd(n, i + needle.length);
    (n as Text).parentElement!.scrollIntoView({ block: 'center' });
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}

/** Selects the first occurrence of `text` in the page, as a reader's drag would. */
export async function selectText(page: Page, text: string, occurrence = 0): Promise<void> {
  if (!(await page.evaluate(selectInPage, [text, occurrence] as const))) throw new Error(`text not found in page: ${text}`);
}

/** The review panel bound to a draft's tab, and the page agent's button in that draft. */
export class Panel extends Shadow {
  private constructor(
    page: Page,
    cdp: CDPSession,
    /** The draft's tab. */
    readonly draft: Page,
    /** The page agent's closed shadow root in the draft ("Add comment"). */
    readonly inPage: Shadow,
  ) {
    super(page, cdp, null);
  }

  static async on(panel: Page, draft: Page): Promise<Panel> {
    return new Panel(panel, await panel.context().newCDPSession(panel), draft, await Shadow.of(draft));
  }

  /** Presses "Add comment" beside the selection in the draft, as the reader's click would. */
  addComment(): Promise<void> {
    return this.inPage.click('.add-comment');
  }

  /** Selects `passage` in the draft, presses "Add comment", writes `body` in the panel and sends it (Ctrl+Enter). */
  async comment(passage: string, body: string): Promise<void> {
    await selectText(this.draft, passage);
    await this.addComment();
    await this.type('.new-comment textarea', body);
    await this.keyboard.press('Control+Enter');
  }
}

/**
 * Comments on `passage` as a first-time commenter: select it, "Add comment", the name the group
 * will see, the comment, Ctrl+Enter; resolves once the panel shows `threads` threads.
 */
export async function firstComment(page: Page, ui: Panel, passage: string, name: string, body: string, threads = 1): Promise<void> {
  await selectText(page, passage);
  await ui.addComment();
  await ui.type('.name input', name);
  await ui.type('.new-comment textarea', body);
  await ui.keyboard.press('Control+Enter');
  await ui.waitFor('.thread', { n: threads, exact: true });
}

/**
 * Texts of the ranges painted by a custom highlight, read from the page's side: by default every
 * highlighted passage (`margins` and the selected one, `margins-focus`), in the page's order.
 */
export async function highlightedTexts(page: Page, name?: 'margins' | 'margins-focus'): Promise<string[]> {
  return page.evaluate((n) => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    const ranges = (n ? [n] : ['margins', 'margins-focus']).flatMap((k) => [...(registry.get(k) ?? [])]);
    return ranges.sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b)).map((r) => r.toString());
  }, name);
}

/** Clicks the middle of the first occurrence of `text` in the page (a reader clicking a highlight). */
export async function clickText(page: Page, text: string): Promise<void> {
  const box = await page.evaluate((needle) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = (n as Text).data.indexOf(needle);
      if (i === -1) continue;
      const range = document.createRange();
      range.setStart(n, i);
      range.setEnd(n, i + Math.min(needle.length, 12));
      range.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const r = range.getClientRects()[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return null;
  }, text);
  if (!box) throw new Error(`text not found in page: ${text}`);
  await page.mouse.click(box.x, box.y);
}
