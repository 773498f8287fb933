// uPlot, loaded by index.html as a classic script from /vendor/uplot/ (its IIFE build sets
// the global `uPlot`), given its own types. Only the types are imported here: nothing of
// node_modules is bundled into the page's modules.
import type uPlotType from 'uplot';

export type UPlot = uPlotType;
export type UPlotOptions = uPlotType.Options;
export type UPlotData = uPlotType.AlignedData;
export type UPlotSeries = uPlotType.Series;

type UPlotConstructor = new (options: UPlotOptions, data: UPlotData, target: HTMLElement) => UPlot;

/** Makes a chart in `target`; says what is missing when the vendored script did not load. */
export function makePlot(options: UPlotOptions, data: UPlotData, target: HTMLElement): UPlot {
  const constructor = (globalThis as unknown as { uPlot?: UPlotConstructor }).uPlot;
  if (!constructor)
    throw new Error(
      'Expected uPlot from /vendor/uplot/uPlot.iife.min.js but it did not load; ' +
        'check that gankit dash serves node_modules/uplot',
    );
  return new constructor(options, data, target);
}
