// Class colours live in src/shared/charts so the reports' chart images use the very same ones.
export { labelColour, tint } from '../../../shared/charts/palette';
