// Only the chart.js pieces the app draws with are registered, so the bundle carries nothing else.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { UI_FONT_FAMILY, applyChartTheme } from '../../../shared/charts/theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, ScatterController, PointElement);

applyChartTheme(Chart.defaults, { fontFamily: UI_FONT_FAMILY });

export type BarConfig = ChartConfiguration<'bar', number[], string>;
export { Chart };
export { categoryStyle, scatterConfig, type ScatterConfig, type ScatterGroup } from '../../../shared/charts/scatter';
