// The page's controller: reads the state from the URL, asks the API,
// renders; turns clicks on the page's own links into history entries, so
// that every view is a URL and the back button works.
import { APIError, get, query, stats } from './api.js';
import { h, replace } from './dom.js';
import { renderLanding, renderSearch } from './search-view.js';
import { renderUnit } from './unit-view.js';
import { isSearch, pageSize, readState, searchPairs, stateURL } from './state.js';

const view = document.getElementById('view');
const form = document.getElementById('search-form');
const box = document.getElementById('q');

/** Enter-to-paint times of this page's searches, for the tests and the curious. */
window.anliTimings = [];

let generation = 0;
let lastSearchURL = '/';

async function render({ focusView = false } = {}) {
  const state = readState(location.search);
  const mine = ++generation;
  box.value = state.q;
  view.setAttribute('aria-busy', 'true');
  try {
    if (state.unit) {
      // Opened from a link rather than the results: back to its query's results.
      const backTo = lastSearchURL !== '/' || !state.q ? lastSearchURL : stateURL({ q: state.q, filters: {}, sort: 'relevance', page: 1 });
      await renderUnit(view, state, backTo, () => mine === generation);
    } else if (isSearch(state)) {
      const results = await get('/v1/search' + query([
        ...searchPairs(state),
        ['facets', 'kind,school,district,year,chapter'],
        ['limit', String(pageSize)],
        ['offset', String((state.page - 1) * pageSize)],
      ]));
      if (mine !== generation) return;
      renderSearch(view, state, results);
      lastSearchURL = stateURL(state);
      document.title = `${state.q || '浏览'} · anli`;
    } else {
      const index = await stats();
      if (mine !== generation) return;
      renderLanding(view, index);
      document.title = 'anli 案例检索';
    }
  } catch (error) {
    if (mine !== generation) return;
    showError(error, state);
  } finally {
    if (mine === generation) view.removeAttribute('aria-busy');
  }
  if (focusView) view.focus({ preventScroll: true });
  markPainted(state);
}

/** Records the time from Enter (or a click) to the results painted. */
let started = null;
function markPainted(state) {
  if (started === null) return;
  const begin = started;
  started = null;
  // The frame after this one has been painted by the time a task queued
  // from its animation callback runs.
  requestAnimationFrame(() => setTimeout(() => {
    const milliseconds = performance.now() - begin;
    window.anliTimings.push({ q: state.q, unit: state.unit, ms: Math.round(milliseconds * 10) / 10 });
    document.body.dataset.lastPaintMs = milliseconds.toFixed(1);
  }, 0));
}

function showError(error, state) {
  const api = error instanceof APIError;
  const parts = [h('strong', {}, headline(error)), ' ', h('span', { class: 'message' }, error.message)];
  if (api && error.code === 'index_not_found') {
    parts.push(h('p', {}, '建立索引 ', h('span', { lang: 'en', class: 'muted' }, '(build it) '), h('code', {}, 'anli index'), '，然后刷新本页。'));
  }
  replace(view, h('div', { class: 'error', role: 'alert', dataset: { code: api ? error.code : 'page_error' } }, parts),
    state.unit ? h('p', {}, h('a', { href: lastSearchURL, dataset: { nav: '' } }, '← 返回结果')) : null);
}

function headline(error) {
  if (!(error instanceof APIError)) return '页面出错 (page error)';
  switch (error.code) {
    case 'bad_query': return '查询有误 (bad query)';
    case 'unit_not_found': return '没有这个单元 (no such unit)';
    case 'index_not_found': case 'index_corrupt': case 'index_unreadable': return '索引不可用 (no usable index)';
    case 'unreachable': return '无法连接 (unreachable)';
    default: return `出错了 (${error.code})`;
  }
}

function navigate(url) {
  if (url === location.pathname + location.search) return render();
  // A unit opened from the results can go back to them with the history.
  const fromSearch = !readState(location.search).unit && readState(new URL(url, location.href).search).unit !== null;
  history.pushState({ fromSearch }, '', url);
  render({ focusView: true });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  started = performance.now();
  const state = readState(location.search);
  // A new query keeps the filters and starts at its first page.
  navigate(stateURL({ ...state, q: box.value.trim(), page: 1, unit: null, filters: state.unit ? {} : state.filters }));
});

// The page's own links become history entries instead of page loads; a
// modified click (new tab, new window) is left to the browser.
document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[data-nav]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  started = performance.now();
  if (link.dataset.back !== undefined && history.state?.fromSearch) return history.back();
  navigate(link.getAttribute('href') ?? link.getAttribute('xlink:href'));
});

document.addEventListener('change', (event) => {
  if (event.target.id !== 'sort') return;
  started = performance.now();
  navigate(stateURL({ ...readState(location.search), sort: event.target.value, page: 1 }));
});

addEventListener('popstate', () => render());

// `/` focuses the search box (unless typing somewhere already).
document.addEventListener('keydown', (event) => {
  if (event.key !== '/' || event.metaKey || event.ctrlKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target.isContentEditable) return;
  event.preventDefault();
  box.focus();
  box.select();
});

const help = document.getElementById('help');
document.getElementById('help-toggle').addEventListener('click', (event) => {
  help.hidden = !help.hidden;
  event.currentTarget.setAttribute('aria-expanded', String(!help.hidden));
});

// Never a blank page: whatever escapes is shown where the results go.
addEventListener('error', (event) => showError(event.error ?? new Error(event.message), readState(location.search)));
addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  showError(event.reason instanceof Error ? event.reason : new Error(String(event.reason)), readState(location.search));
});

render();
