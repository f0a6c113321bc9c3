import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor return as soon as their check passes; the default 1 s limit only decides how
// long a slow CI machine (jsdom rendering a whole antd page under a parallel cargo build) may take
// before a correct page counts as missing.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
});

// Ant Design reads these browser APIs, which jsdom does not implement.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (!window.ResizeObserver) {
  window.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
// antd's modal measures the scroll bar with getComputedStyle(element, '::-webkit-scrollbar');
// jsdom does not do pseudo-elements and reports each call. The element's own style will do.
const elementStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element) => elementStyle(element);
// React Flow reads its zoom from the viewport's CSS transform through DOMMatrixReadOnly.
if (!window.DOMMatrixReadOnly) {
  window.DOMMatrixReadOnly = class {
    m22: number;
    constructor(transform?: string) {
      const scale = /scale\(([\d.]+)\)/.exec(transform ?? '')?.[1];
      this.m22 = scale ? Number(scale) : 1;
    }
  } as unknown as typeof DOMMatrixReadOnly;
}
// jsdom has no 2D canvas: its getContext reports "not implemented" on every call. Masks are then
// simply not painted; a test that checks the painted pixels installs a context of its own.
HTMLCanvasElement.prototype.getContext = (() =>
  null) as unknown as typeof HTMLCanvasElement.prototype.getContext;
