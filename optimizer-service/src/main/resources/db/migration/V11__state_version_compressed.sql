-- Cluster and signals documents are stored gzip-compressed (body_gz): a 100,000-GPU cluster with its running work
-- is 38 MB of JSON, above MariaDB's default max_allowed_packet (16 MB), and about 1 MB compressed. Versions stored
-- before keep their text in body; a version has one or the other.
ALTER TABLE state_version ADD COLUMN body_gz LONGBLOB;
ALTER TABLE state_version MODIFY body LONGTEXT NULL;
