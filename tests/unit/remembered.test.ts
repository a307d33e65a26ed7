/**
 * components/panel/remembered.ts: a thread card drawn anew (moved to another section or tab while
 * the reader had a form open in it) gets back what it had, until the form is closed.
 */
import { Window } from 'happy-dom';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RememberedContext, useRemembered, type Remembered } from '../../components/panel/remembered';

const window = new Window();
beforeAll(() => Object.assign(globalThis, { document: window.document }));
afterAll(() => {
  delete (globalThis as { document?: unknown }).document;
  void window.happyDOM.close();
});

let controls: { set: (v: string) => void; forget: () => void } | null = null;
function Card() {
  const [value, set, forget] = useRemembered('note:t1', 'empty');
  controls = { set, forget };
  return h('p', null, value);
}

describe('useRemembered', () => {
  it('gives a component drawn anew the value its predecessor had, until forgotten', () => {
    const memory: Remembered = new Map();
    const root = window.document.createElement('div') as unknown as HTMLElement;
    const draw = (key: number) => act(() => render(h(RememberedContext.Provider, { value: memory }, h(Card, { key })), root));
    draw(1);
    expect(root.textContent).toBe('empty');
    act(() => controls!.set('half a resolution'));
    expect(root.textContent).toBe('half a resolution');
    draw(2); // another key: a new component, as when the card moves to another section
    expect(root.textContent).toBe('half a resolution');
    controls!.forget();
    draw(3);
    expect(root.textContent).toBe('empty');
  });

  it('remembers nothing without a panel around it', () => {
    const root = window.document.createElement('div') as unknown as HTMLElement;
    act(() => render(h(Card, { key: 1 }), root));
    act(() => controls!.set('lost'));
    act(() => render(h(Card, { key: 2 }), root));
    expect(root.textContent).toBe('empty');
  });
});
