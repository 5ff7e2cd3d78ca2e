CREATE TABLE IF NOT EXISTS campaigns (
    seq INTEGER PRIMARY KEY,  -- no AUTOINCREMENT, no index on id: each costs a page write per create
    id TEXT NOT NULL,  -- unique by construction (a Faker UUID; seeded: one per account and name)
    account_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    lname TEXT NOT NULL,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (account_id, lname)
);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    headers TEXT NOT NULL,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    errors TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    body_read INTEGER,  -- 0: answered before its body was read (a refused token, say); NULL (older rows): read
    accounts TEXT,  -- "|id|id|": the account ids the request names, decoded; NULL on rows written before it
    fault_rule INTEGER  -- the id of the fault rule that met the request; NULL: none did (or a row written before it)
);
CREATE INDEX IF NOT EXISTS journal_status ON journal (status);  -- the total of an unfiltered or status listing
-- Listings newest first: each worker writes its entries in batches, so ids follow the writing, not the answering.
CREATE INDEX IF NOT EXISTS journal_at ON journal (at);
CREATE TABLE IF NOT EXISTS marks (  -- values every worker must see: when the journal was last cleared, the last rule id
    name TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS journal_batches (  -- the batches workers hold, so a listing can wait for them
    holder TEXT NOT NULL,  -- the store (one per worker) holding it
    pid INTEGER NOT NULL,  -- its process: a batch of a process that died is not waited for
    since TEXT NOT NULL,  -- when its first entry came
    PRIMARY KEY (holder, since)
);  -- not WITHOUT ROWID: SQLite 3.40's integrity_check then reports NULLs in pid that are not there
CREATE TABLE IF NOT EXISTS fault_rules (
    id INTEGER PRIMARY KEY,
    fault TEXT NOT NULL,  -- the X-Mock-Fault syntax, e.g. "status=503"
    method TEXT,  -- NULL matches any
    path TEXT,  -- a glob; NULL matches any
    probability REAL NOT NULL,
    remaining INTEGER,  -- requests it still applies to; NULL is no limit
    applied INTEGER NOT NULL DEFAULT 0,
    account_id TEXT  -- requests naming this account (accountid header or accountId query); NULL matches any
);
CREATE TABLE IF NOT EXISTS rate_counts (
    account_id TEXT NOT NULL,
    window_start INTEGER NOT NULL,  -- epoch seconds
    hits INTEGER NOT NULL,
    PRIMARY KEY (account_id, window_start)
) WITHOUT ROWID;
