import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';

/**
 * Backstage's theme lets table text break anywhere (`word-break: break-word` on every
 * table cell), so a column may shrink to the width of a letter and names wrap inside a
 * word ("payme / nts-api", "Outcom / e") while descriptions get a dozen characters.
 * Here text breaks between words only, so every column is at least as wide as its
 * longest word and the browser gives the rest to the columns with the most text. The
 * catalog's NFS page takes no columns in this release, so this is a style override; it
 * wins over the theme's rule by specificity (two classes against one).
 */
const useTableTextStyles = makeStyles(
  {
    '@global': {
      '.MuiTable-root .MuiTableCell-root': {
        wordBreak: 'normal',
        overflowWrap: 'normal',
      },
    },
  },
  { name: 'PortalTableText' },
);

/** Wraps the app: the table text rules above, for every table in the portal. */
export function TableTextStyles(props: { children: ReactNode }) {
  useTableTextStyles();
  return <>{props.children}</>;
}
