-- A small shop: customers and their orders.  `make demo` loads this file
-- into a fresh lake and then queries it.
CREATE SCHEMA shop;

CREATE TABLE shop.customers (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    country VARCHAR(2) NOT NULL,
    joined  DATE NOT NULL
);

CREATE TABLE shop.orders (
    id          BIGINT PRIMARY KEY,
    customer_id INTEGER NOT NULL,
    placed_at   TIMESTAMP NOT NULL,
    amount      NUMERIC(10,2) NOT NULL CHECK (amount > 0),
    status      TEXT DEFAULT 'open'
);

INSERT INTO shop.customers VALUES
    (1, 'Ada Lovelace',     'GB', '2024-01-15'),
    (2, 'Grace Hopper',     'US', '2024-02-01'),
    (3, 'Edsger Dijkstra',  'NL', '2024-02-20'),
    (4, 'Barbara Liskov',   'US', '2024-03-05'),
    (5, 'Donald Knuth',     'US', '2024-04-11'),
    (6, 'Frances Allen',    'US', '2024-05-30');

INSERT INTO shop.orders (id, customer_id, placed_at, amount, status) VALUES
    (100, 1, '2024-06-01 09:15:00', 120.50, 'shipped'),
    (101, 2, '2024-06-01 10:02:30',  35.00, 'shipped'),
    (102, 1, '2024-06-02 16:45:00',  14.99, 'returned'),
    (103, 3, '2024-06-03 08:00:00', 220.00, 'shipped'),
    (104, 4, '2024-06-03 12:30:00',  89.90, 'open'),
    (105, 2, '2024-06-04 18:20:00', 410.00, 'shipped'),
    (106, 5, '2024-06-05 07:55:00',  19.95, 'open'),
    (107, 1, '2024-06-06 21:10:00',  64.00, 'shipped');

INSERT INTO shop.orders (id, customer_id, placed_at, amount) VALUES
    (108, 3, '2024-06-07 11:11:11', 5.25);
