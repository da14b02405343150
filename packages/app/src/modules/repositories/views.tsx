import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import FolderIcon from '@material-ui/icons/Folder';
import FileIcon from '@material-ui/icons/InsertDriveFileOutlined';
import { Branch, Diff, File, Tree } from './api';
import { segments } from './location';

const useStyles = makeStyles((theme: Theme) => ({
  name: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  icon: { color: theme.palette.text.secondary, fontSize: '1.1rem' },
  code: {
    margin: 0,
    padding: theme.spacing(1, 0),
    overflowX: 'auto',
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: '0.85rem',
    lineHeight: 1.5,
    background: theme.palette.background.paper,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    counterReset: 'line',
  },
  line: {
    display: 'block',
    padding: theme.spacing(0, 2),
    whiteSpace: 'pre',
    minHeight: '1.5em',
  },
  numbered: {
    '&::before': {
      counterIncrement: 'line',
      content: 'counter(line)',
      display: 'inline-block',
      width: '3.5em',
      marginRight: theme.spacing(2),
      textAlign: 'right',
      color: theme.palette.text.secondary,
      userSelect: 'none',
    },
  },
  added: { background: 'rgba(46, 160, 67, 0.18)' },
  removed: { background: 'rgba(248, 81, 73, 0.18)' },
  hunk: {
    color: theme.palette.info.main,
    background: 'rgba(56, 139, 253, 0.1)',
  },
  meta: { color: theme.palette.text.secondary },
  file: { margin: theme.spacing(3, 0, 1), fontFamily: 'monospace' },
  note: { margin: theme.spacing(2, 0) },
}));

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A directory: its folders first, each name a link. */
export function TreeView(props: { tree: Tree; base: string }) {
  const classes = useStyles();
  const { tree, base } = props;
  if (tree.entries.length === 0) {
    return (
      <Typography className={classes.note}>This directory is empty.</Typography>
    );
  }
  return (
    <Table size="small" aria-label="Files">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell align="right">Size</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {tree.entries.map(entry => {
          const view = entry.type === 'tree' ? 'tree' : 'blob';
          const Icon = entry.type === 'tree' ? FolderIcon : FileIcon;
          return (
            <TableRow key={entry.path}>
              <TableCell>
                <span className={classes.name}>
                  <Icon className={classes.icon} aria-hidden />
                  {entry.type === 'submodule' ? (
                    entry.name
                  ) : (
                    <Link
                      to={`${base}/${view}/${segments(tree.ref)}/${segments(
                        entry.path,
                      )}`}
                    >
                      {entry.name}
                    </Link>
                  )}
                </span>
              </TableCell>
              <TableCell align="right">
                {entry.size === undefined ? '' : size(entry.size)}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** A file's text, in monospace with line numbers; binary and huge files are described. */
export function FileView(props: { file: File }) {
  const classes = useStyles();
  const { file } = props;
  if (file.symlinkTarget !== undefined) {
    return (
      <Typography className={classes.note}>
        A symbolic link to <code>{file.symlinkTarget}</code> (not followed).
      </Typography>
    );
  }
  if (file.binary || file.truncated) {
    return (
      <Typography className={classes.note}>
        {file.binary ? 'A binary file' : 'A file over 1 MB'} ({size(file.size)}
        ): not shown here. Clone the repository to read it.
      </Typography>
    );
  }
  const lines = file.content.replace(/\n$/, '').split('\n');
  return (
    <pre className={classes.code} aria-label={`Contents of ${file.path}`}>
      {lines.map((line, i) => (
        <span key={i} className={`${classes.line} ${classes.numbered}`}>
          {line}
        </span>
      ))}
    </pre>
  );
}

type PatchFile = { path: string; lines: string[] };

/** `git diff` output, one part per file, named by its new path. */
function splitPatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  for (const line of patch.replace(/\n$/, '').split('\n')) {
    const header = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
    if (header) {
      files.push({ path: header[2], lines: [] });
    } else if (files.length > 0) {
      files[files.length - 1].lines.push(line);
    }
  }
  return files;
}

function lineClass(
  line: string,
  classes: ReturnType<typeof useStyles>,
): { className: string; kind: string } {
  if (line.startsWith('@@')) return { className: classes.hunk, kind: 'hunk' };
  if (line.startsWith('+++') || line.startsWith('---'))
    return { className: classes.meta, kind: 'meta' };
  if (line.startsWith('+')) return { className: classes.added, kind: 'added' };
  if (line.startsWith('-'))
    return { className: classes.removed, kind: 'removed' };
  if (
    /^(index|new file|deleted file|similarity|rename|old mode|new mode)/.test(
      line,
    )
  )
    return { className: classes.meta, kind: 'meta' };
  return { className: '', kind: 'context' };
}

/** What a branch changes against the default branch: added lines green, removed red. */
export function DiffView(props: { diff: Diff }) {
  const classes = useStyles();
  const { diff } = props;
  const files = splitPatch(diff.patch);
  if (files.length === 0) {
    return (
      <Typography className={classes.note}>
        {diff.branch} changes nothing against {diff.base}: its changes are
        merged already.
      </Typography>
    );
  }
  return (
    <>
      <Typography className={classes.note}>
        {files.length === 1 ? 'One file' : `${files.length} files`} changed on{' '}
        <strong>{diff.branch}</strong> since it left{' '}
        <strong>{diff.base}</strong>.
        {diff.truncated ? ' The diff is cut at 2 MB.' : ''}
      </Typography>
      {files.map(file => (
        <section key={file.path} aria-label={file.path}>
          <Typography
            variant="subtitle1"
            component="h3"
            className={classes.file}
          >
            {file.path}
          </Typography>
          <pre className={classes.code}>
            {file.lines.map((line, i) => {
              const { className, kind } = lineClass(line, classes);
              return (
                <span
                  key={i}
                  className={`${classes.line} ${className}`}
                  data-line={kind}
                >
                  {line}
                </span>
              );
            })}
          </pre>
        </section>
      ))}
    </>
  );
}

/** Every branch with its latest commit; the others link to their changes. */
export function BranchesView(props: {
  branches: Branch[];
  defaultBranch: string;
  base: string;
}) {
  const { branches, defaultBranch, base } = props;
  return (
    <Table size="small" aria-label="Branches">
      <TableHead>
        <TableRow>
          <TableCell>Branch</TableCell>
          <TableCell>Latest commit</TableCell>
          <TableCell>Date</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {branches.map(branch => (
          <TableRow key={branch.name}>
            <TableCell>
              <Link to={`${base}/tree/${segments(branch.name)}`}>
                {branch.name}
              </Link>
              {branch.name === defaultBranch ? ' (default)' : ''}
            </TableCell>
            <TableCell>{branch.subject}</TableCell>
            <TableCell>{new Date(branch.date).toLocaleString()}</TableCell>
            <TableCell>
              {branch.name === defaultBranch ? null : (
                <Link to={`${base}/compare/${segments(branch.name)}`}>
                  Changes against {defaultBranch}
                </Link>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
