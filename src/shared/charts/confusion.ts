// The confusion matrix's numbers and shading, the same in the window's table and the report's image.

export interface ConfusionStats {
  total: number;
  correct: number;
  rowTotals: number[];
  colTotals: number[];
}

export function confusionStats(matrix: number[][]): ConfusionStats {
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = matrix.length ? matrix[0].map((_, j) => matrix.reduce((a, row) => a + (row[j] ?? 0), 0)) : [];
  return {
    total: rowTotals.reduce((a, b) => a + b, 0),
    correct: matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0),
    rowTotals,
    colTotals,
  };
}

/** Correct predictions in blue, confusions in red; empty cells in grey. */
export const CONFUSION_COLOURS = {
  correct: [54, 87, 214],
  confused: [217, 72, 65],
  empty: '#f4f6f9',
  zeroText: '#c3c9d4',
  emptyDiagonalOutline: '#c8d1ee',
} as const;

export interface CellShade {
  /** rgba() fill of the cell. */
  fill: string;
  alpha: number;
  /** Light text on dark fills. */
  lightText: boolean;
}

/** Shaded by the share of its true class, so small classes read as clearly as large ones; null for an empty cell. */
export function confusionShade(count: number, rowTotal: number, diagonal: boolean): CellShade | null {
  if (!count || !rowTotal) return null;
  const alpha = 0.1 + 0.75 * (count / rowTotal);
  const [r, g, b] = diagonal ? CONFUSION_COLOURS.correct : CONFUSION_COLOURS.confused;
  return { fill: `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`, alpha, lightText: alpha > 0.5 };
}

/** Each row as shares of its true class (rows of different sizes, or runs of different sizes, compare); an empty row stays 0. */
export function rowNormalised(matrix: readonly (readonly number[])[]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((n) => (total ? n / total : 0));
  });
}

/** Matrices over the same or different label sets summed on their union (labels sorted), e.g. the runs of a seed group. */
export function pooledConfusion(list: readonly { labels: readonly string[]; matrix: readonly (readonly number[])[] }[]): { labels: string[]; matrix: number[][] } {
  const labels = [...new Set(list.flatMap((c) => c.labels))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (const c of list) c.labels.forEach((t, i) => c.labels.forEach((p, j) => (matrix[index.get(t)!][index.get(p)!] += c.matrix[i]?.[j] ?? 0)));
  return { labels, matrix };
}
