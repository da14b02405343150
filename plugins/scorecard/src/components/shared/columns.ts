import type { CSSProperties } from 'react';

// How our tables' columns size (the theme lets table text break anywhere, so a column
// of short words shrinks until "Outcome" wraps as "Outcom / e").

/** Short values (an outcome, a status, a date, a count): on one line. */
export const SHORT_COLUMN: CSSProperties = { whiteSpace: 'nowrap' };

/** Names and references: broken between words only, never inside one. */
export const NAME_COLUMN: CSSProperties = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
};

/** Sentences (reasons, details): wrapped between words, at least a readable line wide. */
export const TEXT_COLUMN: CSSProperties = {
  ...NAME_COLUMN,
  minWidth: '16em',
};
