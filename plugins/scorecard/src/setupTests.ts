import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Pages render through the whole app; on a busy two-core CI machine the first render
// can take seconds. Waiting longer changes no outcome, only when a failure is reported.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(60_000);
