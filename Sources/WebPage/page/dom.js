// Small DOM helpers: elements built from data, never from HTML strings, so
// that text from the index is always text.

/**
 * h('a', {href: '/x', class: 'y'}, 'text', child…): an element. Attributes
 * that are null, undefined or false are left out; `on…` functions become
 * listeners; `dataset` is an object.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** SVG elements need their namespace. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** A snippet's «marked» words as <mark> elements (the API's markers). */
export function snippet(text) {
  const nodes = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('«');
    const close = open < 0 ? -1 : rest.indexOf('»', open + 1);
    if (open < 0 || close < 0) { nodes.push(rest); break; }
    if (open > 0) nodes.push(rest.slice(0, open));
    nodes.push(h('mark', {}, rest.slice(open + 1, close)));
    rest = rest.slice(close + 1);
  }
  return nodes;
}

/**
 * `text` with the ranges of `marks` ([start, end) in Unicode characters,
 * as the API counts them) as <mark> elements.
 */
export function marked(text, marks = []) {
  const characters = Array.from(text);
  const nodes = [];
  let cursor = 0;
  for (const [start, end] of marks) {
    if (start < cursor || end > characters.length) continue;
    if (start > cursor) nodes.push(characters.slice(cursor, start).join(''));
    nodes.push(h('mark', {}, characters.slice(start, end).join('')));
    cursor = end;
  }
  if (cursor < characters.length) nodes.push(characters.slice(cursor).join(''));
  return nodes;
}

/** The words `marks` cover in `text`, each once: to mark them elsewhere (a table's cells). */
export function markedWords(text, marks = []) {
  const characters = Array.from(text);
  return [...new Set(marks.map(([start, end]) => characters.slice(start, end).join('')))].filter((word) => word.length > 0);
}

/** `text` with every occurrence of `words` as <mark> elements. */
export function markWords(text, words) {
  if (words.length === 0) return [text];
  const nodes = [];
  let cursor = 0;
  while (cursor < text.length) {
    let best = null;
    for (const word of words) {
      const at = text.indexOf(word, cursor);
      if (at >= 0 && (best === null || at < best.at || (at === best.at && word.length > best.word.length))) best = { at, word };
    }
    if (best === null) break;
    if (best.at > cursor) nodes.push(text.slice(cursor, best.at));
    nodes.push(h('mark', {}, best.word));
    cursor = best.at + best.word.length;
  }
  if (cursor < text.length) nodes.push(text.slice(cursor));
  return nodes;
}

/** Replaces `container`'s children in one step (no flash of an empty box). */
export function replace(container, ...children) {
  const fragment = document.createDocumentFragment();
  append(fragment, children);
  container.replaceChildren(fragment);
}

export const kindLabels = { case: '案例', section: '章节', table: '表', row: '表行', figure: '图' };
export const kindEnglish = { case: 'case', section: 'section', table: 'table', row: 'table row', figure: 'figure' };

/** A kind badge: 案例, 章节, 表, 表行, 图 (English in its title). */
export function kindBadge(kind) {
  return h('span', { class: `badge kind-${kind}`, title: kindEnglish[kind] ?? kind }, kindLabels[kind] ?? kind);
}
