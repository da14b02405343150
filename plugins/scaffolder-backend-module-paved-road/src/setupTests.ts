// The storage tests run on SQLite and on the PostgreSQL server of this machine (and of
// CI); another server can be named with the same variable.
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';
