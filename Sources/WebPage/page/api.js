// The daemon's public API (/v1, docs/API.md), as the page uses it: the page
// is a client like any other and knows nothing the API does not say.

/** An answer that is not a 200: the API's stable code and its message. */
export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Query parameters from a list of [name, value] pairs (names may repeat). */
export function query(pairs) {
  const parameters = new URLSearchParams();
  for (const [name, value] of pairs) parameters.append(name, value);
  const text = parameters.toString();
  return text ? `?${text}` : '';
}

/** GETs `path` and returns its JSON, or throws an APIError. */
export async function get(path) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new APIError(0, 'unreachable', `守护进程没有应答 (the daemon did not answer): ${error.message}`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: a proxy's page, a cut connection. Said below.
  }
  if (!response.ok || body === null) {
    const error = body && body.error;
    throw new APIError(response.status, error ? error.code : 'bad_answer',
      error ? error.message : `the daemon answered ${response.status} without a JSON body`);
  }
  return body;
}

/** The unit's path under /v1/units: each segment of its id encoded. */
export function unitPath(id) {
  return '/v1/units/' + id.split('/').map(encodeURIComponent).join('/');
}

let statsPromise = null;
/** /v1/stats, asked once per page load (report titles for citations). */
export function stats() {
  statsPromise ??= get('/v1/stats').catch((error) => { statsPromise = null; throw error; });
  return statsPromise;
}
