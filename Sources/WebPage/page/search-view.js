// The search page: summary, active filters, the years chart, the hits and
// the pager beside the facet column.
import { h, kindBadge, replace, snippet } from './dom.js';
import { yearChart } from './chart.js';
import { query } from './api.js';
import { filterFields, pageSize, searchPairs, stateURL, withFilter } from './state.js';
import { placeText } from './unit-view.js';

const facetNames = {
  kind: ['类型', 'Kind'],
  school: ['学校', 'School'],
  district: ['区', 'District'],
  year: ['年份', 'Report year'],
  chapter: ['章', 'Chapter'],
};
const sortNames = [
  ['relevance', '相关度', 'Relevance'],
  ['year', '年份 新→旧', 'Year, newest first'],
  ['year-asc', '年份 旧→新', 'Year, oldest first'],
];
/** Whether the reader opened (true) or closed (false) the filters; null: not touched. */
let facetsOpen = null;
/** Facet values shown before "more". */
const shortList = 8;

/** Renders `results` of the search `state` into `view`. */
export function renderSearch(view, state, results) {
  replace(view, h('div', { class: 'search-layout' },
    facetColumn(state, results.facets ?? {}),
    h('section', { class: 'results', 'aria-label': '搜索结果 Search results' },
      summary(state, results),
      chips(state),
      suggestions(results),
      results.facets?.year?.length ? yearChart(results.facets.year, state) : null,
      hitList(state, results),
      pager(state, results))));
}

function summary(state, results) {
  const milliseconds = (results.took_us / 1000).toFixed(results.took_us < 10000 ? 2 : 0);
  return h('div', { class: 'summary' },
    h('p', { class: 'count', id: 'result-count', dataset: { total: results.total } },
      h('strong', {}, results.total.toLocaleString('zh-CN')), ' 条结果 ',
      h('span', { class: 'muted', title: 'results, time spent searching' }, `(${milliseconds} 毫秒)`)),
    h('label', { class: 'sort', title: 'Sort' }, '排序 ',
      h('select', { id: 'sort', 'aria-label': '排序 Sort' },
        sortNames.map(([value, label, english]) => h('option', { value, selected: state.sort === value, title: english }, label)))),
    h('span', { class: 'export', title: 'Export every result' }, '导出 ',
      exportLink(state, 'csv', 'CSV'), ' ', exportLink(state, 'ndjson', 'NDJSON')));
}

function exportLink(state, format, label) {
  const name = `anli-${(state.q || 'export').slice(0, 30).replace(/[\\/:*?"<>|\s]+/g, '_')}.${format === 'csv' ? 'csv' : 'jsonl'}`;
  return h('a', {
    href: '/v1/export' + query([...searchPairs(state), ['format', format]]),
    download: name, class: `export-${format}`, title: `Download every result as ${label}`,
  }, label);
}

function chips(state) {
  const active = filterFields.flatMap((field) => (state.filters[field] ?? []).map((value) => [field, value]));
  if (active.length === 0) return null;
  return h('ul', { class: 'chips', 'aria-label': '已选筛选 Active filters' },
    active.map(([field, value]) => h('li', {},
      h('a', {
        class: 'chip', href: stateURL(withFilter(state, field, value, false)), dataset: { nav: '', field, value },
        title: `Remove filter ${field}: ${value}`, 'aria-label': `移除 ${facetNames[field][0]}：${value} (remove)`,
      }, `${facetNames[field][0]}：${value}`, h('span', { 'aria-hidden': 'true', class: 'x' }, '×')))));
}

function suggestions(results) {
  if (!results.suggestions?.length) return null;
  return h('p', { class: 'suggestions' }, '试试 ', h('span', { lang: 'en', class: 'muted' }, '(try) '),
    results.suggestions.map((suggestion, index) => [
      index > 0 ? '、' : '',
      h('a', { href: stateURL({ q: suggestion.query, filters: {}, sort: 'relevance', page: 1 }), dataset: { nav: '' } }, suggestion.query),
      h('span', { class: 'muted' }, `（${suggestion.total} 条）`),
    ]));
}

function hitList(state, results) {
  if (results.hits.length === 0) {
    return h('p', { class: 'empty' }, '没有找到结果。', h('span', { lang: 'en', class: 'muted' }, ' Nothing found.'));
  }
  const items = [];
  results.hits.forEach((hit, index) => {
    const previous = results.hits[index - 1];
    if (hit.match === 'partial' && (!previous || previous.match !== 'partial')) {
      items.push(h('li', { class: 'partial-divider', role: 'presentation' },
        '部分匹配：只含查询的一部分，不计入总数',
        h('span', { lang: 'en', class: 'muted' }, ' Partial matches: part of the query; not counted in the total')));
    }
    items.push(hitItem(state, hit, results.offset + index + 1));
  });
  return h('ol', { class: 'hits', start: results.offset + 1 }, items);
}

function hitItem(state, hit, rank) {
  const place = hit.headings?.length ? hit.headings[hit.headings.length - 1] : '';
  return h('li', { class: `hit match-${hit.match ?? 'exact'}`, dataset: { id: hit.id, rank } },
    h('div', { class: 'hit-head' },
      kindBadge(hit.kind),
      h('span', { class: 'number' }, hit.number),
      hit.match === 'partial' ? h('span', { class: 'badge partial', title: 'partial match' }, '部分') : null,
      h('a', { class: 'title', href: stateURL({ unit: hit.id, q: state.q, filters: {}, sort: 'relevance', page: 1 }), dataset: { nav: '' } }, hit.title)),
    h('p', { class: 'meta' },
      [hit.year, hit.pages ? placeText(hit) : null, hit.schools?.map((school) => school.name).join('、'), place && !place.endsWith(hit.title) ? place : null]
        .filter(Boolean).map((part, index) => [index > 0 ? ' · ' : '', h('span', {}, part)])),
    hit.snippet ? h('p', { class: 'snippet' }, snippet(hit.snippet)) : null);
}

function pager(state, results) {
  const pages = Math.max(1, Math.ceil(results.total / pageSize));
  const hasNext = results.hits.length === pageSize && results.offset + pageSize < 100000;
  if (state.page === 1 && !hasNext) return null;
  return h('nav', { class: 'pager', 'aria-label': '翻页 Pages' },
    state.page > 1
      ? h('a', { href: stateURL({ ...state, page: state.page - 1 }), rel: 'prev', dataset: { nav: '' }, class: 'prev', title: 'Previous page' }, '← 上一页')
      : h('span', { class: 'prev disabled', 'aria-hidden': 'true' }, '← 上一页'),
    h('span', { class: 'page', 'aria-current': 'page' }, `第 ${state.page} 页`, state.page <= pages ? ` / 共 ${pages} 页` : ''),
    hasNext
      ? h('a', { href: stateURL({ ...state, page: state.page + 1 }), rel: 'next', dataset: { nav: '' }, class: 'next', title: 'Next page' }, '下一页 →')
      : h('span', { class: 'next disabled', 'aria-hidden': 'true' }, '下一页 →'));
}

function facetColumn(state, facets) {
  // Open beside the results; on a phone, above them and closed, so that
  // the results come first and the filters are one tap away.
  // A reader's own opening or closing holds for the next searches.
  const open = facetsOpen ?? !matchMedia('(max-width: 760px)').matches;
  return h('aside', { class: 'facets', 'aria-label': '筛选 Filters' },
    h('details', { class: 'facets-box', open, ontoggle: (event) => { facetsOpen = event.currentTarget.open; } },
      h('summary', {}, '筛选 ', h('span', { lang: 'en', class: 'muted' }, 'Filters')),
      filterFields.filter((field) => facets[field]?.length).map((field) => facetGroup(state, field, facets[field]))));
}

function facetGroup(state, field, counts) {
  const [name, english] = facetNames[field];
  const selected = new Set(state.filters[field] ?? []);
  const item = (count) => {
    const on = selected.has(count.value);
    return h('li', {},
      h('a', {
        href: stateURL(withFilter(state, field, count.value, !on)), dataset: { nav: '', field, value: count.value },
        class: on ? 'facet on' : 'facet', 'aria-current': on ? 'true' : null,
        title: `${count.label} (${english})`,
      }, h('span', { class: 'label' }, count.label), h('span', { class: 'n' }, count.count.toLocaleString('zh-CN'))));
  };
  const first = counts.slice(0, shortList).map(item);
  const rest = counts.slice(shortList).map(item);
  return h('section', { class: `facet-group facet-${field}`, 'aria-label': `${name} ${english}` },
    h('h2', {}, name, ' ', h('span', { lang: 'en', class: 'muted' }, english)),
    h('ul', {}, first),
    rest.length ? h('details', { class: 'more' }, h('summary', {}, `更多 ${rest.length} 项`, h('span', { lang: 'en', class: 'muted' }, ' more')), h('ul', {}, rest)) : null);
}

/** The page before any search: what the index holds, and a few ways in. */
export function renderLanding(view, stats) {
  const order = ['case', 'section', 'table', 'row', 'figure'];
  const rank = (kind) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  const kinds = Object.entries(stats.units_per_kind ?? {}).sort((a, b) => rank(a[0]) - rank(b[0]));
  const examples = ['产教融合', '现代学徒制', '生师比', '乡村振兴', '技能大赛'];
  replace(view, h('section', { class: 'landing', 'aria-label': '概览 Overview' },
    h('h1', {}, '中等职业教育质量报告检索', h('span', { lang: 'en', class: 'muted' }, ' Search the annual quality reports')),
    h('p', {}, `${stats.reports.length} 份报告，${stats.units.toLocaleString('zh-CN')} 个单元：`,
      kinds.map(([kind, count], index) => [index > 0 ? '，' : '', h('a', { href: stateURL({ q: '', filters: { kind: [kind] }, sort: 'relevance', page: 1 }), dataset: { nav: '' } }, `${count} ${kindName(kind)}`)]), '。'),
    h('p', {}, '试试 ', h('span', { lang: 'en', class: 'muted' }, '(try) '),
      examples.map((example, index) => [index > 0 ? '、' : '', h('a', { href: stateURL({ q: example, filters: {}, sort: 'relevance', page: 1 }), dataset: { nav: '' } }, example)])),
    h('ul', { class: 'reports', 'aria-label': '报告 Reports' },
      stats.reports.map((report) => h('li', {},
        h('a', { href: stateURL({ q: '', filters: { year: [String(report.year)] }, sort: 'relevance', page: 1 }), dataset: { nav: '' } }, report.title),
        h('span', { class: 'muted' }, ` ${report.year} · ${report.units} 个单元`))))));
}

function kindName(kind) {
  return { case: '个案例', section: '个章节', table: '张表', row: '个表行', figure: '幅图' }[kind] ?? kind;
}
