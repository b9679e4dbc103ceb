// What the page shows, as a URL: every search, filter, page and unit is a
// link that can be shared, reloaded and gone back to.

/** The filter fields the page offers, in the order of the facet column. */
export const filterFields = ['kind', 'school', 'district', 'year', 'chapter'];
export const pageSize = 10;

/** The state in `search` (location.search). */
export function readState(search) {
  const parameters = new URLSearchParams(search);
  const filters = {};
  for (const field of filterFields) {
    const values = parameters.getAll(field).filter((value) => value.trim() !== '');
    if (values.length > 0) filters[field] = values;
  }
  const page = Number.parseInt(parameters.get('page') ?? '1', 10);
  return {
    q: parameters.get('q') ?? '',
    filters,
    sort: ['year', 'year-asc'].includes(parameters.get('sort')) ? parameters.get('sort') : 'relevance',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    unit: parameters.get('unit') ?? null,
  };
}

/** The page's own URL for `state`. */
export function stateURL(state) {
  const parameters = new URLSearchParams();
  if (state.unit) parameters.set('unit', state.unit);
  if (state.q) parameters.set('q', state.q);
  if (!state.unit) {
    for (const field of filterFields) for (const value of state.filters[field] ?? []) parameters.append(field, value);
    if (state.sort !== 'relevance') parameters.set('sort', state.sort);
    if (state.page > 1) parameters.set('page', String(state.page));
  }
  const text = parameters.toString();
  return text ? `/?${text}` : '/';
}

/** The API parameters of the search `state` describes, without a page. */
export function searchPairs(state) {
  const pairs = [];
  if (state.q.trim() !== '') pairs.push(['q', state.q]);
  for (const field of filterFields) for (const value of state.filters[field] ?? []) pairs.push([field, value]);
  if (state.sort !== 'relevance') pairs.push(['sort', state.sort]);
  return pairs;
}

/** Whether `state` asks for a search (the API needs a query or a filter). */
export function isSearch(state) {
  return state.q.trim() !== '' || Object.keys(state.filters).length > 0;
}

export function withFilter(state, field, value, on) {
  const values = (state.filters[field] ?? []).filter((existing) => existing !== value);
  if (on) values.push(value);
  const filters = { ...state.filters, [field]: values };
  if (values.length === 0) delete filters[field];
  return { ...state, filters, page: 1, unit: null };
}
