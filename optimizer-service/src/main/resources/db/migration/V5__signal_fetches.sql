-- Every fetch of a configured signal source, successful or not: when, from which provider, and what went wrong.
-- Reports cite the points a decision used through the fetch that brought them (provider, retrieval time, flags).
CREATE TABLE signal_fetch (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    zone           VARCHAR(100)  NOT NULL,
    signal_kind    VARCHAR(16)   NOT NULL,
    provider       VARCHAR(64)   NOT NULL,
    started_at     DATETIME(3)   NOT NULL,
    retrieved_at   DATETIME(3)   NOT NULL,
    ok             BOOLEAN       NOT NULL,
    hours          INT           NOT NULL,
    error_kind     VARCHAR(16),
    error          VARCHAR(1000)
);
CREATE INDEX signal_fetch_source ON signal_fetch (zone, signal_kind, provider, id);

-- The hours a successful fetch brought, as the provider gave them (never the hours the service filled): the
-- hour each starts and its reading (g CO2e/kWh, USD/MWh, or interruptions per hour). Not named hour and value:
-- the embedded H2 reserves both.
CREATE TABLE signal_point (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    fetch_id             BIGINT        NOT NULL,
    starts_at            DATETIME(3)   NOT NULL,
    reading              DOUBLE        NOT NULL,
    estimated            BOOLEAN       NOT NULL,
    emission_factor_type VARCHAR(32),
    estimation_method    VARCHAR(100),
    UNIQUE (fetch_id, starts_at)
);
