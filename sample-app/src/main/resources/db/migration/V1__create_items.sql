create table items (
    id         bigint generated always as identity primary key,
    name       text        not null unique,
    quantity   integer     not null check (quantity >= 0),
    created_at timestamptz not null default now()
);

-- written in the same transaction as the change it records
create table item_events (
    id         bigint generated always as identity primary key,
    item_id    bigint      not null references items (id),
    type       text        not null,
    created_at timestamptz not null default now()
);
