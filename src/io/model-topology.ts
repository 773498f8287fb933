// The graph of an untrusted model.json, checked before tfjs sees it. tfjs-layers builds a
// functional model (engine/container.js, Container.fromConfig) by queueing every layer's
// inbound nodes and processing them, pass after pass, until the queue is empty; a node
// whose input does not exist yet is queued again. A node naming a layer that does not
// exist, a node index that layer never gets, or a cycle therefore never leaves the queue
// and tfjs loops forever. This file runs the same queue on names and counts alone and
// refuses the graph, with the reason, where tfjs would loop; it also refuses duplicate
// layer names and missing input or output layers, which tfjs reports obscurely if at all.
//
// Names as tfjs reads them: keys are converted from snake_case to camelCase
// (utils/serialization_utils.js, convertPythonicToTs), layer names are kept as written.

/** Nested models deeper than this are refused (gankit's models have none; tfjs recurses on them). */
const MAX_NESTING = 32;
/**
 * Layers in one model at most: gankit's have tens. tfjs's queue takes a pass per layer
 * in the worst order, so a file with millions of layers would keep it busy for hours.
 */
const MAX_LAYERS = 10_000;

type Json = Record<string, unknown>;

/** tfjs's toCamelCase (utils/generic_utils.js), so that keys are matched as tfjs matches them. */
function camel(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

/** obj's value under `key` as tfjs sees it: of the keys that convert to `key`, the last one wins. */
function field(obj: Json, key: string): unknown {
  let value: unknown;
  for (const k of Object.keys(obj)) if (camel(k) === key) value = obj[k];
  return value;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
};

/**
 * Throws an Error naming `file` when tfjs could not build the model in `topology` (the
 * modelTopology of model.json): a graph tfjs would loop on, duplicate or missing layers.
 */
export function checkTopology(file: string, topology: unknown): void {
  const fail = (what: string): never => {
    throw new Error(
      `Expected a tfjs model at ${file} that tfjs can build but ${what}; the file is damaged or was not ` +
        'written by tfjs: restore it or write it again',
    );
  };
  if (!isObject(topology)) return fail(`its modelTopology is ${show(topology)}`);
  // tfjs reads a Keras-style model_config in place of the whole topology when there is one.
  const modelConfig = topology['model_config'];
  checkLayerObject(modelConfig != null ? modelConfig : topology, 'the model', 0, fail);
}

/** A serialized layer or model: { className, config }; models are checked inside. */
function checkLayerObject(value: unknown, where: string, depth: number, fail: (what: string) => never): void {
  if (!isObject(value)) return fail(`${where} is ${show(value)} instead of an object with className and config`);
  const className = field(value, 'className');
  if (typeof className !== 'string') return fail(`${where} has className ${show(className)}`);
  const kind = camel(className);
  if (kind !== 'Model' && kind !== 'Functional' && kind !== 'Sequential') return;
  if (depth >= MAX_NESTING) return fail(`its models are nested more than ${MAX_NESTING} deep`);
  const config = field(value, 'config');
  if (kind === 'Sequential') return checkSequential(config, where, depth, fail);
  checkFunctional(config, where, depth, fail);
}

function checkSequential(config: unknown, where: string, depth: number, fail: (what: string) => never): void {
  const layers = Array.isArray(config) ? config : isObject(config) ? field(config, 'layers') : undefined;
  if (!Array.isArray(layers)) return fail(`${where} (a Sequential model) has no list of layers`);
  layers.forEach((layer, i) => checkLayerObject(layer, `layer ${i} of ${where}`, depth + 1, fail));
}

/** A queued inbound node: node `n` of `layer`. */
interface Waiting {
  layer: string;
  node: unknown[];
  n: number;
}

interface LayerEntry {
  name: string;
  kind: string;
  nodes: unknown[][];
}

function checkFunctional(config: unknown, where: string, depth: number, fail: (what: string) => never): void {
  if (!isObject(config)) return fail(`${where} has config ${show(config)} instead of an object`);
  const layersValue = field(config, 'layers');
  if (!Array.isArray(layersValue)) return fail(`${where} has layers ${show(layersValue)} instead of a list`);
  if (layersValue.length > MAX_LAYERS) return fail(`${where} has ${layersValue.length} layers (at most ${MAX_LAYERS})`);
  const layers: LayerEntry[] = [];
  const names = new Set<string>();
  layersValue.forEach((layer, i) => {
    const at = `layer ${i} of ${where}`;
    if (!isObject(layer)) return fail(`${at} is ${show(layer)}`);
    const name = layer['name'];
    if (typeof name !== 'string') return fail(`${at} has name ${show(name)} instead of a string`);
    if (names.has(name)) return fail(`two layers of ${where} are named ${show(name)}`);
    names.add(name);
    const inner = field(layer, 'config');
    const innerName = isObject(inner) ? inner['name'] : undefined;
    if (innerName !== undefined && innerName !== name) {
      return fail(`layer ${show(name)} of ${where} is named ${show(innerName)} in its config`);
    }
    checkLayerObject(layer, `layer ${show(name)} of ${where}`, depth + 1, fail);
    const nodes = field(layer, 'inboundNodes');
    if (!Array.isArray(nodes)) return fail(`layer ${show(name)} of ${where} has inbound nodes ${show(nodes)}`);
    nodes.forEach((node, n) => checkNode(node, `inbound node ${n} of layer ${show(name)} of ${where}`, fail));
    const kind = camel(String(field(layer, 'className')));
    layers.push({ name, kind, nodes: nodes as unknown[][] });
  });
  const counts = processNodes(layers, where, fail);
  for (const key of ['inputLayers', 'outputLayers']) {
    const list = field(config, key);
    if (!Array.isArray(list)) return fail(`${where} has ${key} ${show(list)} instead of a list`);
    list.forEach((entry, i) => {
      const at = `entry ${i} of ${key} of ${where}`;
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isIndex(entry[1]) || !isIndex(entry[2])) {
        return fail(`${at} is ${show(entry)} instead of [layer name, node index, tensor index]`);
      }
      const count = counts.get(entry[0]);
      if (count === undefined) return fail(`${at} names layer ${show(entry[0])}, which ${where} does not have`);
      if (entry[1] >= count) return fail(`${at} names node ${entry[1]} of layer ${show(entry[0])}, which has ${count}`);
    });
  }
}

/** An inbound node: a list of [layer name, node index, tensor index, keyword arguments?]. */
function checkNode(node: unknown, at: string, fail: (what: string) => never): void {
  if (!Array.isArray(node)) return fail(`${at} is ${show(node)} instead of a list`);
  node.forEach((input, i) => {
    const ok =
      Array.isArray(input) &&
      typeof input[0] === 'string' &&
      isIndex(input[1]) &&
      isIndex(input[2]) &&
      (input[3] == null || isObject(input[3]));
    if (!ok) fail(`input ${i} of ${at} is ${show(input)} instead of [layer name, node index, tensor index, {…}]`);
  });
}

/**
 * tfjs's queue, on counts: every layer's nodes are queued; a pass over the layers (in
 * file order) processes each queued node whose inputs exist (the named layer has that
 * many nodes), which gives its layer one more node, and queues the others again. Returns
 * each layer's final node count; fails where a pass would make no progress (tfjs loops).
 */
function processNodes(layers: LayerEntry[], where: string, fail: (what: string) => never): Map<string, number> {
  // An input layer has its node from the start, and so has a nested model: the node
  // linking its own inputs to its outputs (a Sequential one once it has a layer).
  const counts = new Map<string, number>(
    layers.map((l) => [l.name, l.kind === 'InputLayer' || l.kind === 'Model' || l.kind === 'Functional' ? 1 : 0]),
  );
  for (const l of layers) if (l.kind === 'Sequential') counts.set(l.name, 1);
  const ready = (node: unknown[]) =>
    node.every((input) => {
      const [name, index] = input as [string, number];
      return counts.has(name) && counts.get(name)! > index;
    });
  let queue = new Map(layers.map((l) => [l.name, l.nodes.map((node, n) => ({ layer: l.name, node, n }))]));
  let left = layers.reduce((sum, l) => sum + l.nodes.length, 0);
  while (left > 0) {
    const waiting = new Map<string, Waiting[]>();
    let waitingCount = 0;
    for (const l of layers) {
      for (const item of queue.get(l.name) ?? []) {
        if (!ready(item.node)) {
          if (!waiting.has(l.name)) waiting.set(l.name, []);
          waiting.get(l.name)!.push(item);
          waitingCount++;
        } else if (item.node.length > 0) counts.set(l.name, counts.get(l.name)! + 1);
      }
    }
    if (waitingCount === left) return stuck([...waiting.values()].flat(), counts, where, fail);
    queue = waiting;
    left = waitingCount;
  }
  return counts;
}

/** Says why the queue is stuck: a missing layer, a node index its layer never gets, or a cycle. */
function stuck(waiting: Waiting[], counts: Map<string, number>, where: string, fail: (what: string) => never): never {
  // What each layer would have if every waiting node were processed: an index beyond it never exists.
  const possible = new Map(counts);
  for (const w of waiting) if (w.node.length > 0) possible.set(w.layer, possible.get(w.layer)! + 1);
  for (const w of waiting) {
    for (const input of w.node) {
      const [name, index] = input as [string, number];
      const at = `inbound node ${w.n} of layer ${show(w.layer)} of ${where}`;
      if (!counts.has(name)) fail(`${at} names layer ${show(name)}, which ${where} does not have`);
      if (index >= possible.get(name)!) {
        fail(`${at} names node ${index} of layer ${show(name)}, which never has more than ${possible.get(name)}`);
      }
    }
  }
  const cycle = [...new Set(waiting.map((w) => show(w.layer)))].join(', ');
  return fail(`the inbound nodes of layers ${cycle} of ${where} wait on each other (a cycle)`);
}
