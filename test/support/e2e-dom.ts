/**
 * The few browser globals the e2e tests touch inside page.evaluate. tsconfig.node.json has no DOM lib (and
 * should not: it checks Node code), so a callback reads them as `globalThis as unknown as PageGlobals`.
 */

export interface PageRect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface PageElement {
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  clientLeft: number;
  getBoundingClientRect(): PageRect;
  dispatchEvent(event: unknown): boolean;
  append(...nodes: unknown[]): void;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  cloneNode(deep: boolean): PageElement;
  remove(): void;
}

export interface PolicyViolation {
  effectiveDirective: string;
  blockedURI: string;
}

export interface PageDocument {
  body: PageElement;
  head: PageElement;
  documentElement: PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  createElement(tag: string): PageElement;
  addEventListener(type: 'securitypolicyviolation', listener: (event: PolicyViolation) => void): void;
}

export interface PageGlobals {
  document: PageDocument;
  location: { host: string };
  getComputedStyle(element: PageElement): { backgroundColor: string };
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: string[], name: string, options: { type: string }) => unknown;
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean },
  ) => unknown;
  Image: new () => { src: string; addEventListener(type: 'load' | 'error', listener: () => void): void };
  /** Set only if an injected inline script ran (it must not). */
  __injected?: boolean;
}
