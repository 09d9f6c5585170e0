-- The emission ledger (interchange v1.1 section 8): every cluster snapshot received, by the instant it describes,
-- and for the interval from one snapshot to the next the energy, emissions and cost of what ran, hour by hour.
-- Only ever inserted into (and read); in production grant the service's user INSERT and SELECT on both.
CREATE TABLE ledger_snapshot (
    id             BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    state_version  BIGINT        NOT NULL,
    observed_at    DATETIME(3)   NOT NULL,
    received_at    DATETIME(3)   NOT NULL
);
CREATE INDEX ledger_snapshot_observed ON ledger_snapshot (observed_at, id);

-- One row per task (or a node's unallocated share, or a gap) and hour part; the rows of an interval add up to the
-- cluster's total. Intensity and price are those used, with the intensity's provider and whether it was estimated.
CREATE TABLE ledger_row (
    id                   BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    snapshot_id          BIGINT        NOT NULL,
    hour_start           DATETIME(3)   NOT NULL,
    part_start           DATETIME(3)   NOT NULL,
    part_end             DATETIME(3)   NOT NULL,
    row_kind             VARCHAR(16)   NOT NULL,
    job                  VARCHAR(200),
    task                 INT,
    team                 VARCHAR(200),
    node                 VARCHAR(200),
    zone                 VARCHAR(100),
    gpu_model            VARCHAR(100),
    gpu_share            DOUBLE        NOT NULL,
    hours                DOUBLE        NOT NULL,
    utilization          DOUBLE        NOT NULL,
    energy_kwh           DOUBLE        NOT NULL,
    co2e_kg              DOUBLE        NOT NULL,
    cost_usd             DOUBLE        NOT NULL,
    embodied_co2e_kg     DOUBLE        NOT NULL,
    intensity_grams_per_kwh DOUBLE     NOT NULL,
    intensity_provider   VARCHAR(64),
    intensity_estimated  BOOLEAN       NOT NULL,
    price_usd_per_mwh    DOUBLE        NOT NULL,
    energy_measured      BOOLEAN       NOT NULL
);
CREATE INDEX ledger_row_hour ON ledger_row (hour_start);
