// Schema step 12 changes only the SQLite store's indexes (its FTS5 search table and its state
// index); PostgreSQL's state index already carries the inbox's filter columns (step 8).
export const leanIngest = "SELECT 1";
