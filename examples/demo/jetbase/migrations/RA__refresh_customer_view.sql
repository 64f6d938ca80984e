-- Runs on every upgrade: views are cheap to rebuild.
DROP VIEW IF EXISTS customer_summary;
CREATE VIEW customer_summary AS
    SELECT c.id, c.name, COALESCE(t.total_cents, 0) AS total_cents
    FROM customers c LEFT JOIN customer_totals t ON t.customer_id = c.id;
