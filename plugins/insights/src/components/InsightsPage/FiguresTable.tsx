import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { WeekFigures } from '@internal/plugin-insights-common';
import { FIGURES } from '../shared/figures';
import { formatValue } from '../shared/format';

/** Every figure of every week, oldest week first like the sparklines above it. */
export function FiguresTable(props: { weeks: WeekFigures[] }) {
  const { weeks } = props;
  return (
    <TableContainer>
      <Table size="small" aria-label="Figures per week">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              Figure
            </TableCell>
            {weeks.map(week => (
              <TableCell
                key={week.week}
                component="th"
                scope="col"
                align="right"
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
              <TableCell component="th" scope="row">
                {definition.title}
              </TableCell>
              {weeks.map(week => {
                const { value } = week[definition.key];
                return (
                  <TableCell key={week.week} align="right">
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
