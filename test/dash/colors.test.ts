// The page draws with a copy of the project's palette (web/colors.ts; the browser code
// compiles apart from src/), so the live canvas and the curves match the PNGs. The copy
// must give the same colours as src/plots/colors.ts at every point of each ramp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as project from '../../src/plots/colors.js';
import { MARK_STYLES } from '../../src/plots/curve-marks.js';

/** dist/web/colors.js, loaded by path: the browser module is not part of the Node program's types. */
const WEB_COLORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/colors.js');

test("the page's palette is the project's", async () => {
  const page = (await import(pathToFileURL(WEB_COLORS).href)) as typeof project & {
    WARNING_COLOR: string;
    RESUME_COLOR: string;
  };
  assert.equal(page.WARNING_COLOR, MARK_STYLES.warning.color, "curves.png's warning marks");
  assert.equal(page.RESUME_COLOR, MARK_STYLES.resume.color, "curves.png's resume marks");
  assert.deepEqual(page.SERIES_COLORS, project.SERIES_COLORS);
  for (const name of ['REAL_COLOR', 'FAKE_COLOR', 'ALERT_COLOR'] as const)
    assert.equal(page[name], project[name], name);
  for (let i = 0; i <= 1000; i++) {
    const t = i / 1000;
    assert.deepEqual(page.dColor(t), project.dColor(t), `dColor(${t})`);
    assert.deepEqual(page.densityColor(t), project.densityColor(t), `densityColor(${t})`);
  }
  const values = [0, 1e-9, 0.001, 0.5, 1, 2, NaN, Infinity, 1600];
  assert.deepEqual(page.logNormalize(values, 3), project.logNormalize(values, 3));
  assert.equal(page.withAlpha('#E66100', 0.5), project.withAlpha('#E66100', 0.5));
});
