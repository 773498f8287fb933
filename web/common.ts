// What every dashboard page shares: the access token, the API's calls and the run
// record's line types (docs/dashboard.md). The server puts the token in
// <meta name="gankit-token"> of the pages it sends to authorised requests; requests
// that change something carry it in the Authorization header, as the server requires.

/** The token of this dashboard, from the page the server sent. */
export function token(): string {
  const meta = document.querySelector<HTMLMetaElement>('meta[name="gankit-token"]');
  if (!meta?.content)
    throw new Error('Expected the page to carry its access token; open the address gankit dash printed');
  return meta.content;
}

/** GET a JSON answer of the API; throws the server's error sentence. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token()}` } });
  return answer<T>(response, path);
}

/** POST (the only way to change anything): JSON body, token in the header. */
export async function post<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer<T>(response, path);
}

async function answer<T>(response: Response, path: string): Promise<T> {
  const text = await response.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${path}: expected JSON but received ${response.status} ${text.slice(0, 80)}`);
  }
  if (!response.ok) throw new Error((value as { error?: string }).error ?? `${path}: ${response.status}`);
  return value as T;
}

/** `?run=NAME` for the API; names are paths relative to the runs folder. */
export const runQuery = (name: string) => `run=${encodeURIComponent(name)}`;

/** A run's file under /files/ (the server checks it stays inside the runs folder). */
export const fileUrl = (name: string, file: string) =>
  `/files/${name.split('/').map(encodeURIComponent).join('/')}/${file.split('/').map(encodeURIComponent).join('/')}`;

export interface RunSummary {
  name: string;
  step: number;
  steps: number | null;
  status: 'training' | 'finished' | 'stopped';
  data: string | null;
  model: string | null;
  loss: string | null;
  kind: 'toy2d' | 'toy1d' | 'image' | null;
  updated: number;
}

export interface RunDetail extends RunSummary {
  options: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
  snapshots: { step: number; kind: string; file: string }[];
  checkpoints: { step: number; generator: string; average: string | null }[];
  pid: number | null;
}

/** A line of stats.jsonl (src/run/stats.ts's StatsLine, as the page reads it). */
export type StatsLine = { step: number } & (
  | {
      lossD: number | null;
      lossG: number | null;
      dReal: number | null;
      dFake: number | null;
      lr: number | null;
      seconds: number | null;
      aux?: number;
    }
  | { metrics: Record<string, unknown> }
  | { imageMetrics: Record<string, number> }
  | { warning: string }
  | { rollback: { at: number; to: number; lrScale: number; reason: string } }
  | { resume: { steps: number; lrScale?: number } }
);

/** live.json (docs/dashboard.md §1). */
export interface LiveFrame {
  format: 'gankit-live';
  version: 1;
  step: number;
  time: number;
  dim: 1 | 2;
  bounds: { xmin: number; xmax: number; ymin: number; ymax: number };
  field?: { nx: number; ny: number; values: number[] };
  density?: { nx: number; ny: number; values: number[] };
  fake: number[];
  arrows?: { points: number[]; dirs: number[] };
  xs?: number[];
  d?: number[];
  dStar?: number[];
  pData?: number[];
  pG?: number[];
}
