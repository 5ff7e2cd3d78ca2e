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
    latency_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_status ON journal (status);  -- the total of an unfiltered or status listing
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
