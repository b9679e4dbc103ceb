// A unit's page: the whole text with the query's words marked, a table as
// a table, what the unit holds and belongs to, a citation, related units.
import { get, stats, unitPath } from './api.js';
import { h, kindBadge, kindEnglish, kindLabels, marked, markedWords, markWords, replace, snippet } from './dom.js';
import { stateURL } from './state.js';

/**
 * Fetches and renders the unit `state.unit`, marking `state.q`'s words,
 * unless `isCurrent()` says the reader has moved on meanwhile.
 */
export async function renderUnit(view, state, backTo, isCurrent = () => true) {
  const id = state.unit;
  const [unit, related, index] = await Promise.all([
    get(unitPath(id) + (state.q.trim() ? `?q=${encodeURIComponent(state.q)}` : '')),
    get(unitPath(id) + '/related?limit=5').catch(() => null),
    stats().catch(() => null),
  ]);
  if (!isCurrent()) return;
  const report = index?.reports.find((candidate) => candidate.id === unit.report);
  const words = unit.marks ? markedWords(unit.text, unit.marks.text) : [];
  replace(view, h('article', { class: 'unit', dataset: { id: unit.id, kind: unit.kind } },
    h('nav', { class: 'crumbs', 'aria-label': '导航 Navigation' },
      h('a', { href: backTo, dataset: { nav: '', back: '' }, class: 'back', title: 'Back to the results' }, '← 返回结果'),
      unit.parent ? [' · ', h('a', { href: unitURL(unit.parent, state), dataset: { nav: '' }, title: 'The part of the report that holds this unit' }, '所在章节')] : null),
    h('header', { class: 'unit-head' },
      h('p', { class: 'kind-line' }, kindBadge(unit.kind), ' ', h('span', { class: 'number' }, unit.number)),
      h('h1', { id: 'unit-title' }, unit.marks ? marked(unit.title, unit.marks.title) : unit.title),
      h('dl', { class: 'facts' },
        fact('报告', 'Report', reportName(unit, report)),
        fact('位置', 'Section', unit.headings?.join(' › ')),
        unit.schools?.length ? fact('学校', 'Schools', unit.schools.map((school) => school.name).join('、'), 'unit-schools') : null,
        unit.districts?.length ? fact('区', 'Districts', unit.districts.join('、')) : null,
        unit.years?.length ? fact('数据年份', 'Data years', unit.years.join('、')) : null,
        unit.pages
          // The printed page a citation names, and where that is in the file.
          ? fact('页', 'Pages', `${placeText(unit)}（PDF 第 ${unit.pages.start === unit.pages.end ? unit.pages.start : `${unit.pages.start}–${unit.pages.end}`} 页）`)
          : fact('行', 'Lines', `${unit.lines.start}–${unit.lines.end}`))),
    body(unit, words),
    contents(unit, state),
    citation(unit, report),
    relatedList(related, state)));
  document.title = `${unit.title} · anli`;
}

function fact(name, english, value, id) {
  if (!value) return null;
  return [h('dt', { title: english }, name), h('dd', { id }, value)];
}

function unitURL(id, state) {
  return stateURL({ unit: id, q: state.q, filters: {}, sort: 'relevance', page: 1 });
}

function body(unit, words) {
  if (unit.kind === 'table' && unit.table) return tableView(unit.table, words);
  if (unit.kind === 'row' && unit.row) return rowView(unit.row, words);
  // The text with its marks; a line break in the report is a paragraph here.
  const paragraphs = [];
  let offset = 0;
  for (const line of unit.text.split('\n')) {
    const length = Array.from(line).length;
    const marks = (unit.marks?.text ?? [])
      .filter(([start, end]) => start >= offset && end <= offset + length)
      .map(([start, end]) => [start - offset, end - offset]);
    if (line.trim() !== '') paragraphs.push(h('p', {}, marked(line, marks)));
    offset += length + 1;
  }
  return h('div', { class: 'unit-text', id: 'unit-text' }, paragraphs);
}

function tableView(table, words) {
  const cell = (tag, text) => h(tag, {}, markWords(text, words));
  return h('div', { class: 'unit-table', id: 'unit-text' },
    h('div', { class: 'table-scroll', tabindex: '0', 'aria-label': '表格 Table (scrolls)' },
      h('table', {},
        table.caption ? h('caption', {}, markWords(table.caption, words)) : null,
        table.header?.length ? h('thead', {}, h('tr', {}, table.header.map((text) => cell('th', text)))) : null,
        h('tbody', {}, (table.rows ?? []).map((row) => h('tr', {}, row.map((text, index) => cell(index === 0 ? 'th' : 'td', text))))))),
    table.source ? h('p', { class: 'source' }, table.source) : null);
}

function rowView(row, words) {
  return h('div', { class: 'unit-table', id: 'unit-text' },
    h('table', { class: 'row-table' },
      h('tbody', {}, (row.cells ?? []).map((cell) => h('tr', {},
        h('th', { scope: 'row' }, cell.header ?? ''),
        h('td', {}, markWords(cell.value ?? '', words),
          cell.number !== undefined && cell.unit ? h('span', { class: 'muted', title: 'as a number' }, ` (${cell.number} ${cell.unit === 'ratio' ? '比' : cell.unit})`) : null))))));
}

/** What the unit holds (a case's figures and tables) and links to. */
function contents(unit, state) {
  const linked = [...(unit.tables ?? []), ...(unit.figures ?? [])];
  if (linked.length === 0) return null;
  return h('section', { class: 'contains', 'aria-label': '包含 Contains' },
    h('h2', {}, '包含 ', h('span', { lang: 'en', class: 'muted' }, 'Figures and tables')),
    h('ul', {}, linked.map((id) => {
      const [, kind, number] = id.split('/');
      return h('li', {}, h('a', { href: unitURL(id, state), dataset: { nav: '' } }, `${kindLabels[kind] ?? kind} ${number}`),
        h('span', { class: 'muted', lang: 'en' }, ` ${kindEnglish[kind] ?? kind}`));
    })));
}

/** The report's title, with its year unless the title says it. */
function reportName(unit, report) {
  const title = report ? report.title : unit.report;
  return title.includes(String(unit.year)) ? title : `${title}（${unit.year}）`;
}

/** The citation a paper needs: report, year, where, which unit, and its
 * pages (the printed numbers where the PDF prints them) or, for a text
 * report, its lines. */
export function citationText(unit, report) {
  const title = reportName(unit, report);
  const where = unit.headings?.length ? unit.headings.join(' › ') : '';
  const label = `${kindLabels[unit.kind] ?? unit.kind} ${unit.number}`;
  return `${title}，${where ? where + '，' : ''}${label}“${unit.title}”，${placeText(unit)}。`;
}

/** `第 12 页`, `第 12–13 页` (printed numbers, else physical), or `第 3–9 行`. */
export function placeText(unit) {
  if (unit.pages) {
    const start = unit.pages.printed?.start ?? unit.pages.start;
    const end = unit.pages.printed?.end ?? unit.pages.end;
    return String(start) === String(end) ? `第 ${start} 页` : `第 ${start}–${end} 页`;
  }
  return `第 ${unit.lines.start}–${unit.lines.end} 行`;
}

function citation(unit, report) {
  const text = citationText(unit, report);
  const status = h('span', { class: 'copied', role: 'status', 'aria-live': 'polite' });
  return h('section', { class: 'cite', 'aria-label': '引用 Citation' },
    h('h2', {}, '引用 ', h('span', { lang: 'en', class: 'muted' }, 'Citation')),
    h('p', { id: 'citation-text' }, text),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button', id: 'copy-citation', title: 'Copy the citation',
        onclick: async () => { status.textContent = (await copy(text)) ? '已复制 Copied' : '请手动复制 Select and copy it'; },
      }, '复制引用'),
      ' ', status, ' ',
      h('a', { href: unitPath(unit.id), class: 'json', title: "The unit's JSON (/v1/units)", target: '_blank', rel: 'noopener' }, 'JSON')));
}

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API (an insecure origin, a browser that refuses): the old way.
    const area = h('textarea', { class: 'offscreen', readonly: true }, text);
    document.body.append(area);
    area.select();
    const done = document.execCommand?.('copy') ?? false;
    area.remove();
    return done;
  }
}

function relatedList(related, state) {
  if (!related || related.hits.length === 0) return null;
  return h('section', { class: 'related', 'aria-label': '相关案例 Related cases' },
    h('h2', {}, '相关案例 ', h('span', { lang: 'en', class: 'muted' }, 'Related cases')),
    related.terms.length ? h('p', { class: 'terms' }, '共同的词：', h('span', { class: 'muted', lang: 'en' }, '(shared words) '), related.terms.slice(0, 12).join('、')) : null,
    h('ol', { class: 'hits' }, related.hits.map((hit) => h('li', { class: 'hit', dataset: { id: hit.id } },
      h('div', { class: 'hit-head' }, kindBadge(hit.kind), h('span', { class: 'number' }, hit.number),
        h('a', { class: 'title', href: unitURL(hit.id, state), dataset: { nav: '' } }, hit.title)),
      hit.schools?.length ? h('p', { class: 'meta' }, hit.schools.map((school) => school.name).join('、')) : null,
      hit.snippet ? h('p', { class: 'snippet' }, snippet(hit.snippet)) : null))));
}
