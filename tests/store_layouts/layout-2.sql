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
