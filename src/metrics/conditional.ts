// Metrics for conditional generators, written against a plain classifier so that any
// classifier can judge: the evaluation's feature network on images, the nearest mode
// on the 2D mixtures.
// - Conditional accuracy: the fraction of G's class-k samples that the classifier puts
//   in class k, averaged over the classes.
// - InfoGAN's categorical code as an unsupervised classifier (Chen et al. 2016, §5.1,
//   who report 5% error on MNIST): code values have no names, so each is matched to one
//   class by the one-to-one mapping that agrees with the most examples (the assignment
//   problem, solved by the Hungarian algorithm), and the accuracy is that agreement.
import { createRequire } from 'node:module';

/** How well a conditional run obeys its labels or codes (recorded with its mode metrics). */
export interface ConditionalMetrics {
  /** cgan, acgan: mean over classes of the fraction of class-k samples nearest to mode k. */
  classAccuracy?: number;
  /** infogan: fraction of samples whose code value maps to their nearest mode (best one-to-one mapping). */
  codeAccuracy?: number;
}

/**
 * The predicted class of each of n examples (images NHWC, or points, row-major); a
 * classifier on tensors answers asynchronously (its read is `await tensor.data()`).
 */
export type Classifier = (examples: Float32Array, n: number) => Int32Array | Promise<Int32Array>;

/** n samples of G for class (or categorical code value) k (a G on tensors answers asynchronously). */
export type ClassSampler = (k: number, n: number) => Float32Array | Promise<Float32Array>;

export interface ConditionalAccuracy {
  /** Mean over the classes of the per-class accuracy. */
  accuracy: number;
  /** Fraction of class-k samples classified as k, for each k. */
  perClass: number[];
}

export interface CodeAccuracy {
  /** Fraction of examples whose code value maps to their class. */
  accuracy: number;
  /** The class each code value is matched to (−1: none, when there are more code values than classes). */
  mapping: number[];
  /** counts[code][class]: examples of each code value in each class. */
  counts: number[][];
}

export async function conditionalAccuracy(
  classify: Classifier,
  generate: ClassSampler,
  numClasses: number,
  perClass: number,
): Promise<ConditionalAccuracy> {
  checkCount('numClasses', numClasses, 1);
  checkCount('perClass', perClass, 1);
  const accuracies: number[] = [];
  for (let k = 0; k < numClasses; k++) {
    const predicted = await classify(await generate(k, perClass), perClass);
    checkPredictions(predicted, perClass);
    let right = 0;
    for (const p of predicted) if (p === k) right++;
    accuracies.push(right / perClass);
  }
  return { accuracy: accuracies.reduce((a, b) => a + b, 0) / numClasses, perClass: accuracies };
}

/**
 * InfoGAN's code on generated samples: G draws perCode samples for each code value, the classifier names their class.
 */
export async function infoganCodeAccuracy(
  classify: Classifier,
  generate: ClassSampler,
  numCodes: number,
  perCode: number,
  numClasses = numCodes,
): Promise<CodeAccuracy> {
  checkCount('numCodes', numCodes, 1);
  checkCount('perCode', perCode, 1);
  const codes = new Int32Array(numCodes * perCode);
  const classes = new Int32Array(numCodes * perCode);
  for (let c = 0; c < numCodes; c++) {
    const predicted = await classify(await generate(c, perCode), perCode);
    checkPredictions(predicted, perCode);
    codes.fill(c, c * perCode, (c + 1) * perCode);
    classes.set(predicted, c * perCode);
  }
  return codeAccuracy(codes, classes, numCodes, numClasses);
}

/**
 * The accuracy of code values as class predictions under their best one-to-one mapping
 * to classes: e.g. Q's categorical code on labelled real images (the paper's protocol).
 */
export function codeAccuracy(
  codes: Int32Array,
  labels: Int32Array,
  numCodes: number,
  numClasses: number,
): CodeAccuracy {
  checkCount('numCodes', numCodes, 1);
  checkCount('numClasses', numClasses, 1);
  if (codes.length !== labels.length || codes.length === 0) {
    throw new Error(
      `Expected as many codes as labels, at least one, but received ${codes.length} codes and ${labels.length} labels`,
    );
  }
  const counts = Array.from({ length: numCodes }, () => new Array<number>(numClasses).fill(0));
  codes.forEach((c, i) => {
    const k = labels[i];
    if (!(c >= 0 && c < numCodes))
      throw new Error(`Expected code values in 0..${numCodes - 1} but example ${i} has ${c}`);
    if (k >= 0 && k < numClasses) counts[c][k]++; // a prediction outside the classes agrees with no code
  });
  const mapping = bestAssignment(counts);
  const agree = mapping.reduce((sum, k, c) => sum + (k >= 0 ? counts[c][k] : 0), 0);
  return { accuracy: agree / codes.length, mapping, counts };
}

// munkres-js (the dependency chosen for this; CommonJS, no types) is loaded through
// require with the one signature used here, rather than a hand-written Hungarian
// algorithm that would need its own proof of correctness.
type Munkres = (cost: number[][]) => [row: number, column: number][];
const munkres = createRequire(import.meta.url)('munkres-js') as Munkres;

/**
 * The one-to-one mapping rows → columns with the largest total count (the Hungarian
 * algorithm on cost = max − count); rows left without a column (more rows than
 * columns) map to −1.
 */
export function bestAssignment(counts: number[][]): number[] {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  if (rows === 0 || columns === 0 || counts.some((r) => r.length !== columns)) {
    throw new Error(
      'Expected a non-empty rectangular matrix of counts but received rows of lengths ' +
        `[${counts.map((r) => r.length).join(', ')}]`,
    );
  }
  const largest = Math.max(...counts.flat());
  const mapping = new Array<number>(rows).fill(-1);
  for (const [r, c] of munkres(counts.map((row) => row.map((v) => largest - v)))) {
    if (r < rows && c < columns) mapping[r] = c;
  }
  return mapping;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`Expected an integer ≥ ${min} for ${name} but received ${value}`);
}

function checkPredictions(predicted: Int32Array, n: number): void {
  if (predicted.length !== n)
    throw new Error(`Expected the classifier to return ${n} classes but it returned ${predicted.length}`);
}
