import { useTheme } from '@material-ui/core/styles';

export interface HistoryCell {
  day: string;
  color: string;
  /** What the day was, shown as the cell's tooltip. */
  description: string;
}

const CELL = 10;
const GAP = 2;

/** One small square per day, oldest on the left. */
export function HistoryStrip(props: { cells: HistoryCell[]; label: string }) {
  const theme = useTheme();
  const { cells, label } = props;
  if (cells.length === 0) {
    return (
      <span style={{ color: theme.palette.text.secondary }}>No history</span>
    );
  }
  const width = cells.length * (CELL + GAP) - GAP;
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={CELL}
      viewBox={`0 0 ${width} ${CELL}`}
    >
      {cells.map((cell, index) => (
        <rect
          key={cell.day}
          x={index * (CELL + GAP)}
          width={CELL}
          height={CELL}
          rx={2}
          fill={cell.color}
        >
          <title>{`${cell.day}: ${cell.description}`}</title>
        </rect>
      ))}
    </svg>
  );
}
