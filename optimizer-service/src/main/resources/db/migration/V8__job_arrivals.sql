-- What the savings of an emission report are measured against (interchange v1.1 section 8, issue 14).
-- ledger_zone_hour: each zone's intensity and price for an hour as the ledger used them, written with the rows of
-- every interval, also for zones where nothing ran, so a counterfactual elsewhere or earlier is priced like what ran.
CREATE TABLE ledger_zone_hour (
    id                      BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    snapshot_id             BIGINT        NOT NULL,
    hour_start              DATETIME(3)   NOT NULL,
    zone                    VARCHAR(100)  NOT NULL,
    intensity_grams_per_kwh DOUBLE        NOT NULL,
    intensity_provider      VARCHAR(64),
    intensity_estimated     BOOLEAN       NOT NULL,
    price_usd_per_mwh       DOUBLE        NOT NULL
);
CREATE INDEX ledger_zone_hour_hour ON ledger_zone_hour (hour_start, zone);

-- job_arrival: a job the service first saw pending (an optimization's queue, a recommendation, a pod the
-- extender filtered or the gate held), with the state it arrived to reduced to what the counterfactual needs:
-- its window, where a carbon-agnostic first fit would have put each task then (first_fit), and per task and zone
-- the node that would have drawn the least (bound); energy per hour as kWh = a + b x utilisation, cost c USD/h.
CREATE TABLE job_arrival (
    id               BIGINT        NOT NULL AUTO_INCREMENT PRIMARY KEY,
    job              VARCHAR(300)  NOT NULL,
    team             VARCHAR(200),
    source           VARCHAR(32)   NOT NULL,
    arrived_at       DATETIME(3)   NOT NULL,
    earliest_start   DATETIME(3)   NOT NULL,
    latest_start     DATETIME(3)   NOT NULL,
    tasks            INT           NOT NULL,
    state_version    BIGINT        NOT NULL,
    first_fit        LONGTEXT,
    bound            LONGTEXT      NOT NULL
);
CREATE INDEX job_arrival_job ON job_arrival (job, arrived_at);
