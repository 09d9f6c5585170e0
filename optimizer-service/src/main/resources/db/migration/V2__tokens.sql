-- API tokens: only a SHA-256 hash of each token is kept (the token itself is shown once, when made).
CREATE TABLE api_token (
    name        VARCHAR(100)  NOT NULL PRIMARY KEY,
    role        VARCHAR(16)   NOT NULL,
    token_hash  CHAR(64)      NOT NULL,
    created_by  VARCHAR(200)  NOT NULL,
    created_at  DATETIME(3)   NOT NULL,
    expires_at  DATETIME(3)
);
CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);
