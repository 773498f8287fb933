// The playground's pickers for what a conditional G reads besides z: the class (cgan,
// acgan) or InfoGAN's categorical code value, and InfoGAN's continuous codes. Each is
// either "drawn" (every sample keeps the value it was drawn with, as in training) or
// one value for every sample, so a change shows what that code does to the same z.
import type { CodeLayout } from './generator.js';

export interface CodeChoice {
  /** The class G is given for a sample drawn with class `drawn`. */
  classOf(drawn: number): number;
  /** Continuous code j for a sample drawn with value `drawn`. */
  continuousOf(j: number, drawn: number): number;
}

const DRAWN = 'drawn';

/** Builds the pickers into `box` (nothing for an unconditional G); `changed` runs after every change. */
export function codePickers(box: HTMLElement, layout: CodeLayout | undefined, changed: () => void): CodeChoice {
  box.replaceChildren();
  if (!layout) return { classOf: (k) => k, continuousOf: (_, v) => v };
  const infogan = layout.model === 'infogan';
  const select = document.createElement('select');
  select.id = 'class';
  select.append(new Option(infogan ? 'each sample its own code' : 'each sample its own class', DRAWN));
  for (let k = 0; k < layout.classes; k++) select.append(new Option(`${infogan ? 'code' : 'class'} ${k}`, String(k)));
  select.onchange = changed;
  const label = document.createElement('label');
  label.append(infogan ? 'categorical code ' : 'class ', select);
  box.append(label);

  const sliders: HTMLInputElement[] = [];
  for (let j = 0; j < layout.continuous; j++) {
    const wrap = document.createElement('label');
    const input = document.createElement('input');
    // Beyond training's [−1, 1], as the traversal pictures go, to show what the code has come to mean.
    Object.assign(input, { type: 'range', min: -2, max: 2, step: 0.05, value: '0', id: `continuous-${j + 1}` });
    const drawn = document.createElement('input');
    Object.assign(drawn, { type: 'checkbox', checked: true, id: `continuous-${j + 1}-drawn` });
    const shown = document.createElement('output');
    shown.textContent = 'drawn';
    const update = () => {
      input.disabled = drawn.checked;
      shown.textContent = drawn.checked ? 'drawn' : Number(input.value).toFixed(2);
    };
    input.oninput = () => {
      update();
      changed();
    };
    drawn.onchange = input.oninput;
    update();
    wrap.append(`c${j + 1} `, drawn, 'drawn ', input, shown);
    box.append(wrap);
    sliders.push(input);
  }
  return {
    classOf: (k) => (select.value === DRAWN ? k : Number(select.value)),
    continuousOf: (j, v) => (sliders[j].disabled ? v : Number(sliders[j].value)),
  };
}
