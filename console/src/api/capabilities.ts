/**
 * What the running service offers beyond the routes every version has, read from its own OpenAPI
 * document (/openapi.json) the first time a page asks: so the console shows the reproduce check,
 * a dry-run simulate or operation lease details only when the API it talks to has them.
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface OperationRef {
  readonly method: 'get' | 'post';
  readonly path: string;
}

export interface RequestExample {
  readonly label: string;
  readonly body: unknown;
}

export interface Capabilities {
  /** The service's version as its document states it. */
  readonly apiVersion: string;
  /** `POST /rebalance/runs/{id}/reproduce`, when the API has it. */
  readonly reproduceRun: OperationRef | null;
  /** A simulate that records nothing, when the API has one. */
  readonly dryRunSimulate: OperationRef | null;
  /** The request examples the document gives for an operation. */
  examplesFor(method: 'post', path: string): RequestExample[];
}

function operation(doc: Json, path: string, method: string): Json | undefined {
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  const item = paths[path];
  return isObject(item) && isObject(item[method]) ? item[method] : undefined;
}

function jsonContent(part: unknown): Json | undefined {
  const content = isObject(part) && isObject(part['content']) ? part['content'] : undefined;
  const json = content?.['application/json'];
  return isObject(json) ? json : undefined;
}

function findPath(doc: Json, method: string, test: (path: string, op: Json) => boolean): OperationRef | null {
  const paths = isObject(doc['paths']) ? doc['paths'] : {};
  for (const [path, item] of Object.entries(paths)) {
    const op = isObject(item) ? item[method] : undefined;
    if (isObject(op) && test(path, op)) return { method: method as 'post', path };
  }
  return null;
}

function parameterNames(op: Json): string[] {
  return Array.isArray(op['parameters']) ? op['parameters'].filter(isObject).map((p) => String(p['name'] ?? '').toLowerCase()) : [];
}

export function readCapabilities(doc: Json): Capabilities {
  const info = isObject(doc['info']) ? doc['info'] : {};
  return {
    apiVersion: String(info['version'] ?? 'unknown'),
    reproduceRun: findPath(doc, 'post', (path) => /^\/rebalance\/runs\/\{[^}]+\}\/reproduce$/.test(path)),
    dryRunSimulate: findPath(
      doc,
      'post',
      (path, op) => /^\/rebalance\/simulate\/?(dry[-_]run)$/.test(path) || (path === '/rebalance/simulate' && parameterNames(op).includes('dry_run')),
    ),
    examplesFor(method, path) {
      const json = jsonContent(operation(doc, path, method)?.['requestBody']);
      if (!json) return [];
      const found: RequestExample[] = [];
      if (json['example'] !== undefined) found.push({ label: 'Documented example', body: json['example'] });
      if (isObject(json['examples'])) {
        for (const [name, example] of Object.entries(json['examples'])) {
          if (isObject(example) && example['value'] !== undefined) found.push({ label: String(example['summary'] ?? name), body: example['value'] });
        }
      }
      const schema = isObject(json['schema']) ? json['schema'] : {};
      if (found.length === 0 && Array.isArray(schema['examples'])) schema['examples'].forEach((body, i) => found.push({ label: `Documented example ${i + 1}`, body }));
      return found;
    },
  };
}

let loading: Promise<Capabilities> | undefined;

/** The service's capabilities, fetched once per page load. */
export function capabilities(): Promise<Capabilities> {
  loading ??= fetch('/openapi.json', { headers: { accept: 'application/json' } })
    .then((response) => {
      if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
      return response.json() as Promise<Json>;
    })
    .then(readCapabilities)
    .catch((error: unknown) => {
      loading = undefined; // try again on the next page that asks
      throw error;
    });
  return loading;
}
