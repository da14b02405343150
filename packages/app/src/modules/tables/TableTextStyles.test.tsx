import { renderInTestApp } from '@backstage/frontend-test-utils';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { screen } from '@testing-library/react';
import { tablesModule } from './tablesModule';

function ServicesTable() {
  return (
    <Table aria-label="Services">
      <TableHead>
        <TableRow>
          <TableCell>Outcome</TableCell>
          <TableCell>Description</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        <TableRow>
          <TableCell>payments-api</TableCell>
          <TableCell>
            Takes card payments and refunds for the web shop
          </TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}

/**
 * The `word-break` of the element as a browser cascades it: the declaration of the most
 * specific matching rule, the later one among equals (jsdom's getComputedStyle goes by
 * order alone). Specificity here counts classes and elements, all these selectors have.
 */
function wordBreak(element: Element): string | undefined {
  let best: { specificity: number; value: string } | undefined;
  for (const sheet of Array.from(document.styleSheets)) {
    for (const rule of Array.from(sheet.cssRules)) {
      const style = rule as CSSStyleRule;
      const value = style.style?.getPropertyValue('word-break');
      if (!value) continue;
      for (const selector of style.selectorText.split(',')) {
        if (!element.matches(selector)) continue;
        const specificity =
          (selector.match(/\.[\w-]+/g)?.length ?? 0) * 100 +
          (selector.match(/(^|\s)[a-z]+/g)?.length ?? 0);
        if (!best || specificity >= best.specificity) {
          best = { specificity, value };
        }
      }
    }
  }
  return best?.value;
}

const cellOf = (text: string) => screen.getByText(text).closest('td, th')!;

describe('tablesModule', () => {
  it('breaks table text between words only, headers and cells alike', async () => {
    await renderInTestApp(<ServicesTable />, { features: [tablesModule] });

    expect(await screen.findByText('payments-api')).toBeInTheDocument();
    expect(wordBreak(cellOf('payments-api'))).toBe('normal');
    expect(wordBreak(cellOf('Outcome'))).toBe('normal');
  });

  it('is needed: the theme alone lets a name break anywhere', async () => {
    await renderInTestApp(<ServicesTable />);

    expect(await screen.findByText('payments-api')).toBeInTheDocument();
    expect(wordBreak(cellOf('payments-api'))).toBe('break-word');
  });
});
