// The line pieces of chart.js, registered only by the pages that draw training curves. The configuration
// itself is shared with the report's charts (src/shared/charts).
import { LineController, LineElement, PointElement, Filler } from 'chart.js';
import { Chart } from './charts';

Chart.register(LineController, LineElement, PointElement, Filler);

export { Chart };
export { TRAIN_COLOUR, VAL_COLOUR, FALLBACK_SERIES_COLOURS } from '../../../shared/charts/theme';
export { foldSeries, lineChartConfig, lineDatasets, trainValSeries, type LineConfig, type Series } from '../../../shared/charts/line';
