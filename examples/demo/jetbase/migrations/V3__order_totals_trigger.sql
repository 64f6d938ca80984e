-- jetbase: delimiter=~
-- A trigger body has inner semicolons: the delimiter directive keeps it one statement.
CREATE TABLE customer_totals (
    customer_id INTEGER PRIMARY KEY,
    total_cents INTEGER NOT NULL
);~

CREATE TRIGGER orders_total AFTER INSERT ON orders
BEGIN
    INSERT INTO customer_totals (customer_id, total_cents) VALUES (NEW.customer_id, 0)
        ON CONFLICT (customer_id) DO NOTHING;
    UPDATE customer_totals SET total_cents = total_cents + NEW.total_cents
        WHERE customer_id = NEW.customer_id;
END;~

-- rollback
DROP TRIGGER orders_total;~
DROP TABLE customer_totals;~
