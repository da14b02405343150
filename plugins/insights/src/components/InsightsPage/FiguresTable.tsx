import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { WeekFigures } from '@internal/plugin-insights-common';
import { FIGURES } from '../shared/figures';
import { formatValue } from '../shared/format';

// The theme lets table text break anywhere: a week would wrap as "2026-W / 49".
/** A week or a figure's value: on one line. */
const SHORT = { whiteSpace: 'nowrap' } as const;
/** A figure's name: broken between words only, a readable line wide. */
const NAME = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  minWidth: '14em',
} as const;

/** Every figure of every week, oldest week first like the sparklines above it. */
export function FiguresTable(props: { weeks: WeekFigures[] }) {
  const { weeks } = props;
  return (
    <TableContainer>
      <Table size="small" aria-label="Figures per week">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col" style={NAME}>
              Figure
            </TableCell>
            {weeks.map(week => (
              <TableCell
                key={week.week}
                component="th"
                scope="col"
                align="right"
                style={SHORT}
                title={`From ${week.start}`}
              >
                {week.week}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {FIGURES.map(definition => (
            <TableRow key={definition.key}>
              <TableCell component="th" scope="row" style={NAME}>
                {definition.title}
              </TableCell>
              {weeks.map(week => {
                const { value } = week[definition.key];
                return (
                  <TableCell key={week.week} align="right" style={SHORT}>
                    {value === undefined ? (
                      <span title="no data">–</span>
                    ) : (
                      formatValue(definition.unit, value)
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
