INSERT INTO customers (name, email) VALUES ('Ada Lovelace', 'ada@example.com');
INSERT INTO customers (name, email) VALUES ('Grace Hopper', 'grace@example.com');

-- rollback
DELETE FROM customers WHERE email IN ('ada@example.com', 'grace@example.com');
