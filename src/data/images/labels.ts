// Checks of class labels read from files. A label byte is a class index, and the
// trainer sizes a conditional model by the largest one, so a single damaged byte (250
// among labels 0..9) would silently train a model with 251 classes. Labels are
// therefore checked against the class count where the data set fixes it (MNIST: 10),
// and, where nothing fixes it (IDX files given by path), refused when one label would
// leave most of the classes below it without a single image.

/** Throws, naming `file`, the first label that is not below `classes`. */
export function checkLabelRange(labels: Uint8Array, classes: number, file: string, why: string): void {
  const bad = labels.findIndex((label) => label >= classes);
  if (bad < 0) return;
  throw new Error(
    `Expected labels 0..${classes - 1} in ${file} (${why}) but label ${bad} (counting from 0) is ${labels[bad]}: ` +
      'the file is corrupt; delete it and download or copy it again',
  );
}

/**
 * Labels without a known class count: they number classes 0..K−1 (or 1..K), so the largest
 * label may leave at most half of the classes 0..largest empty. Applies only when there are
 * at least largest + 1 images (enough to fill every class); a small subset is not judged.
 */
export function checkLabelsPlausible(labels: Uint8Array, file: string): void {
  let largest = 0;
  const present = new Uint8Array(256);
  for (const label of labels) {
    present[label] = 1;
    if (label > largest) largest = label;
  }
  if (labels.length < largest + 1) return;
  const distinct = present.reduce((a, b) => a + b, 0);
  const bound = 2 * distinct - 1;
  if (largest <= bound) return;
  const bad = labels.findIndex((label) => label > bound);
  const value = labels[bad];
  const empty = value + 1 - present.subarray(0, value + 1).reduce((a, b) => a + b, 0);
  throw new Error(
    `Expected labels 0..${bound} in ${file}, as its ${distinct} classes with images allow, but label ${bad} ` +
      `(counting from 0) is ${value}, which would make ${value + 1} classes of which ${empty} hold no image: ` +
      'the file is corrupt; delete it and download or copy it again (or, if it holds a subset of the classes, ' +
      'number them 0, 1, 2, …)',
  );
}
