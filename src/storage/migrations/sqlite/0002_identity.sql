-- Identity and audit: accounts, roles with data scopes, sessions, API
-- tokens, the login log and the hash-chained audit log.
-- Repository SQL is shared with PostgreSQL: keep column names, types
-- (integer 0/1 for booleans, epoch ms for times) and constraints in step with
-- postgres/0002_identity.sql.
CREATE TABLE users (
  id                    INTEGER PRIMARY KEY,
  login                 TEXT    NOT NULL UNIQUE,  -- lower-case, by the caller
  display_name          TEXT    NOT NULL,
  mobile                TEXT    NOT NULL DEFAULT '',
  email                 TEXT    NOT NULL DEFAULT '',
  org_unit_id           INTEGER NOT NULL REFERENCES org_units (id),
  enterprise_id         INTEGER,  -- enterprises arrive later; no FK yet
  active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_attempts       INTEGER NOT NULL DEFAULT 0,
  locked_until          INTEGER,
  password_hash         TEXT    NOT NULL,
  password_changed_at   INTEGER NOT NULL,
  must_change_password  INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
  version               INTEGER NOT NULL DEFAULT 1,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
) STRICT;
CREATE INDEX users_org_unit_id_idx ON users (org_unit_id);

CREATE TABLE roles (
  id          INTEGER PRIMARY KEY,
  code        TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  builtin     INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
  data_scope  TEXT    NOT NULL
              CHECK (data_scope IN ('all', 'unit_and_below', 'unit', 'self', 'custom')),
  remark      TEXT    NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE role_permissions (
  role_id     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission  TEXT    NOT NULL,
  PRIMARY KEY (role_id, permission)
) STRICT;

-- The units of a role whose data scope is 'custom'.
CREATE TABLE role_units (
  role_id      INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  org_unit_id  INTEGER NOT NULL REFERENCES org_units (id),
  PRIMARY KEY (role_id, org_unit_id)
) STRICT;

CREATE TABLE user_roles (
  user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id  INTEGER NOT NULL REFERENCES roles (id),
  PRIMARY KEY (user_id, role_id)
) STRICT;
CREATE INDEX user_roles_role_id_idx ON user_roles (role_id);

CREATE TABLE password_history (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  password_hash  TEXT    NOT NULL,
  created_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_user_id_idx ON password_history (user_id, created_at);

-- id_hash is the hex SHA-256 of the cookie token; the token itself is never stored.
CREATE TABLE sessions (
  id_hash         TEXT    PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token      TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL,
  ip              TEXT    NOT NULL DEFAULT '',
  user_agent      TEXT    NOT NULL DEFAULT '',
  revoked_at      INTEGER,
  revoked_reason  TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          TEXT    NOT NULL,
  token_hash    TEXT    NOT NULL UNIQUE,
  permissions   TEXT    NOT NULL DEFAULT '',  -- space-separated
  expires_at    INTEGER,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
) STRICT;
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE login_log (
  id          INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  login       TEXT    NOT NULL,
  user_id     INTEGER,
  ip          TEXT    NOT NULL DEFAULT '',
  user_agent  TEXT    NOT NULL DEFAULT '',
  result      TEXT    NOT NULL CHECK (result IN ('success', 'failure')),
  reason      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX login_log_at_idx ON login_log (at);

-- Append-only, hash-chained. seq is assigned from audit_head (never by the
-- engine), so appends are serialised by the lock on that one row.
CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  user_id      INTEGER,
  login        TEXT    NOT NULL DEFAULT '',
  ip           TEXT    NOT NULL DEFAULT '',
  request_id   TEXT    NOT NULL DEFAULT '',
  action       TEXT    NOT NULL,
  entity_type  TEXT    NOT NULL,
  entity_id    TEXT    NOT NULL DEFAULT '',
  changes      TEXT    NOT NULL DEFAULT '{}',  -- JSON
  prev_hash    TEXT    NOT NULL,
  hash         TEXT    NOT NULL
) STRICT;
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_user_id_idx ON audit_log (user_id);

CREATE TABLE audit_head (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  seq        INTEGER NOT NULL,
  last_hash  TEXT    NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
